"""Who may see what of an event (used by views, templates and services)."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if
from ..core.time import today_berlin
from .models import Event
from .workflow import OPEN_STATES


def is_embargoed(event: Event) -> bool:
    """True while the event's guest list is under embargo (an award not yet announced)."""
    return event.embargo_until is not None and today_berlin() < event.embargo_until


def can_see_guests(user, event: Event) -> bool:
    """Guest lists, seating, letters and attachments: honours roles only during an embargo."""
    return not is_embargoed(event) or user_has(user, Permission.HONOURS_READ)


def can_read_needs(user, event: Event) -> bool:
    """Guests' diet and access answers (Art. 9): the event's staff, who plan the evening, and
    nobody who may only read it."""
    return user_has(user, Permission.EVENT_EDIT) and can_see_guests(user, event)


def can_read(user, event: Event | None = None) -> bool:
    """Readers see events; during an embargo the guests only as `can_see_guests` says."""
    return user_has(user, Permission.EVENT_READ)


def can_edit(user, event: Event | None = None) -> bool:
    """Officers change events still being planned or invited to."""
    return user_has(user, Permission.EVENT_EDIT) and (event is None or event.state in OPEN_STATES)


def can_maintain_occasions(user) -> bool:
    """The recurring occasions are reference data kept by admins."""
    return user_has(user, Permission.ADMIN_TEMPLATES)


def can_request_interpreting(user, event: Event) -> bool:
    """Booking interpreters is the Sprachendienst's work: officers who may book it do so from the
    event page while the event is open."""
    return can_edit(user, event) and user_has(user, Permission.ASSIGNMENT_MANAGE)


def readable_filter(user):
    """Every event for readers (an embargo hides the guests, not the event)."""
    return whole_list_if(can_read(user))
