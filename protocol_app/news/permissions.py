"""Who may do what with press notes: officers draft and send them for approval, managers approve,
return and withdraw. The public reads published notes through the feed only. Each policy takes
the note where the rule depends on it; pages, templates and services ask them here."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if
from .workflow import NoteState

EDIT = Permission.NEWS_EDIT
APPROVE = Permission.NEWS_APPROVE


def can_read(user, note=None) -> bool:
    return user_has(user, EDIT) or user_has(user, APPROVE)


def can_edit(user, note=None) -> bool:
    """Officers write notes; a note's text and photo only while it is a draft (a returned note
    is a draft again)."""
    return user_has(user, EDIT) and (note is None or note.state == NoteState.DRAFT.value)


def can_approve(user) -> bool:
    return user_has(user, APPROVE)


def readable_filter(user):
    """Every note for the office's writers and approvers (the public reads the feed)."""
    return whole_list_if(can_read(user))
