"""Visits and their programme items as calendar entries."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from ..calendar.sources import CalendarEntry, register_source
from ..core.db import UTCDateTime, stay_overlaps
from ..core.permissions import Permission, user_has
from ..core.references import format_reference
from ..core.urls import path_for
from ..directory.models import Venue
from ..extensions import db
from ..programme import overlaps
from . import permissions
from .models import REFERENCE_PREFIX, Visit, VisitKind, VisitProgrammeItem
from .services import SCOPE
from .workflow import ACTIVE_STATES, VisitState


def _staying(start, end) -> sa.ColumnElement:
    """Visits whose stay overlaps [start, end) (the GiST index over the stays on PostgreSQL)."""
    return stay_overlaps(Visit.arrival_at, Visit.departure_at, sa.literal(start, UTCDateTime()),
                         sa.literal(end, UTCDateTime()))


def _visit_spans(visible, start, end) -> list[CalendarEntry]:
    # Some 470 visits touch a busy month's six weeks: columns only, one link template, one
    # label per kind.
    visits = db.session.execute(
        sa.select(Visit.id, Visit.title, Visit.kind, Visit.state, Visit.version, Visit.year, Visit.number,
                  Visit.arrival_at, Visit.departure_at, Visit.is_confidential)
        .where(visible, _staying(start, end))
    ).all()
    link = path_for("visits.detail", reference="REFERENCE")
    kinds = {kind.value: str(kind.label) for kind in VisitKind}
    entries = []
    for v in visits:
        reference = format_reference(REFERENCE_PREFIX, v.year, v.number)
        entries.append(CalendarEntry(
            uid=f"visit-{v.id}@protokoll", title=f"{v.title} ({reference})",
            starts_at=v.arrival_at, ends_at=v.departure_at, sequence=v.version,
            css_class=f"kind-{v.kind}", link=link.replace("REFERENCE", reference),
            description=kinds.get(v.kind), all_day=True,
            status="TENTATIVE" if v.state == VisitState.REQUESTED else "CONFIRMED",
            confidential=(SCOPE, reference) if v.is_confidential else None,
        ))
    return entries


#: The columns an item's entry needs (a busy month holds some 1,800 items: no ORM objects).
_ITEM_COLUMNS = (
    VisitProgrammeItem.id, VisitProgrammeItem.title, VisitProgrammeItem.starts_at, VisitProgrammeItem.ends_at,
    VisitProgrammeItem.version, VisitProgrammeItem.location, Venue.name.label("venue_name"),
    Visit.title.label("visit_title"), Visit.kind, Visit.year, Visit.number, Visit.is_confidential,
)


def _item_rows(*where, extra=()) -> sa.Select:
    """The entry columns (and `extra`) of the items that meet `where`."""
    return (
        sa.select(*_ITEM_COLUMNS, *extra).select_from(VisitProgrammeItem)
        .join(Visit, VisitProgrammeItem.visit_id == Visit.id)
        .outerjoin(Venue, VisitProgrammeItem.venue_id == Venue.id)
        .where(*where)
    )


def _in_window(visible, start, end) -> tuple:
    # An item lies within its visit's days: naming that lets the database take the few
    # visits of the window first instead of hashing every visit.
    return visible, overlaps(VisitProgrammeItem, start, end), _staying(start - timedelta(days=1), end + timedelta(days=1))


def _item_entries(rows) -> list[CalendarEntry]:
    # Links from one template rather than asking the URL map once per item.
    link = path_for("visits.detail", reference="REFERENCE")
    return [
        CalendarEntry(
            uid=f"visit-item-{row.id}@protokoll", title=f"{row.title} · {row.visit_title}",
            starts_at=row.starts_at, ends_at=row.ends_at, sequence=row.version,
            css_class=f"kind-{row.kind}",
            link=link.replace("REFERENCE", format_reference(REFERENCE_PREFIX, row.year, row.number))
            + f"#item-{row.id}",
            location=row.venue_name or row.location,
            confidential=(SCOPE, format_reference(REFERENCE_PREFIX, row.year, row.number)) if row.is_confidential else None,
        )
        for row in rows
    ]


def visit_entries(user, start, end) -> list[CalendarEntry]:
    """The visits (all-day spans) and programme items `user` may see in the window."""
    if not user_has(user, Permission.VISIT_READ):
        return []
    visible = sa.and_(permissions.readable_filter(user), Visit.state.in_(ACTIVE_STATES))
    rows = db.session.execute(_item_rows(*_in_window(visible, start, end))).all()
    return _visit_spans(visible, start, end) + _item_entries(rows)


def visit_summary(user, start, end, per_day: int) -> tuple[list[CalendarEntry], Counter]:
    """The month view's share: every visit span, and of each day's one-day items the first
    `per_day` and how many more. PostgreSQL cuts in the query (a window per Berlin day);
    SQLite, holding one office's data, reads them all and the page cuts."""
    if not user_has(user, Permission.VISIT_READ):
        return [], Counter()
    visible = sa.and_(permissions.readable_filter(user), Visit.state.in_(ACTIVE_STATES))
    if db.session.get_bind().dialect.name != "postgresql":
        rows = db.session.execute(_item_rows(*_in_window(visible, start, end))).all()
        return _visit_spans(visible, start, end) + _item_entries(rows), Counter()
    first_day = sa.func.date(sa.func.timezone("Europe/Berlin", VisitProgrammeItem.starts_at))
    last_day = sa.func.date(sa.func.timezone("Europe/Berlin", VisitProgrammeItem.ends_at - sa.text("interval '1 microsecond'")))
    one_day = first_day == last_day
    # Ranked on the narrow columns first (sorting ~2,300 rows of keys, not of whole entries),
    # then the entry columns of the ~130 that show.
    ranked = (
        sa.select(VisitProgrammeItem.id, first_day.label("day"), one_day.label("one_day"),
                  sa.func.row_number().over(partition_by=(one_day, first_day),
                                            order_by=(VisitProgrammeItem.starts_at, VisitProgrammeItem.title)).label("rank"),
                  sa.func.count().over(partition_by=(one_day, first_day)).label("on_day"))
        .join(Visit, VisitProgrammeItem.visit_id == Visit.id)
        .where(*_in_window(visible, start, end))
        .subquery()
    )
    shown = sa.select(ranked).where(sa.or_(~ranked.c.one_day, ranked.c.rank <= per_day)).subquery()
    rows = db.session.execute(
        _item_rows(extra=(shown.c.day, shown.c.one_day, shown.c.rank, shown.c.on_day))
        .join(shown, shown.c.id == VisitProgrammeItem.id)).all()
    left_out = Counter({row.day: row.on_day - per_day for row in rows
                        if row.one_day and row.rank == 1 and row.on_day > per_day})
    return _visit_spans(visible, start, end) + _item_entries(rows), left_out


register_source("visits", visit_entries, visit_summary)
