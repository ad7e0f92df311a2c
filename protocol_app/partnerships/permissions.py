"""Who may do what with the partnerships: officers keep the records, managers and viewers read."""

from __future__ import annotations

from ..core.permissions import Permission, user_has

READ = Permission.PARTNERSHIPS_READ
EDIT = Permission.PARTNERSHIPS_EDIT


def can_read(user) -> bool:
    return user_has(user, READ)


def can_edit(user) -> bool:
    return user_has(user, EDIT)
