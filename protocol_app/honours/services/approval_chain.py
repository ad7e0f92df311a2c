"""The approval chain of an award type, kept by admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from ...core.audit import record_event
from ...core.db import transactional
from ...core.errors import DomainError, ValidationFailed
from ...core.permissions import Position, Role
from ...extensions import db
from ..models import (
    ApprovalStep,
    AwardType,
    Nomination,
)
from ..workflow import NominationState

#: Roles that may decide a step (the others never see a case).
DECIDING_ROLES = (Role.MANAGER, Role.OFFICER)


@transactional
def add_step(award_type: AwardType, *, name: str, role: str, actor, required_position: str | None = None) -> ApprovalStep:
    """Append a decision step to the award's approval chain, decided by a role (and, if given,
    only by the holder of a post)."""
    if role not in DECIDING_ROLES:
        raise ValidationFailed(_l("Only heads of unit/department or protocol officers can decide a step."),
                               field="role")
    if required_position is not None and required_position not in {p.value for p in Position}:
        raise ValidationFailed(_l("Please choose a post from the list."), field="required_position")
    step = ApprovalStep(award_type=award_type, position=len(award_type.steps) + 1, name=name.strip(), role=role,
                        required_position=required_position)
    db.session.add(step)
    db.session.flush()
    record_event("award_type.step_add", actor=actor, target=award_type, summary=f"{step.position}: {step.name}")
    return step


@transactional
def remove_last_step(award_type: AwardType, *, actor) -> None:
    """Remove the chain's last step, unless a case waits in it."""
    if not award_type.steps:
        raise DomainError(_l("This award has no approval steps."))
    step = award_type.steps[-1]
    waiting = db.session.scalar(sa.select(sa.func.count(Nomination.id)).where(
        Nomination.award_type_id == award_type.id, Nomination.state == NominationState.IN_APPROVAL,
        Nomination.step_position >= step.position))
    if waiting:
        raise DomainError(lazy_ngettext("%(n)s case waits in this step; it cannot be removed now.",
                                        "%(n)s cases wait in this step; it cannot be removed now.", waiting, n=waiting))
    if len(award_type.steps) == 1:
        raise DomainError(_l("An award needs at least one approval step."))
    award_type.steps.remove(step)
    db.session.flush()
    record_event("award_type.step_remove", actor=actor, target=award_type, summary=f"{step.position}: {step.name}")


