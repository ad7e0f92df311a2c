"""Who may see and do what with an assignment and its offers, used by views and templates alike;
the policies take the record."""

from __future__ import annotations

from ..core.permissions import Permission, user_has
from ..core.time import now_utc
from .models import Assignment, Offer
from .offers import offers_of
from .workflow import STAFFING_STATES, OfferState


def offer_is_live(offer: Offer) -> bool:
    """An offer still to be answered (before the assignment begins) or accepted."""
    if offer.state == OfferState.ACCEPTED.value:
        return True
    if offer.state != OfferState.OFFERED.value:
        return False  # declined or withdrawn: the translator is out of this assignment
    begins = offer.assignment.starts_at or offer.assignment.deadline
    return begins is None or begins > now_utc()  # unanswered until it began: expired


def can_read_file(user, assignment: Assignment, which: str) -> bool:
    """Officers read source and translation; a translator the source while their offer is live."""
    if user_has(user, Permission.ASSIGNMENT_MANAGE):
        return True
    if which != "source":
        return False
    return any(o.profile.user_id == user.id and offer_is_live(o) for o in offers_of(assignment))


def can_read(user, assignment: Assignment | None = None) -> bool:
    """The Sprachendienst's officers and the managers read assignments; a translator only those
    offered to them (what of it — the source file, the answer — the other policies say)."""
    if user_has(user, Permission.ASSIGNMENT_MANAGE) or user_has(user, Permission.ASSIGNMENT_READ):
        return True
    return assignment is not None and any(o.profile.user_id == user.id for o in offers_of(assignment))


def can_edit(user, assignment: Assignment | None = None) -> bool:
    """Officers change an assignment (time, place, offers, cancellation) while it is being staffed."""
    return can_manage(user) and (assignment is None or assignment.state in STAFFING_STATES)


def owns_offer(user, offer: Offer) -> bool:
    """A translator's own offer; anyone else's is not there for them."""
    return offer.profile.user_id == user.id


def can_manage(user) -> bool:
    """Officers of the Sprachendienst book, change and cancel assignments."""
    return user_has(user, Permission.ASSIGNMENT_MANAGE)


def can_answer(user, offer: Offer) -> bool:
    """The translator an open offer is addressed to accepts or declines it."""
    return offer.profile.user_id == user.id and offer.state == OfferState.OFFERED


def can_hand_back(user, offer: Offer) -> bool:
    """The translator gives back an accepted job while the assignment is still being staffed."""
    return (offer.profile.user_id == user.id and offer.state == OfferState.ACCEPTED
            and offer.assignment.state in STAFFING_STATES)


def readable_filter(user):
    """The assignments `user` may read, as a WHERE clause: all for the Sprachendienst's officers and
    the managers, a translator's only those offered to them."""
    import sqlalchemy as sa

    if user_has(user, Permission.ASSIGNMENT_MANAGE) or user_has(user, Permission.ASSIGNMENT_READ):
        return sa.true()
    from .models import TranslatorProfile

    return Assignment.id.in_(sa.select(Offer.assignment_id).join(TranslatorProfile, TranslatorProfile.id == Offer.profile_id)
                             .where(TranslatorProfile.user_id == user.id))
