"""The two processes of the Sprachendienst, each one transition table:

- the assignment: open → offered → partly staffed → staffed → done, and cancelled from any
  open state; the staffing states follow the offers' answers (`offers.sync_staffing`);
- the offer to one translator: offered → accepted / declined, withdrawn when enough others
  accepted or the assignment was cancelled, and handed back (with a reason) after accepting.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.permissions import Permission
from ..core.workflow import Workflow, transition


class AssignmentState(LabelledEnum):
    OPEN = "open", _l("Open for staffing")
    OFFERED = "offered", _l("Offered")
    PARTLY_STAFFED = "partly_staffed", _l("Partly staffed")
    STAFFED = "staffed", _l("Staffed")
    DONE = "done", _l("Done")
    CANCELLED = "cancelled", _l("Cancelled")


#: States in which an assignment still needs or holds interpreters.
STAFFING_STATES = (AssignmentState.OPEN, AssignmentState.OFFERED, AssignmentState.PARTLY_STAFFED, AssignmentState.STAFFED)

#: Where one change of the offers can take the staffing (target ← sources): offers made to an
#: open assignment; an acceptance (partly or fully staffed); a decline, a withdrawal or a hand-back
#: (back to fewer). Nobody is accepted without an offer, so an open assignment is never staffed
#: in one step.
STAFFING_MOVES = {
    AssignmentState.OFFERED: (AssignmentState.OPEN, AssignmentState.PARTLY_STAFFED, AssignmentState.STAFFED),
    AssignmentState.PARTLY_STAFFED: (AssignmentState.OFFERED, AssignmentState.STAFFED),
    AssignmentState.STAFFED: (AssignmentState.OFFERED, AssignmentState.PARTLY_STAFFED),
    AssignmentState.OPEN: (AssignmentState.OFFERED, AssignmentState.PARTLY_STAFFED, AssignmentState.STAFFED),
}

ASSIGNMENT_WORKFLOW = Workflow("assignment", AssignmentState, [
    # Taken by whoever changed the staffing: the officer offering, the translator answering.
    *(transition(sources, f"staffing_{target}", target,
                 permission=(Permission.ASSIGNMENT_MANAGE, Permission.ASSIGNMENT_ANSWER_OWN), label=_l("Staffing changed"))
      for target, sources in STAFFING_MOVES.items()),
    transition(("partly_staffed", "staffed"), "confirm", "done", permission=Permission.ASSIGNMENT_MANAGE,
               label=_l("Confirm hours or lines")),
    transition(STAFFING_STATES, "cancel", "cancelled", permission=Permission.ASSIGNMENT_MANAGE, label=_l("Cancel"),
               requires_comment=True),
])


class OfferState(LabelledEnum):
    OFFERED = "offered", _l("Offered")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    WITHDRAWN = "withdrawn", _l("Withdrawn")
    HANDED_BACK = "handed_back", _l("Handed back")




def places_filled(offer, actor):
    """Guard: the assignment's places are all taken (counted by `offers`, which knows how)."""
    from .offers import places_filled as filled  # offers reads the models, which import this table

    return filled(offer, actor)


#: Offers that hold the translator's time.
BINDING_STATES = (OfferState.OFFERED, OfferState.ACCEPTED)

OFFER_WORKFLOW = Workflow("offer", OfferState, [
    transition("offered", "accept", "accepted", permission=Permission.ASSIGNMENT_ANSWER_OWN, label=_l("Accept")),
    transition("offered", "decline", "declined", permission=Permission.ASSIGNMENT_ANSWER_OWN, label=_l("Decline")),
    transition(BINDING_STATES, "withdraw", "withdrawn", permission=Permission.ASSIGNMENT_MANAGE, label=_l("Withdraw")),
    # Taken on the acceptance that fills the last place, whoever accepted it.
    transition("offered", "withdraw_staffed", "withdrawn", permission=(Permission.ASSIGNMENT_MANAGE, Permission.ASSIGNMENT_ANSWER_OWN),
               label=_l("Withdraw"), guard=places_filled),
    transition("accepted", "hand_back", "handed_back", permission=Permission.ASSIGNMENT_ANSWER_OWN, label=_l("Hand back"),
               requires_comment=True),
])
