"""Guest lists imported from CSV or XLSX (e.g. a list sent by a partner organisation).

Every row is checked first; nothing is stored unless the whole file is valid.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import lock_for_update, transactional
from ..core.tabular_import import (
    ImportColumn,
    ImportResult,
    RowError,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_plain_text,
    parse_records,
    parse_upload,
)
from ..directory.models import AddressForm, GuestCategory
from ..extensions import db
from .guests import MAX_COMPANIONS, add_adhoc
from .models import Event, Guest
from .workflow import require_open

#: Short names offices use in their own lists (besides the names the app shows).
CATEGORY_SHORT_NAMES = {
    "Diplomatisches Korps": "diplomatic_corps", "Senat": "senate", "Abgeordnetenhaus": "parliament",
    "Ehrenbürger": "honorary_citizens", "Ordensträger": "honour_holders", "Partnerstädte": "partner_cities",
    "Presse": "press", "Sonstige": "other",
}

#: The template's example row; a file that still holds it imports without it.
EXAMPLE_ROW = ["Dr. Erika Beispiel", "Frau", "Generalkonsulin", "Generalkonsulat Beispielland",
               "Diplomatisches Korps", 120, "01.09.2024", "erika.beispiel@example.org", "de", 1]


def category_names() -> dict[str, str]:
    """Every name a category may have in a file: the names the app shows (German and English),
    the office's short names and the stored values."""
    names = {**CATEGORY_SHORT_NAMES, **{c.value: c.value for c in GuestCategory}}
    for language in ("de", "en"):
        with force_locale(language):
            names.update({str(c.label): c.value for c in GuestCategory})
    return names


def columns() -> list[ImportColumn]:
    """The template's columns; the forms of address are the maintained table's names."""
    address_forms = {name: str(fid) for fid, name in db.session.execute(sa.select(AddressForm.id,
                                                                                   AddressForm.name))}
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("address_form_id", "Anrede", parse=parse_choice(address_forms, str(_l("form of address"))),
                     aliases=("Form of address",)),
        ImportColumn("function", "Funktion", parse=parse_plain_text(200), aliases=("Function",)),
        ImportColumn("organisation", "Organisation", parse=parse_plain_text(200)),
        ImportColumn("category", "Kategorie", parse=parse_choice(category_names(), str(_l("guest category"))),
                     aliases=("Category",)),
        ImportColumn("rank", "Rang", parse=parse_int(1, 9999), aliases=("Rank",)),
        ImportColumn("in_office_since", "Im Amt seit", parse=parse_date, aliases=("In office since",)),
        ImportColumn("email", "E-Mail", parse=parse_email, aliases=("Email",)),
        ImportColumn("language", "Sprache", parse=parse_choice({"de": "de", "en": "en", "Deutsch": "de",
                                                                "Englisch": "en", "English": "en"},
                                                               str(_l("language"))), aliases=("Language",)),
        ImportColumn("companions", "Begleitpersonen", parse=parse_int(0, MAX_COMPANIONS),
                     aliases=("Companions",)),
    ]


def _identity(name: str | None, email: str | None, organisation: str | None) -> tuple:
    """Two rows are the same person when name and e-mail (or, lacking one, organisation) agree."""
    return ((name or "").strip().lower(), (email or organisation or "").strip().lower())


def check(event: Event, filename: str, data: bytes) -> ImportResult:
    """Parse and check an upload against the event's list; store nothing."""
    return _checked_against_list(event, parse_upload(filename, data, columns()))


def _checked_against_list(event: Event, result: ImportResult) -> ImportResult:
    """Leave out the template's example row; refuse people already on the list or twice in the rows."""
    example = _identity(EXAMPLE_ROW[0], EXAMPLE_ROW[7], EXAMPLE_ROW[3])
    result.rows = [row for row in result.rows if _identity(row.get("name"), row.get("email"),
                                                           row.get("organisation")) != example]
    result.errors = [e for e in result.errors if e.row in {r["_row"] for r in result.rows}]
    listed = {_identity(n, e, o) for n, e, o in db.session.execute(
        sa.select(Guest.name, Guest.email, Guest.organisation).where(Guest.event_id == event.id))}
    seen: dict[tuple, int] = {}
    for row in result.rows:
        if not row.get("name"):
            continue
        key = _identity(row["name"], row.get("email"), row.get("organisation"))
        if key in listed:
            result.errors.append(RowError(row["_row"], "Name", str(_l("This person is on the guest list already."))))
        elif key in seen:
            result.errors.append(RowError(row["_row"], "Name", str(
                _l("The same person appears in row %(row)s already.", row=seen[key]))))
        seen.setdefault(key, row["_row"])
    result.errors.sort(key=lambda error: error.row)
    return result


@transactional
def import_guests(event: Event, filename: str, data: bytes, *, actor) -> ImportResult:
    """Put every row of a valid file on the guest list; with any broken row, store nothing."""
    event = lock_for_update(event)  # two imports at once: the second checks against the first's guests
    require_open(event)
    return _store(event, check(event, filename, data), actor=actor, source=filename)


@transactional
def import_rows(event: Event, rows: list[dict], *, actor) -> ImportResult:
    """Put guests a program sent (through the API, as {column key: value}, numbered from 1) on the
    list, checked exactly as a file's rows; with any broken row, store nothing."""
    event = lock_for_update(event)
    require_open(event)
    result = parse_records(enumerate(rows, start=1), columns())
    return _store(event, _checked_against_list(event, result), actor=actor, source="the API")


def _store(event: Event, result: ImportResult, *, actor, source: str) -> ImportResult:
    if not result.ok:
        return result
    for row in result.rows:
        add_adhoc(event, actor=actor, name=row["name"], function=row.get("function"),
                  organisation=row.get("organisation"), rank=row.get("rank") or 500,
                  companions=row.get("companions") or 0, email=row.get("email"),
                  language=row.get("language") or "de", category=row.get("category") or "other",
                  address_form_id=int(row["address_form_id"]) if row.get("address_form_id") else None,
                  in_office_since=row.get("in_office_since"))
    record_event("event.guests_import", actor=actor, target=event, summary=f"{len(result.rows)} guests from {source}")
    return result
