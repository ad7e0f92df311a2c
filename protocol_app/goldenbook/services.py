"""Rules of the book register: recording and changing entries with the eligibility rule, their
photos, the lists per year and book, and the calligrapher's lead time.

Every changing function takes the acting user, runs in one SAVEPOINT and records its audit event.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import changes_of, record_event, record_read
from ..core.db import check_version, transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import format_d
from ..core.photo_part import PhotoPart
from ..core.time import EARLIEST_YEAR, add_years, require_not_after_today, today_berlin
from ..core.urls import path_for
from ..directory.models import Country, PartnerCity
from ..extensions import db
from ..partnerships.history import HistoryLine
from ..programme.occasions import (
    confidential_occasion_filter,
    is_confidential_occasion,
)
from . import permissions
from .eligibility import Book, Rank, book_for, rank_of
from .models import DEFAULT_LEAD_DAYS, BookEntry, BookSettings
from .workflow import EntryState

#: The form fields an entry's service takes.
ENTRY_FIELDS = ("signed_on", "signatory", "function", "country_code", "occasion", "book", "reason", "volume",
                "page", "notes")
#: The first day the register holds entries of, and how far ahead an entry can be planned.
EARLIEST_SIGNING = date(EARLIEST_YEAR, 1, 1)
PLANNING_YEARS = 2
#: Columns of the lists per year and book (print and XLSX).
LIST_HEADERS = (_l("Date"), _l("Signatory"), _l("Function"), _l("Country"), _l("Occasion"), _l("Book"),
                _l("Volume/page"), _l("State"))


def rule_rank(function: str | None, *, partner_city_occasion: bool = False) -> Rank | None:
    """The rule's reading of a function, with the country and partner-city names it needs."""
    countries = db.session.execute(sa.select(Country.name_de, Country.name_en)).all()
    cities = db.session.scalars(sa.select(PartnerCity)).all()
    return rank_of(function, countries=[n for row in countries for n in row],
                   partner_cities=[n for city in cities for n in city.all_names], partner_city_occasion=partner_city_occasion)


def latest_planned_day() -> date:
    return add_years(today_berlin(), PLANNING_YEARS)


def check_signing_day(day: date, *, signed: bool) -> None:
    """The day of a signing lies within the register's years: not before 1900, planned at most
    two years ahead, and a signed entry's not after today."""
    if day < EARLIEST_SIGNING:
        raise ValidationFailed(_l("Please give a date from %(day)s on.", day=format_d(EARLIEST_SIGNING)),
                               field="signed_on")
    if signed:
        require_not_after_today(day, field="signed_on", message=_l(
            "A signed entry cannot be dated after today: the guest has signed on or before today."))
    if day > latest_planned_day():
        raise ValidationFailed(_l("An entry can be planned at most two years ahead (until %(day)s).",
                                  day=format_d(latest_planned_day())), field="signed_on")


def check_book(book: str, rank: Rank | None, reason: str | None, function: str) -> str | None:
    """The reason to keep: required for the Golden Book outside the rule, dropped otherwise."""
    if book != Book.GOLDEN.value or rank is not None:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _l("“%(function)s” is not among those who sign the Golden Book (crowned heads, heads of state and "
               "government, foreign ministers, mayors of the partner cities, the Federal President). Please "
               "give the reason for the Golden Book, or choose the Gästebuch.", function=function[:100]),
            field="reason")
    return reason


@transactional
def save_entry(entry: BookEntry | None, values: dict, *, actor, occasion_scope: str | None = None,
               occasion_id: int | None = None, partner_city_occasion: bool = False,
               expected_version=None) -> BookEntry:
    """Record an entry or change it; the book is the rule's unless chosen, the Golden Book outside
    the rule needs a reason. A new entry dated in the future is planned, one of today or before
    is signed."""
    if entry is not None:
        check_version(entry, expected_version)
        _require_changeable(entry)
        partner_city_occasion = partner_city_occasion or entry.rank == Rank.PARTNER_CITY_MAYOR.value
    values = {k: values.get(k) for k in ENTRY_FIELDS}
    check_signing_day(values["signed_on"], signed=entry is not None and entry.state == EntryState.SIGNED.value)
    code = values["country_code"] or None
    if code and db.session.get(Country, code) is None:
        raise ValidationFailed(_l("Unknown country."), field="country_code")
    values["country_code"] = code
    rank = rule_rank(values["function"], partner_city_occasion=partner_city_occasion)
    values["book"] = values["book"] or book_for(rank).value
    if values["book"] not in {b.value for b in Book}:
        raise ValidationFailed(_l("Please choose the Golden Book or the Gästebuch."), field="book")
    values["reason"] = check_book(values["book"], rank, values["reason"], values["function"])
    is_new = entry is None
    if is_new:
        entry = BookEntry(occasion_scope=occasion_scope, occasion_id=occasion_id,
                          state=(EntryState.PLANNED if values["signed_on"] > today_berlin()
                                 else EntryState.SIGNED).value)
        db.session.add(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.rank = rank.value if rank else None
    changes = changes_of(entry)
    db.session.flush()
    if is_new:
        workflow.start(entry, actor=actor)
    else:
        from .planning import follow_entry  # planning builds on this module

        follow_entry(entry, actor=actor)
    record_event("book_entry.create" if is_new else "book_entry.update", actor=actor, target=entry,
                 summary=entry.signatory, changes=changes or None)
    return entry


def _require_changeable(entry: BookEntry) -> None:
    if entry.state == EntryState.WITHDRAWN.value:
        raise DomainError(_l("A withdrawn entry can no longer be changed; plan it again first."))


#: The photo of the signing; a withdrawn entry's photo stays as it is.
photo = PhotoPart(audit_name="book_entry", check=_require_changeable)


def entries_for(scope: str, subject_id: int, *, reader) -> list[BookEntry]:
    """The entries of one visit or event that `reader` may see, latest first."""
    return entries_for_many(scope, [subject_id], reader=reader)


def entries_for_many(scope: str, subject_ids, *, reader) -> list[BookEntry]:
    """The entries of several visits or events (a partnership's) that `reader` may see, latest first."""
    subject_ids = list(subject_ids)
    if not subject_ids:
        return []
    stmt = sa.select(BookEntry).where(BookEntry.occasion_scope == scope, BookEntry.occasion_id.in_(subject_ids),
                                      permissions.readable_filter(reader))
    return list(db.session.scalars(stmt.order_by(BookEntry.signed_on.desc(), BookEntry.id.desc())))


def history_lines(scope: str, subject_ids, *, reader) -> list[HistoryLine]:
    """The entries of a partnership's visits or events, as lines of the partnership's history."""
    return [HistoryLine(entry.signed_on, str(entry.book_label), entry.signatory,
                        path_for("goldenbook.detail", entry_id=entry.id),
                        f"{entry.function} · {entry.state_label}", "book")
            for entry in entries_for_many(scope, subject_ids, reader=reader)]


def year_filter(year: int):
    return sa.and_(BookEntry.signed_on >= date(year, 1, 1), BookEntry.signed_on < date(year + 1, 1, 1))


def years() -> list[int]:
    """The years with entries, latest first, and always the current one."""
    first, last = db.session.execute(sa.select(sa.func.min(BookEntry.signed_on),
                                               sa.func.max(BookEntry.signed_on))).one()
    now = today_berlin().year
    # Within the register's years, whatever an older version of the rules let in.
    low = max(min(first.year if first else now, now), EARLIEST_SIGNING.year)
    high = min(max(last.year if last else now, now), latest_planned_day().year)
    return list(range(high, low - 1, -1))


def log_confidential_shown(reader, entries, *, how: str) -> None:
    """Log which entries of confidential occasions a page or export showed (entry numbers only)."""
    ids = [entry.id for entry in entries]
    if not ids:
        return
    secret = db.session.scalars(sa.select(BookEntry.id).where(
        BookEntry.id.in_(ids), confidential_occasion_filter(BookEntry.occasion_scope, BookEntry.occasion_id)))
    record_read(reader, scope="book_entry", references=[f"#{entry_id}" for entry_id in secret], how=how)


def log_read(reader, entry: BookEntry) -> None:
    """An entry of a confidential occasion read on its own page."""
    if is_confidential_occasion(entry.occasion_scope, entry.occasion_id):
        record_read(reader, target=entry)


def list_stmt(*, year: int, book: str | None, state: str | None, reader):
    """Entries of a year, of one book or both, that `reader` may read; viewers see the signed
    entries only."""
    stmt = sa.select(BookEntry).where(year_filter(year), permissions.readable_filter(reader))
    if book in {b.value for b in Book}:
        stmt = stmt.where(BookEntry.book == book)
    if permissions.sees_internals(reader) and state in {s.value for s in EntryState}:
        stmt = stmt.where(BookEntry.state == state)
    return stmt


def year_rows(stmt, *, reader, how: str) -> list[list]:
    """Rows of the printed list and of its XLSX, in the order of the days (what they show of
    confidential occasions logged as read `how`)."""
    rows = []
    entries = db.session.scalars(stmt.order_by(BookEntry.signed_on, BookEntry.id)).all()
    log_confidential_shown(reader, entries, how=how)
    for entry in entries:
        rows.append([entry.signed_on, entry.signatory, entry.function, entry.country.name if entry.country else "",
                     entry.occasion or "", str(entry.book_label), entry.place_in_book, str(entry.state_label)])
    return rows


def settings() -> BookSettings:
    return db.session.scalar(sa.select(BookSettings)) or BookSettings(lead_days=DEFAULT_LEAD_DAYS)


@transactional
def set_lead_days(*, actor, lead_days: int) -> BookSettings:
    """How many days before a signing the calligrapher's task is due (tasks made later use it)."""
    if not 0 <= lead_days <= 60:
        raise ValidationFailed(_l("Please give between 0 and 60 days."), field="lead_days")
    row = db.session.scalar(sa.select(BookSettings))
    if row is None:
        row = BookSettings(lead_days=DEFAULT_LEAD_DAYS)
        db.session.add(row)
    before = row.lead_days
    row.lead_days = lead_days
    db.session.flush()
    record_event("book_settings.update", actor=actor, changes={"lead_days": [before, lead_days]})
    return row
