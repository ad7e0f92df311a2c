"""The nomination process: draft → submitted → review → one decision per configured
step → proposed → approved / rejected → ceremony scheduled → awarded; withdrawn.

The approval steps are data (`ApprovalStep` rows per award type); a case stays in
`in_approval` while `step_position` walks through them. Who may decide a step, the
four-eyes rule and the rules of the award type are checked by the guards below,
which `honours.services` fills in.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.errors import DomainError
from ..core.permissions import Permission
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
EDITABLE_STATES = ("draft", "submitted", "in_review")
#: Cases still on their way (for the desk, reminders and the quota's "pending").
PENDING_STATES = ("draft", "submitted", "in_review", "in_approval", "proposed")
#: Cases that count against a cap before they become holders.
APPROVED_STATES = ("approved", "ceremony_scheduled")


def require_editable(case) -> None:
    if case.state not in EDITABLE_STATES:
        raise DomainError(_l("The case is in approval or decided and can no longer be changed."))


#: Guards are looked up at call time so that services can hold the rules.
GUARDS: dict = {}


def _guard(name):
    def check(case, actor):
        return GUARDS[name](case, actor)

    return check


PREPARE, DECIDE = Permission.HONOURS_PREPARE, Permission.HONOURS_DECIDE


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
        transition("submitted", "start_review", "in_review", permission=PREPARE, label=_l("Start review")),
        transition("in_review", "return_to_draft", "draft", permission=PREPARE, label=_l("Return to the author"),
                   requires_comment=True),
        transition("in_review", "forward", "in_approval", permission=PREPARE, label=_l("Review done: forward for approval"),
                   guard=_guard("forward"), effect=_to_step(0)),
        # The step's own role and the four-eyes rule are checked by the guards.
        transition("in_approval", "approve_step", "in_approval", permission=DECIDE, label=_l("Approve this step"),
                   guard=_guard("approve_step"), effect=_to_step(+1)),
        transition("in_approval", "approve_last_step", "proposed", permission=DECIDE, label=_l("Approve this step"),
                   guard=_guard("approve_last_step"), effect=_to_step(None)),
        transition("in_approval", "return_step", "in_approval", permission=DECIDE, label=_l("Return to the previous step"),
                   requires_comment=True, guard=_guard("return_step"), effect=_to_step(-1)),
        transition("in_approval", "return_to_review", "in_review", permission=DECIDE,
                   label=_l("Return to the previous step"), requires_comment=True, guard=_guard("return_to_review"),
                   effect=_to_step(None)),
        transition("proposed", "record_approval", "approved", permission=Permission.HONOURS_READ,
                   label=_l("Record the Senate's approval"), guard=_guard("record_approval")),
        transition("proposed", "record_rejection", "rejected", permission=Permission.HONOURS_READ,
                   label=_l("Record the rejection"), requires_comment=True),
        transition("approved", "schedule_ceremony", "ceremony_scheduled", permission=PREPARE,
                   label=_l("Ceremony scheduled")),
        transition("ceremony_scheduled", "mark_awarded", "awarded", permission=PREPARE, label=_l("Awarded")),
        transition(PENDING_STATES, "withdraw", "withdrawn", permission=PREPARE, label=_l("Withdraw"),
                   requires_comment=True, effect=_to_step(None)),
    ],
)
