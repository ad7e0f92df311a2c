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
    return [event_entry(e) for e in events]


def event_entry(event: Event, *, for_guest: bool = False) -> CalendarEntry:
    """The event as a calendar entry; a guest's copy has no reference and no link into the app."""
    venue = event.venue
    return CalendarEntry(
        uid=f"event-{event.id}@protokoll", title=event.title if for_guest else f"{event.title} ({event.reference})",
        starts_at=event.starts_at, ends_at=event.ends_at, sequence=event.version, css_class=f"event-{event.kind}",
        link=None if for_guest else path_for("events.detail", reference=event.reference),
        location=", ".join(p for p in (venue.name, venue.address) if p) if venue else None,
        description=str(event.kind_label),
    )


register_source("events", event_entries)
