"""The case's way through its approval chain under the four-eyes rule, and the Senate's
decision within the cap of living holders. Who may take which step, and where it leads,
is the table in `honours.workflow`; these functions add what a step records."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...core import workflow
from ...core.db import transactional
from ...core.errors import DomainError, ValidationFailed
from ...core.time import now_utc, require_not_after_today
from ...extensions import db
from .. import rules
from ..models import (
    ApprovalStep,
    Holder,
    Nomination,
    StepDecision,
)
from ..workflow import NominationState, StepOutcome
from .cases import today
from .holders import add_holder, lock_award_type


def _apply(case, action, *, actor, comment=None, expected_version=None):
    entry = workflow.apply(case, action, actor=actor, comment=comment, expected_version=expected_version)
    case.step_entered_at = now_utc()
    db.session.flush()
    return entry


def _record_step(case: Nomination, step: ApprovalStep, outcome: StepOutcome, actor, comment) -> None:
    db.session.add(StepDecision(nomination=case, position=step.position, step_name=step.name, outcome=outcome.value,
                                decided_by_id=actor.id, decided_at=now_utc(), comment=comment or None))


@transactional
def submit(case: Nomination, *, actor, expected_version=None) -> None:
    """Hand the prepared case over for review."""
    _apply(case, "submit", actor=actor, expected_version=expected_version)
    case.submitted_at = case.submitted_at or now_utc()
    db.session.flush()


@transactional
def start_review(case: Nomination, *, actor, expected_version=None) -> None:
    """An officer takes the case for review (and may then not decide it)."""
    _apply(case, "start_review", actor=actor, expected_version=expected_version)
    case.reviewed_by_id = actor.id
    db.session.flush()


@transactional
def forward(case: Nomination, *, actor, expected_version=None) -> None:
    """Review done: the case goes to the first approval step."""
    _apply(case, "forward", actor=actor, expected_version=expected_version)  # the effect: step 1
    db.session.flush()


@transactional
def approve_step(case: Nomination, *, actor, comment=None, expected_version=None) -> None:
    """Approve the current step (the last one proposes the case to the Senate); the table's guard
    refuses it to anyone but the step's role, under the four-eyes rule, and while a rule fails."""
    step = case.current_step
    _apply(case, "approve", actor=actor, comment=comment, expected_version=expected_version)
    _record_step(case, step, StepOutcome.APPROVED, actor, comment)
    db.session.flush()


@transactional
def return_step(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    """Send the case back one step (from the first step: back to review), with the reason."""
    step = case.current_step
    _apply(case, "return", actor=actor, comment=comment, expected_version=expected_version)
    _record_step(case, step, StepOutcome.RETURNED, actor, comment)
    db.session.flush()


@transactional
def return_to_draft(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    """The reviewer sends the case back to its author."""
    _apply(case, "return_to_draft", actor=actor, comment=comment, expected_version=expected_version)



@transactional
def record_decision(case: Nomination, *, actor, approved: bool, decision_date: date | None,
                    decision_reference: str | None, comment=None, expected_version=None) -> None:
    """Record the Senate's decision; an approval must fit under the cap of living holders."""
    require_not_after_today(decision_date, field="decision_date",
                            message=_l("The date of the Senate's decision lies in the future."))
    if approved:
        if decision_date is None or not (decision_reference or "").strip():
            raise ValidationFailed(_l("Please enter the date and reference of the Senate's decision."),
                                   field="decision_date")
        lock_award_type(case.award_type)
        db.session.expire(case)  # read the case and the counts after the lock
        cap = rules.cap_rule(case)
        if cap.passed is False:
            raise DomainError(cap.message)
        _apply(case, "record_approval", actor=actor, comment=comment, expected_version=expected_version)
    else:
        _apply(case, "record_rejection", actor=actor, comment=comment, expected_version=expected_version)
    case.senate_decision_date = decision_date
    case.senate_decision_reference = (decision_reference or "").strip() or None
    db.session.flush()


@transactional
def schedule_ceremony(case: Nomination, *, actor, expected_version=None) -> None:
    _apply(case, "schedule_ceremony", actor=actor, expected_version=expected_version)


@transactional
def mark_awarded(case: Nomination, *, actor, awarded_on: date | None = None, expected_version=None) -> Holder:
    """The award was presented: the case becomes an entry of the register of holders."""
    awarded_on = awarded_on or case.award_date or today()
    require_not_after_today(awarded_on, field="awarded_on", message=_l("The award date lies in the future."))
    _apply(case, "mark_awarded", actor=actor, expected_version=expected_version)
    holder = add_holder(case.award_type, actor=actor, name=case.nominee_name, birth_date=case.birth_date,
                        gender=case.gender, awarded_on=awarded_on, nomination=case)
    return holder


@transactional
def withdraw(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    _apply(case, "withdraw", actor=actor, comment=comment, expected_version=expected_version)
    db.session.flush()




def waiting_for(user):
    """A query of the cases waiting in a step `user` may decide (role and four-eyes rule), oldest first."""
    roles = [getattr(role, "value", role) for role in user.roles]
    approved_elsewhere = sa.exists().where(
        StepDecision.nomination_id == Nomination.id, StepDecision.decided_by_id == user.id,
        StepDecision.outcome == StepOutcome.APPROVED.value, StepDecision.position != Nomination.step_position)
    return (
        sa.select(Nomination)
        .join(ApprovalStep, sa.and_(ApprovalStep.award_type_id == Nomination.award_type_id,
                                    ApprovalStep.position == Nomination.step_position))
        .where(Nomination.state == NominationState.IN_APPROVAL, ApprovalStep.role.in_(roles),
               sa.or_(ApprovalStep.required_position.is_(None), ApprovalStep.required_position == user.position),
               *[sa.func.coalesce(column, 0) != user.id
                 for column in (Nomination.created_by_id, Nomination.reviewed_by_id, Nomination.suggested_by_user_id)],
               ~approved_elsewhere)
        .order_by(Nomination.step_entered_at, Nomination.id)
    )
