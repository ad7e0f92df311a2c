"""Who may see what of an event (used by views, templates and services)."""

from __future__ import annotations

from ..core.permissions import Permission, user_has
from ..core.time import today_berlin
from .models import Event


def is_embargoed(event: Event) -> bool:
    """True while the event's guest list is under embargo (an award not yet announced)."""
    return event.embargo_until is not None and today_berlin() < event.embargo_until


def can_see_guests(user, event: Event) -> bool:
    """Guest lists, seating, letters and attachments: honours roles only during an embargo."""
    return not is_embargoed(event) or user_has(user, Permission.HONOURS_READ)
