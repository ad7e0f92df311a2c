"""The event process: planning → (invitations sent →) held → closed; cancelled."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.errors import DomainError
from ..core.permissions import Permission
from ..core.time import now_utc
from ..core.workflow import Workflow, transition


class EventState(LabelledEnum):
    PLANNING = "planning", _l("Planning")
    INVITATIONS_SENT = "invitations_sent", _l("Invitations sent")
    HELD = "held", _l("Held")
    CLOSED = "closed", _l("Closed")
    CANCELLED = "cancelled", _l("Cancelled")


OPEN_STATES = (EventState.PLANNING, EventState.INVITATIONS_SENT)


def require_open(event) -> None:
    """Refuse changes to an event that is held, closed or cancelled."""
    if event.state not in OPEN_STATES:
        raise DomainError(_l("A closed event can no longer be changed."))


def _has_begun(event, actor):
    if event.starts_at > now_utc():
        return _l("An event can be marked as held only once it has begun.")
    return None


EVENT_WORKFLOW = Workflow(
    "event",
    EventState,
    [
        transition("planning", "send_invitations", "invitations_sent", permission=Permission.EVENT_EDIT,
                   label=_l("Invitations sent")),
        # A wreath-laying or a flag day has no guest list: it is held without invitations too.
        transition(OPEN_STATES, "mark_held", "held", permission=Permission.EVENT_EDIT, label=_l("Mark as held"),
                   guard=_has_begun),
        transition("held", "close", "closed", permission=Permission.EVENT_EDIT, label=_l("Close")),
        transition(OPEN_STATES, "cancel", "cancelled", permission=Permission.EVENT_EDIT, label=_l("Cancel"),
                   requires_comment=True),
    ],
)


class GuestStatus(LabelledEnum):
    LISTED = "listed", _l("On the list")
    INVITED = "invited", _l("Invited")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Regrets")  # RSVP wording; "Declined" is a visit request turned down
    WAITING = "waiting", _l("Waiting list")


#: A guest's reply: answered by the guest's personal link (no account) or entered by an officer
#: from a phone call or a letter; a waiting guest moves up when a place is freed.
_REPLIED = (GuestStatus.INVITED, GuestStatus.ACCEPTED, GuestStatus.WAITING, GuestStatus.DECLINED)
GUEST_WORKFLOW = Workflow("guest", GuestStatus, [
    transition("listed", "invite", "invited", permission=Permission.EVENT_EDIT, label=_l("Invite")),
    transition(_REPLIED, "accept", "accepted", permission=Permission.EVENT_EDIT, by_link=True, label=_l("Accepted")),
    transition(_REPLIED, "wait", "waiting", permission=Permission.EVENT_EDIT, by_link=True, label=_l("Waiting list")),
    transition(_REPLIED, "decline", "declined", permission=Permission.EVENT_EDIT, by_link=True, label=_l("Regrets")),
    # Taken by whoever's reply freed the place (the guest by link, or an officer).
    transition("waiting", "move_up", "accepted", permission=Permission.EVENT_EDIT, by_link=True, label=_l("Moved up")),
], state_attr="status")
