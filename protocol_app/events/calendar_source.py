"""Events and ceremonies as calendar entries, for those who may read events (the web calendar
and the personal feeds)."""

from __future__ import annotations

import sqlalchemy as sa

from ..calendar.sources import CalendarEntry, register_source
from ..core.urls import path_for
from ..extensions import db
from . import permissions
from .models import Event
from .services import ACTIVE_STATES


def event_entries(user, start, end) -> list[CalendarEntry]:
    """The events `user` may see that overlap the window (their guests stay on the event page)."""
    if not permissions.can_read(user):
        return []
    events = db.session.scalars(sa.select(Event).where(
        Event.state.in_(ACTIVE_STATES), Event.starts_at < end, Event.ends_at > start)).all()
    return [
        CalendarEntry(
            uid=f"event-{e.id}@protokoll", title=f"{e.title} ({e.reference})", starts_at=e.starts_at,
            ends_at=e.ends_at, sequence=e.version, css_class=f"event-{e.kind}",
            link=path_for("events.detail", reference=e.reference),
            location=e.venue.name if e.venue else None, description=str(e.kind_label),
        )
        for e in events
    ]


register_source("events", event_entries)
