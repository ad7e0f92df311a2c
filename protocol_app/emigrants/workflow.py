"""The application process of the emigrant programme: received → checked → waiting list →
invited → confirmed → travel booked → visited → closed; rejected and withdrawn with reasons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.permissions import Permission
from ..core.workflow import Workflow, transition


class ApplicationState(LabelledEnum):
    RECEIVED = "received", _l("Received")
    CHECKED = "checked", _l("Checked")
    WAITING = "waiting", _l("Waiting list")
    INVITED = "invited", _l("Invited")
    CONFIRMED = "confirmed", _l("Confirmed")
    TRAVEL_BOOKED = "travel_booked", _l("Travel booked")
    VISITED = "visited", _l("Visited")
    CLOSED = "closed", _l("Closed")
    REJECTED = "rejected", _l("Rejected")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


OPEN_STATES = (ApplicationState.RECEIVED, ApplicationState.CHECKED, ApplicationState.WAITING, ApplicationState.INVITED,
               ApplicationState.CONFIRMED, ApplicationState.TRAVEL_BOOKED)
TEAM = Permission.EMIGRANTS_ACCESS



def duplicates_settled(application, actor):
    """Guard of "checked": every possible duplicate decided, none the same person, eligibility answered."""
    from .duplicates import (
        check_settled,  # the check queries the registers (models, which import this table)
    )

    return check_settled(application, actor)


def arrived(application, actor):
    """Guard of "visit took place": not before the arrival day (the stay plan says when)."""
    from .planning import has_arrived  # the plan is read from the models, which import this table

    return has_arrived(application, actor)


APPLICATION_WORKFLOW = Workflow("application", ApplicationState, [
    transition("received", "check", "checked", permission=TEAM, label=_l("Checked: eligible"),
               guard=duplicates_settled),
    transition("checked", "wait", "waiting", permission=TEAM, label=_l("Place on the waiting list")),
    transition("waiting", "invite", "invited", permission=TEAM, label=_l("Invite")),
    transition("invited", "confirm", "confirmed", permission=TEAM, label=_l("Invitation accepted")),
    transition("confirmed", "book_travel", "travel_booked", permission=TEAM, label=_l("Travel booked")),
    transition("travel_booked", "mark_visited", "visited", permission=TEAM, label=_l("Visit took place"),
               guard=arrived),
    transition("visited", "close", "closed", permission=TEAM, label=_l("Close")),
    transition(("received", "checked", "waiting"), "reject", "rejected", permission=TEAM, label=_l("Reject"),
               requires_comment=True),
    transition(OPEN_STATES, "withdraw", "withdrawn", permission=TEAM, label=_l("Withdrawn by the applicant"),
               requires_comment=True),
])
