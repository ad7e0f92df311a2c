"""Visits and their programme items as calendar entries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import noload

from ..calendar.sources import CalendarEntry, register_source
from ..core.permissions import Permission, user_has
from ..core.urls import path_for
from ..extensions import db
from ..programme import overlaps
from . import permissions
from .models import Visit, VisitProgrammeItem
from .workflow import ACTIVE_STATES, VisitState


def visit_entries(user, start, end) -> list[CalendarEntry]:
    """The visits (all-day spans) and programme items `user` may see in the window."""
    if not user_has(user, Permission.VISIT_READ):
        return []
    visible = sa.and_(permissions.readable_filter(user), Visit.state.in_(ACTIVE_STATES))
    visits = db.session.scalars(
        sa.select(Visit)
        .where(visible, Visit.arrival_at < end, Visit.departure_at > start)
        .options(noload(Visit.hosts))
    ).all()
    entries = [
        CalendarEntry(
            uid=f"visit-{v.id}@protokoll", title=f"{v.title} ({v.reference})",
            starts_at=v.arrival_at, ends_at=v.departure_at, sequence=v.version,
            css_class=f"kind-{v.kind}", link=path_for("visits.detail", reference=v.reference),
            description=v.kind_label and str(v.kind_label), all_day=True,
            status="TENTATIVE" if v.state == VisitState.REQUESTED else "CONFIRMED",
        )
        for v in visits
    ]
    rows = db.session.execute(
        sa.select(VisitProgrammeItem, Visit)
        .join(Visit, VisitProgrammeItem.visit_id == Visit.id)
        .where(visible, overlaps(VisitProgrammeItem, start, end))
        .options(noload(VisitProgrammeItem.hosts), noload(Visit.hosts))
    ).all()
    entries.extend(
        CalendarEntry(
            uid=f"visit-item-{item.id}@protokoll", title=f"{item.title} · {visit.title}",
            starts_at=item.starts_at, ends_at=item.ends_at, sequence=item.version,
            css_class=f"kind-{visit.kind}",
            link=path_for("visits.detail", reference=visit.reference, _anchor=f"item-{item.id}"),
            location=item.venue.name if item.venue else item.location,
        )
        for item, visit in rows
    )
    return entries


register_source("visits", visit_entries)
