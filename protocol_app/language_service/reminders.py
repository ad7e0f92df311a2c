"""Reminder rules of the Sprachendienst (run by beat; each reminder once)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Permission, Role, user_has
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import Assignment, AssignmentKind, Offer
from .offers import offers_of, staffing
from .workflow import AssignmentState, OfferState

OFFER_REMINDER = timedelta(hours=48)
OFFER_ESCALATION = timedelta(hours=72)
STAFFING_WARNING = timedelta(days=5)
DEADLINE_WARNING = timedelta(days=2)


@reminder_rule("offer-unanswered")
def remind_unanswered_offers() -> int:
    """An offer unanswered after 48 hours: the translator; after 72 hours: the officer."""
    now = now_utc()
    offers = db.session.scalars(sa.select(Offer).where(
        Offer.state == OfferState.OFFERED, Offer.created_at <= now - OFFER_REMINDER)).all()
    reminded = remind_once("offer-unanswered", [
        (f"offer-unanswered:{offer.id}", offer.profile.user, offer, offer) for offer in offers])
    escalated = remind_once("offer-escalation", [
        (f"offer-escalation:{offer.id}", offer.assignment.officer, offer, offer) for offer in offers
        if offer.created_at <= now - OFFER_ESCALATION and offer.assignment.officer])
    for offer in reminded:
        notify(offer.profile.user, notices.OFFER_UNANSWERED,
               {"reference": offer.assignment.reference, "title": offer.assignment.title},
               link=path_for("translations.offer", offer_id=offer.id))
    for offer in escalated:
        assignment = offer.assignment
        notify(assignment.officer, notices.OFFER_ESCALATED, {"name": offer.profile.name, "reference": assignment.reference},
               link=path_for("translations.assignment", reference=assignment.reference))
    return len(reminded) + len(escalated)


@reminder_rule("assignment-understaffed")
def warn_understaffed() -> int:
    """An interpreting assignment not fully staffed five days before: the officer and the managers."""
    now = now_utc()
    soon = db.session.scalars(sa.select(Assignment).where(
        Assignment.state != AssignmentState.CANCELLED.value, Assignment.kind == "interpreting", Assignment.starts_at > now,
        Assignment.starts_at <= now + STAFFING_WARNING)).all()
    managers = users_with_role(Role.MANAGER)
    candidates = [
        (f"assignment-understaffed:{assignment.id}:user:{user.id}", user, assignment, (assignment, user))
        for assignment in soon if staffing(assignment, offers_of(assignment)) != AssignmentState.STAFFED
        for user in ([assignment.officer] if assignment.officer else []) + managers]
    created = remind_once("assignment-understaffed", candidates)
    for assignment, user in created:
        # Managers follow it on the (read-only) staffing board; the officer on the assignment.
        link = (path_for("translations.assignment", reference=assignment.reference)
                if user_has(user, Permission.ASSIGNMENT_MANAGE)
                else path_for("translations.index", _anchor=assignment.reference))
        notify(user, notices.UNDERSTAFFED, {"reference": assignment.reference, "title": assignment.title}, link=link)
    return len(created)


@reminder_rule("translation-deadline")
def remind_deadline() -> int:
    """A written translation due in two days and not yet delivered: the translator."""
    now = now_utc()
    rows = db.session.execute(
        sa.select(Offer, Assignment).join(Assignment, Assignment.id == Offer.assignment_id).where(
            Offer.state == OfferState.ACCEPTED, Assignment.kind == AssignmentKind.WRITTEN, Assignment.delivered_at.is_(None),
            Assignment.state != AssignmentState.CANCELLED.value, Assignment.deadline > now,
            Assignment.deadline <= now + DEADLINE_WARNING)).all()
    created = remind_once("translation-deadline", [
        (f"translation-deadline:{assignment.id}:{offer.id}", offer.profile.user, assignment, (offer, assignment))
        for offer, assignment in rows])
    for offer, assignment in created:
        notify(offer.profile.user, notices.TRANSLATION_DUE,
               {"reference": assignment.reference, "deadline": assignment.deadline},
               link=path_for("translations.offer", offer_id=offer.id))
    return len(created)
