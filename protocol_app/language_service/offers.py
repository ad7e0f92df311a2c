"""Offering an assignment to candidates and their answers: when enough have accepted, the
remaining offers are withdrawn and those translators are told. A translator answers only
their own offers; two accepting the last place at once cannot both get it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core import workflow
from ..core.audit import record_event
from ..core.db import advisory_lock, lock_for_update, transactional
from ..core.errors import DomainError, NotAllowed, ValidationFailed
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.time import now_utc
from ..core.urls import path_for
from ..extensions import db
from . import candidates, notices
from .models import Assignment, Offer, TranslatorProfile
from .workflow import BINDING_STATES, STAFFING_STATES, AssignmentState, OfferState


def staffing(assignment: Assignment, offers: list[Offer]) -> str:
    """open, offered, partly staffed or staffed, as the offers give it (`sync_staffing` keeps the
    assignment's state in step through the engine)."""
    accepted = sum(1 for o in offers if o.state == OfferState.ACCEPTED)
    if accepted >= assignment.needed:
        return AssignmentState.STAFFED
    if accepted:
        return AssignmentState.PARTLY_STAFFED
    return AssignmentState.OFFERED if any(o.state == OfferState.OFFERED for o in offers) else AssignmentState.OPEN


def places_filled(offer: Offer, actor) -> object | None:
    """Guard of withdrawing the offers left open once the last place is taken."""
    if staffing(offer.assignment, offers_of(offer.assignment)) == AssignmentState.STAFFED:
        return None
    return _l("The assignment still has open places.")


def offers_of(assignment: Assignment) -> list[Offer]:
    return list(db.session.scalars(sa.select(Offer).where(Offer.assignment_id == assignment.id).order_by(Offer.id)))


def _offer_link(offer: Offer) -> str:
    return path_for("translations.offer", offer_id=offer.id)


@transactional
def make_offers(assignment: Assignment, profile_ids: list[int], *, actor) -> list[Offer]:
    """Offer the assignment to some of its candidates; each is notified in-app and by e-mail."""
    if assignment.state not in STAFFING_STATES:
        raise DomainError(_l("The assignment is cancelled or completed."))
    if (assignment.starts_at or assignment.deadline) <= now_utc():
        raise DomainError(_l("The assignment lies in the past."))
    if not profile_ids:
        raise ValidationFailed(_l("Please choose at least one candidate."))
    # Two officers offering overlapping assignments to one translator at once: the second
    # ranks after the first has committed, so the translator is no longer free for it.
    advisory_lock(*(f"translator:{pid}" for pid in profile_ids))
    eligible = {c.profile.id: c.profile for c in candidates.rank(assignment)[0]}
    unknown = [pid for pid in profile_ids if pid not in eligible]
    if unknown:
        raise ValidationFailed(_l("Only ranked candidates can be offered the assignment."))
    made = []
    for profile_id in profile_ids:
        offer = Offer(assignment_id=assignment.id, profile_id=profile_id, state="offered")
        db.session.add(offer)
        db.session.flush()
        workflow.start(offer, actor=actor)
        record_event("offer.create", actor=actor, target=offer, summary=assignment.reference)
        notify(eligible[profile_id].user, notices.OFFER, {"reference": assignment.reference, "title": assignment.title},
               link=_offer_link(offer))
        made.append(offer)
    sync_staffing(assignment, actor=actor)
    return made


def lock(assignment: Assignment) -> Assignment:
    """Serialise everything that changes one assignment's places (answers, hand-backs,
    cancelling, editing), so the last place is given once and nothing is decided on stale rows."""
    return lock_for_update(assignment)


def live_offers(assignment: Assignment) -> list[Offer]:
    """Offers still open or accepted: the translators who must hear about a change."""
    return [o for o in offers_of(assignment) if o.state in BINDING_STATES]


def sync_staffing(assignment: Assignment, *, actor) -> None:
    """Move the assignment to the staffing state its offers now give (through the engine)."""
    if assignment.state not in STAFFING_STATES:
        return
    target = staffing(assignment, offers_of(assignment))
    if target != assignment.state:
        workflow.apply(assignment, f"staffing_{target}", actor=actor)


@transactional
def answer(offer: Offer, *, actor, accept: bool, reason: str | None = None) -> Offer:
    """The translator accepts or declines their own offer."""
    if offer.profile.user_id != actor.id:
        raise NotAllowed(_l("This offer is not addressed to you."))
    assignment = offer.assignment
    lock(assignment)
    db.session.refresh(offer)  # read the offer after the lock: someone may have filled the last place
    if offer.state == OfferState.WITHDRAWN:
        raise DomainError(_l("Thank you — all places of this assignment have been taken meanwhile, "
                             "so the offer was withdrawn."))
    if offer.state != OfferState.OFFERED:
        raise DomainError(_l("You have answered this offer already."))
    if accept:
        accepted = db.session.scalar(sa.select(sa.func.count(Offer.id)).where(
            Offer.assignment_id == assignment.id, Offer.state == OfferState.ACCEPTED))
        if accepted >= assignment.needed:
            raise DomainError(_l("Thank you — all places of this assignment have been taken meanwhile."))
    offer.answered_at = now_utc()
    offer.reason = None if accept else ((reason or "").strip()[:500] or None)
    workflow.apply(offer, "accept" if accept else "decline", actor=actor, comment=offer.reason)
    if assignment.officer is not None:
        notify(assignment.officer, notices.OFFER_ACCEPTED if accept else notices.OFFER_DECLINED,
               {"name": offer.profile.name, "reference": assignment.reference},
               link=path_for("translations.assignment", reference=assignment.reference))
    if accept:
        _withdraw_when_staffed(assignment, actor=actor)
    sync_staffing(assignment, actor=actor)
    return offer


@transactional
def hand_back(offer: Offer, *, actor, reason: str) -> Offer:
    """The translator gives back an accepted assignment, with a reason; the officer is told."""
    if offer.profile.user_id != actor.id:
        raise NotAllowed(_l("This offer is not addressed to you."))
    assignment = lock(offer.assignment)
    offer = lock_for_update(offer)
    if assignment.state not in STAFFING_STATES:
        raise DomainError(_l("This assignment is cancelled or completed."))
    workflow.apply(offer, "hand_back", actor=actor, comment=reason)
    offer.reason = (reason or "").strip()[:500]
    officers = [assignment.officer] if assignment.officer else users_with_role(Role.OFFICER)
    for officer in officers:
        notify(officer, notices.HANDED_BACK, {"name": offer.profile.name, "reference": assignment.reference,
                                              "reason": offer.reason},
               link=path_for("translations.assignment", reference=assignment.reference))
    sync_staffing(assignment, actor=actor)
    return offer


def _withdraw_when_staffed(assignment: Assignment, *, actor) -> None:
    offers = offers_of(assignment)
    if staffing(assignment, offers) != "staffed":
        return
    for other in offers:
        if other.state == OfferState.OFFERED:
            workflow.apply(other, "withdraw_staffed", actor=actor, comment="staffed")
            record_event("offer.withdrawn_staffed", actor=actor, target=other)
            notify(other.profile.user, notices.OFFER_WITHDRAWN, {"reference": assignment.reference},
                   link=_offer_link(other))


def my_offers(user) -> list[Offer]:
    """A translator's own offers, newest assignment first — never anyone else's."""
    return list(db.session.scalars(
        sa.select(Offer).join(TranslatorProfile).where(TranslatorProfile.user_id == user.id)
        .order_by(Offer.state != OfferState.OFFERED, Offer.id.desc())))

