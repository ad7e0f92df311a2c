"""Assignments in the calendars: translators see their own (offered and accepted), the officers
who staff the language service see every assignment with its staffing — tentative until staffed."""

from __future__ import annotations

import sqlalchemy as sa

from ..calendar.sources import CalendarEntry, register_source
from ..core.permissions import Permission, user_has
from ..core.urls import path_for
from ..extensions import db
from .models import Assignment, Offer, TranslatorProfile
from .workflow import BINDING_STATES, AssignmentState, OfferState

_when_start = sa.func.coalesce(Assignment.starts_at, Assignment.deadline)
_when_end = sa.func.coalesce(Assignment.ends_at, Assignment.deadline)


def assignment_entries(user, start, end) -> list[CalendarEntry]:
    if user_has(user, Permission.ASSIGNMENT_MANAGE):
        return _all_assignments(start, end)
    if not user_has(user, Permission.ASSIGNMENT_ANSWER_OWN):
        return []
    when_start, when_end = _when_start, _when_end
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


def _all_assignments(start, end) -> list[CalendarEntry]:
    assignments = db.session.scalars(sa.select(Assignment).where(
        Assignment.state != AssignmentState.CANCELLED.value, _when_start < end, _when_end >= start)).all()
    return [
        CalendarEntry(
            uid=f"assignment-{a.id}@protokoll", title=f"{a.title} ({a.mode_label}, {a.state_label})",
            starts_at=a.starts_at or a.deadline, ends_at=a.ends_at or a.deadline, sequence=a.version,
            css_class="kind-assignment", link=path_for("translations.assignment", reference=a.reference),
            location=a.place or None,
            status="CONFIRMED" if a.state in (AssignmentState.STAFFED, AssignmentState.DONE) else "TENTATIVE",
        )
        for a in assignments
    ]


register_source("assignments", assignment_entries)
