"""Who may do what with the honorary graves: officers keep the register and prepare the batches,
managers record the Senate's decisions, viewers read the public list. Each policy takes the
record where the rule depends on it; pages, templates and services ask them here."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if
from .workflow import SuggestionState

READ = Permission.GRAVES_READ
EDIT = Permission.GRAVES_EDIT
DECIDE = Permission.GRAVES_DECIDE


def can_read(user, grave=None) -> bool:
    """The register is public: every reader sees a grave (viewers its public columns only)."""
    return user_has(user, READ)


def can_edit(user, grave=None) -> bool:
    return user_has(user, EDIT)


def can_read_work(user, record=None) -> bool:
    """A renewal batch or a suggestion is the office's work, not for viewers."""
    return sees_internals(user)


def can_decide(user) -> bool:
    """Managers record the Senate's decisions (on a batch, once it is submitted: its process says)."""
    return user_has(user, DECIDE)


def can_decide_suggestion(user, suggestion) -> bool:
    """A suggestion is decided once the council has been asked."""
    return can_decide(user) and suggestion.state == SuggestionState.COUNCIL.value


def sees_internals(user) -> bool:
    """Notes, decisions and the renewal work are the office's; viewers see the public columns."""
    return user_has(user, EDIT) or user_has(user, DECIDE)


def readable_filter(user):
    """The register is public: every grave for its readers."""
    return whole_list_if(can_read(user))
