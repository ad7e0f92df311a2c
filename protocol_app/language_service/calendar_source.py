"""Translators see their own assignments (offered and accepted) in their calendar and feed."""

from __future__ import annotations

import sqlalchemy as sa

from ..calendar.sources import CalendarEntry, register_source
from ..core.permissions import Permission, user_has
from ..core.urls import path_for
from ..extensions import db
from .models import Assignment, Offer, TranslatorProfile
from .workflow import BINDING_STATES, AssignmentState, OfferState


def assignment_entries(user, start, end) -> list[CalendarEntry]:
    if not user_has(user, Permission.ASSIGNMENT_ANSWER_OWN):
        return []
    when_start = sa.func.coalesce(Assignment.starts_at, Assignment.deadline)
    when_end = sa.func.coalesce(Assignment.ends_at, Assignment.deadline)
    rows = db.session.execute(
        sa.select(Offer, Assignment).join(Assignment, Assignment.id == Offer.assignment_id)
        .join(TranslatorProfile, TranslatorProfile.id == Offer.profile_id)
        .where(TranslatorProfile.user_id == user.id, Offer.state.in_(BINDING_STATES),
               Assignment.state != AssignmentState.CANCELLED.value, when_start < end, when_end >= start)
    ).all()
    return [
        CalendarEntry(
            uid=f"assignment-{assignment.id}@protokoll",
            title=f"{assignment.title} ({assignment.mode_label}{', ' + str(offer.state_label) if offer.state == OfferState.OFFERED else ''})",
            starts_at=assignment.starts_at or assignment.deadline,
            ends_at=assignment.ends_at or assignment.deadline,
            sequence=offer.version, css_class="kind-assignment",
            link=path_for("translations.offer", offer_id=offer.id), location=assignment.place or None,
        )
        for offer, assignment in rows
    ]


register_source("assignments", assignment_entries)
