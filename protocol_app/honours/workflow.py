"""The nomination process: draft → submitted → review → one decision per configured
step → proposed → approved / rejected → ceremony scheduled → awarded; withdrawn.

The approval steps are data (`ApprovalStep` rows per award type); a case stays in
`in_approval` while `step_position` walks through them. Who may decide a step, the
four-eyes rule and the rules of the award type are the guards declared in the table
below; the effects move the case along the chain.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.errors import DomainError
from ..core.permissions import Permission, Position
from ..core.time import today_berlin
from ..core.workflow import Workflow, transition


class NominationState(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    IN_REVIEW = "in_review", _l("In review")
    IN_APPROVAL = "in_approval", _l("In approval")
    PROPOSED = "proposed", _l("Proposed to the Senate")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")
    CEREMONY_SCHEDULED = "ceremony_scheduled", _l("Ceremony scheduled")
    AWARDED = "awarded", _l("Awarded")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


#: Cases whose content may still be changed by officers.
EDITABLE_STATES = (NominationState.DRAFT, NominationState.SUBMITTED, NominationState.IN_REVIEW)
#: Cases still on their way (for the desk, reminders and the quota's "pending").
PENDING_STATES = (NominationState.DRAFT, NominationState.SUBMITTED, NominationState.IN_REVIEW, NominationState.IN_APPROVAL, NominationState.PROPOSED)
#: Cases that count against a cap before they become holders.
APPROVED_STATES = (NominationState.APPROVED, NominationState.CEREMONY_SCHEDULED)


def require_editable(case) -> None:
    if case.state not in EDITABLE_STATES:
        raise DomainError(_l("The case is in approval or decided and can no longer be changed."))


class StepOutcome(LabelledEnum):
    APPROVED = "approved", _l("approved")
    RETURNED = "returned", _l("returned")


PREPARE, DECIDE = Permission.HONOURS_PREPARE, Permission.HONOURS_DECIDE


# --- guards: why an actor may not take a step (None: they may) ---------------------------


def involvement(case, actor) -> object | None:
    """Why `actor` may not decide a step of this case (four-eyes rule), or None."""
    if actor.id in {case.created_by_id, case.reviewed_by_id, case.suggested_by_user_id}:
        return _l("Four-eyes rule: you created, suggested or reviewed this case, so you cannot decide it.")
    other_steps = {d.position for d in case.decisions
                   if d.decided_by_id == actor.id and d.outcome == StepOutcome.APPROVED.value
                   and d.position != case.step_position}
    if other_steps:
        return _l("Four-eyes rule: you have approved another step of this case already.")
    return None


def may_decide_step(case, actor) -> object | None:
    """The current step's own role — and, where the step names one, the holder of its post —
    decides it, and never someone involved in the case."""
    step = case.current_step
    if step is None:
        return _l("This case waits in no approval step.")
    if step.role not in actor.roles:
        return _l("Your role does not decide the step “%(step)s”.", step=step.name)
    if step.required_position and actor.position != step.required_position:
        return _l("This step is decided by the %(post)s.", post=Position(step.required_position).label)
    return involvement(case, actor)


def not_the_author(case, actor) -> object | None:
    """Four-eyes rule of the review: whoever prepared or suggested a case does not review it."""
    if actor.id in {case.created_by_id, case.suggested_by_user_id}:
        return _l("Four-eyes rule: you prepared or suggested this case, so another officer reviews it.")
    return None


def rules_hold(case) -> object | None:
    """An approval is refused while a rule of the award type fails (the reasons named)."""
    from . import rules  # the rules read the register (models, which import this table)

    broken = rules.failed(rules.check_rules(case, today_berlin()))
    if broken:
        return _l("The case cannot be approved: %(reasons)s", reasons=" ".join(str(r.message) for r in broken))
    return None


def may_approve(case, actor) -> object | None:
    return may_decide_step(case, actor) or rules_hold(case)


def has_steps(case, actor) -> object | None:
    return None if case.award_type.steps else _l("This award has no approval steps.")


def at_last_step(case) -> bool:
    return case.step_position == len(case.award_type.steps)


def at_first_step(case) -> bool:
    return case.step_position == 1


# --- effects: what a step does to the case besides its state ---------------------------


def _to_step(delta: int | None):
    """The effect of a step decision on the case's position in its award's approval chain:
    +1 / -1 moves along it, 0 starts at the first step, None leaves the chain."""
    def effect(case, actor):
        if delta is None:
            case.step_position = None
        elif delta == 0:
            case.step_position = 1
        else:
            case.step_position += delta
    return effect

NOMINATION_WORKFLOW = Workflow(
    "nomination",
    NominationState,
    [
        transition("draft", "submit", "submitted", permission=PREPARE, label=_l("Submit")),
        transition("submitted", "start_review", "in_review", permission=PREPARE, label=_l("Start review"),
                   guard=not_the_author),
        transition("in_review", "return_to_draft", "draft", permission=PREPARE, label=_l("Return to the author"),
                   requires_comment=True, guard=not_the_author),
        transition("in_review", "forward", "in_approval", permission=PREPARE, label=_l("Review done: forward for approval"),
                   guard=lambda case, actor: not_the_author(case, actor) or has_steps(case, actor), effect=_to_step(0)),
        # One decision each, "approve" and "return": where it leads depends on the step the case is at.
        transition("in_approval", "approve", "proposed", when=at_last_step, permission=DECIDE,
                   label=_l("Approve this step"), guard=may_approve, effect=_to_step(None)),
        transition("in_approval", "approve", "in_approval", permission=DECIDE, label=_l("Approve this step"),
                   guard=may_approve, effect=_to_step(+1)),
        transition("in_approval", "return", "in_review", when=at_first_step, permission=DECIDE,
                   label=_l("Return to the previous step"), requires_comment=True, guard=may_decide_step,
                   effect=_to_step(None)),
        transition("in_approval", "return", "in_approval", permission=DECIDE, label=_l("Return to the previous step"),
                   requires_comment=True, guard=may_decide_step, effect=_to_step(-1)),
        transition("proposed", "record_approval", "approved", permission=Permission.HONOURS_READ,
                   label=_l("Record the Senate's approval")),
        transition("proposed", "record_rejection", "rejected", permission=Permission.HONOURS_READ,
                   label=_l("Record the rejection"), requires_comment=True),
        transition("approved", "schedule_ceremony", "ceremony_scheduled", permission=PREPARE,
                   label=_l("Ceremony scheduled")),
        transition("ceremony_scheduled", "mark_awarded", "awarded", permission=PREPARE, label=_l("Awarded")),
        transition(PENDING_STATES, "withdraw", "withdrawn", permission=PREPARE, label=_l("Withdraw"),
                   requires_comment=True, effect=_to_step(None)),
    ],
)
