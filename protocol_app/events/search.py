"""Events and their guests in the global search."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.i18n import format_d
from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, find, find_records, record_link, register_kind
from ..core.time import today_berlin
from . import permissions
from .models import REFERENCE_PREFIX, Event, Guest


def search_events(user, query: Query, limit: int) -> list[Hit]:
    """Events by reference or title, for those who may read events."""
    if not permissions.can_read(user):
        return []
    return find_records(Event, "events.detail", sa.select(Event.year, Event.number, Event.title, Event.starts_at),
                        (Event.title,), query, limit, lambda row, ref: f"{ref} · {format_d(row.starts_at)}")


def search_guests(user, query: Query, limit: int) -> list[Hit]:
    """Guests by name or organisation — not those of an event under embargo (an award not yet
    announced) unless the user holds an honours role, as on the event's page."""
    if not permissions.can_read(user):
        return []
    stmt = (sa.select(Guest.id, Guest.name, Guest.organisation, Event.year, Event.number, Event.title)
            .join(Event, Guest.event_id == Event.id))
    if not user_has(user, Permission.HONOURS_READ):
        stmt = stmt.where(sa.or_(Event.embargo_until.is_(None), Event.embargo_until <= today_berlin()))
    link = record_link("events.detail", REFERENCE_PREFIX, _anchor="guests")

    def to_hit(row) -> Hit:
        ref, url = link(row.year, row.number)
        detail = " · ".join(part for part in (row.organisation, f"{ref} {row.title}") if part)
        return Hit(title=row.name, link=url, detail=detail)

    return find(stmt, (Guest.name, Guest.organisation), query, limit, to_hit)


register_kind("events", _l("Events"), search_events, order=20)
register_kind("guests", _l("Guests"), search_guests, order=30)
