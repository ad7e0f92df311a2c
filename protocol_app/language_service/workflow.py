"""The offer of an assignment to one translator: offered → accepted / declined, or withdrawn
when enough others accepted or the assignment was cancelled."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.permissions import Role
from ..core.workflow import Workflow, transition


class OfferState(LabelledEnum):
    OFFERED = "offered", _l("Offered")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


#: Guards filled in by `language_service.offers`, which knows how staffing is counted.
GUARDS: dict = {}

#: Offers that hold the translator's time.
BINDING_STATES = ("offered", "accepted")

OFFER_WORKFLOW = Workflow("offer", OfferState, [
    transition("offered", "accept", "accepted", roles=[Role.TRANSLATOR], label=_l("Accept")),
    transition("offered", "decline", "declined", roles=[Role.TRANSLATOR], label=_l("Decline")),
    transition(BINDING_STATES, "withdraw", "withdrawn", roles=[Role.OFFICER], label=_l("Withdraw")),
    # Taken on the acceptance that fills the last place, whoever accepted it.
    transition("offered", "withdraw_staffed", "withdrawn", roles=[Role.TRANSLATOR, Role.OFFICER],
               label=_l("Withdraw"), guard=lambda offer, actor: GUARDS["staffed"](offer, actor)),
])
