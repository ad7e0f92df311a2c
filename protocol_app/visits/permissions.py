"""Who may see and change which visit (used by views, templates and services)."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.permissions import Permission, user_has
from .models import Visit
from .workflow import OPEN_STATES


def can_read(user, visit: Visit) -> bool:
    """Readers see visits; confidential ones only with the matching permission."""
    if not user_has(user, Permission.VISIT_READ):
        return False
    return not visit.is_confidential or user_has(user, Permission.VISIT_READ_CONFIDENTIAL)


def can_edit(user, visit: Visit | None = None) -> bool:
    """Officers edit visits that are still open."""
    if not user_has(user, Permission.VISIT_EDIT):
        return False
    return visit is None or visit.state in OPEN_STATES


def can_request_interpreting(user, visit: Visit) -> bool:
    """Booking interpreters is the Sprachendienst's work: officers who may book it do so from the
    visit page while the visit is open."""
    return can_edit(user, visit) and user_has(user, Permission.ASSIGNMENT_MANAGE)


def can_move(user) -> bool:
    return user_has(user, Permission.VISIT_TRANSITION)


def readable_filter(user, visits=Visit):
    """A WHERE clause restricting a query of `visits` (the table or an alias of it) to what
    `user` may read."""
    if user_has(user, Permission.VISIT_READ_CONFIDENTIAL):
        return sa.true()
    return visits.is_confidential.is_(False)


def can_report(user) -> bool:
    return user_has(user, Permission.REPORTS_VISITS)
