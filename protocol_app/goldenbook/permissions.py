"""Who may do what with the books: officers record and plan entries, managers and viewers read;
viewers see signed entries only (a planned one can tell of a visit not yet announced); an entry
of a confidential visit is as hidden as the visit. Each policy takes the entry where the rule
depends on it, and every page, route and service asks it here."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.permissions import Permission, user_has
from ..programme.occasions import may_read_occasion, readable_occasion_filter
from .workflow import EntryState

READ = Permission.GOLDEN_BOOK_READ
EDIT = Permission.GOLDEN_BOOK_EDIT
SETTINGS = Permission.ADMIN_TEMPLATES


def can_read(user, entry=None) -> bool:
    """The books' read right; for an entry also: a signed one unless `user` sees the office's
    internals, and the read rule of its visit or event."""
    if not user_has(user, READ):
        return False
    if entry is None:
        return True
    if entry.state != EntryState.SIGNED.value and not sees_internals(user):
        return False
    return may_read_occasion(entry.occasion_scope, entry.occasion_id, user)


def can_edit(user, entry=None) -> bool:
    """The books' edit right; for an entry also: not withdrawn (it must be planned again first)."""
    return user_has(user, EDIT) and (entry is None or entry.state != EntryState.WITHDRAWN.value)


def readable_filter(user):
    """`can_read` for a list, as a WHERE clause on the entries: the entries of visits and events
    `user` may read (a confidential visit's entry is as confidential as the visit), and only the
    signed ones unless `user` sees the office's internals."""
    from .models import BookEntry  # the models import the process table, which this module serves

    if not user_has(user, READ):
        return sa.false()
    clause = readable_occasion_filter(BookEntry.occasion_scope, BookEntry.occasion_id, user)
    return clause if sees_internals(user) else sa.and_(clause, BookEntry.state == EntryState.SIGNED.value)


def sees_internals(user) -> bool:
    """Planned and withdrawn entries, reasons and notes are the office's (officers and managers)."""
    return user_has(user, EDIT) or user_has(user, Permission.VISIT_READ_CONFIDENTIAL)
