"""The event process: planning → invitations sent → held → closed; cancelled."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.errors import DomainError
from ..core.permissions import Role
from ..core.time import now_utc
from ..core.workflow import Workflow, transition


class EventState(LabelledEnum):
    PLANNING = "planning", _l("Planning")
    INVITATIONS_SENT = "invitations_sent", _l("Invitations sent")
    HELD = "held", _l("Held")
    CLOSED = "closed", _l("Closed")
    CANCELLED = "cancelled", _l("Cancelled")


OPEN_STATES = ("planning", "invitations_sent")


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
        transition("planning", "send_invitations", "invitations_sent", roles=[Role.OFFICER],
                   label=_l("Invitations sent")),
        transition("invitations_sent", "mark_held", "held", roles=[Role.OFFICER], label=_l("Mark as held"),
                   guard=_has_begun),
        transition("held", "close", "closed", roles=[Role.OFFICER], label=_l("Close")),
        transition(OPEN_STATES, "cancel", "cancelled", roles=[Role.OFFICER], label=_l("Cancel"),
                   requires_comment=True),
    ],
)
