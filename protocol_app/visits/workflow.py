"""The visit process: requested → planning → confirmed → completed; cancelled
from every open state; declined from requested."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.permissions import Permission
from ..core.workflow import Workflow, transition


class VisitState(LabelledEnum):
    REQUESTED = "requested", _l("Requested")
    PLANNING = "planning", _l("Planning")
    CONFIRMED = "confirmed", _l("Confirmed")
    COMPLETED = "completed", _l("Completed")
    CANCELLED = "cancelled", _l("Cancelled")
    DECLINED = "declined", _l("Declined")


OPEN_STATES = (VisitState.REQUESTED, VisitState.PLANNING, VisitState.CONFIRMED)
#: States in which a visit still occupies venues, hosts and officers.
ACTIVE_STATES = (VisitState.REQUESTED, VisitState.PLANNING, VisitState.CONFIRMED, VisitState.COMPLETED)



def _departed(visit, actor):
    from ..core.time import now_utc

    if visit.departure_at > now_utc():
        return _l("A visit can be marked as completed only after the departure.")
    return None

VISIT_WORKFLOW = Workflow(
    "visit",
    VisitState,
    [
        transition("requested", "start_planning", "planning", permission=Permission.VISIT_TRANSITION, label=_l("Start planning")),
        transition("requested", "decline", "declined", permission=Permission.VISIT_TRANSITION, label=_l("Decline"),
                   requires_comment=True),
        transition("planning", "confirm", "confirmed", permission=Permission.VISIT_TRANSITION, label=_l("Confirm")),
        transition("confirmed", "reopen", "planning", permission=Permission.VISIT_TRANSITION, label=_l("Back to planning"),
                   requires_comment=True),
        transition("confirmed", "complete", "completed", permission=Permission.VISIT_TRANSITION, label=_l("Mark as completed"),
                   guard=_departed),
        transition(OPEN_STATES, "cancel", "cancelled", permission=Permission.VISIT_TRANSITION, label=_l("Cancel"),
                   requires_comment=True),
    ],
)
