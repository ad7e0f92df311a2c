"""Who may do what with an honours case (used by views, templates and services)."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if
from .models import Nomination
from .workflow import EDITABLE_STATES, PENDING_STATES, NominationState

#: A death can be recorded while the case can still be stopped or its holder not yet entered.
_DEATH_RECORDABLE = (*PENDING_STATES, NominationState.APPROVED, NominationState.CEREMONY_SCHEDULED)
#: Cases for which a certificate and a ceremony exist.
_CEREMONY_STATES = (NominationState.APPROVED, NominationState.CEREMONY_SCHEDULED, NominationState.AWARDED)


def can_read(user, case: Nomination | None = None) -> bool:
    """Officers and managers of the honours desk read every case (each read is logged)."""
    return user_has(user, Permission.HONOURS_READ)


def can_read_award(user, award_type=None) -> bool:
    """An award's page: the honours desk, and the admins who keep its approval chain."""
    return can_read(user) or user_has(user, Permission.ADMIN_REFERENCE)


def can_prepare(user) -> bool:
    """Officers of the honours desk record cases, holders and ceremonies."""
    return user_has(user, Permission.HONOURS_PREPARE)


def can_edit(user, case: Nomination | None = None) -> bool:
    """A case's content changes only before its approval chain begins."""
    return can_prepare(user) and (case is None or case.state in EDITABLE_STATES)


def can_request_statement(user, case: Nomination) -> bool:
    """Statements are asked for while the case is still on its way."""
    return can_prepare(user) and case.state in PENDING_STATES


def can_record_death(user, case: Nomination) -> bool:
    return can_prepare(user) and case.died_on is None and case.state in _DEATH_RECORDABLE


def has_ceremony(case: Nomination) -> bool:
    """Approved cases get a ceremony and a certificate."""
    return case.state in _CEREMONY_STATES


def can_decide(user) -> bool:
    """Managers decide approval steps (which step is theirs, the step's role says)."""
    return user_has(user, Permission.HONOURS_DECIDE)


def readable_filter(user):
    """Every case for the honours desk (each shown case is logged by the page)."""
    return whole_list_if(can_read(user))
