"""Who may do what with the honorary graves: officers keep the register and prepare the batches,
managers record the Senate's decisions, viewers read the public list."""

from __future__ import annotations

from ..core.permissions import Permission, user_has

READ = Permission.GRAVES_READ
EDIT = Permission.GRAVES_EDIT
DECIDE = Permission.GRAVES_DECIDE


def can_edit(user) -> bool:
    return user_has(user, EDIT)


def can_decide(user) -> bool:
    return user_has(user, DECIDE)


def sees_internals(user) -> bool:
    """Notes, decisions and the renewal work are the office's; viewers see the public columns."""
    return user_has(user, EDIT) or user_has(user, DECIDE)
