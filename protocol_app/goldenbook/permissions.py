"""Who may do what with the books: officers record and plan entries, managers and viewers read;
viewers see signed entries only (a planned one can tell of a visit not yet announced)."""

from __future__ import annotations

from ..core.permissions import Permission, user_has

READ = Permission.GOLDEN_BOOK_READ
EDIT = Permission.GOLDEN_BOOK_EDIT
SETTINGS = Permission.ADMIN_TEMPLATES


def can_read(user) -> bool:
    return user_has(user, READ)


def can_edit(user) -> bool:
    return user_has(user, EDIT)


def sees_internals(user) -> bool:
    """Planned and withdrawn entries, reasons and notes are the office's (officers and managers)."""
    return user_has(user, EDIT) or user_has(user, Permission.VISIT_READ_CONFIDENTIAL)
