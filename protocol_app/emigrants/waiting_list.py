"""The waiting list: priority from age, health and hardship, the team's override with its
reason, and the weights admins set."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..extensions import db
from .models import Application
from .services import today
from .settings_models import PriorityWeights
from .workflow import ApplicationState


def weights() -> PriorityWeights:
    return db.session.scalar(sa.select(PriorityWeights)) or PriorityWeights(per_year=2, age_from=80, health=20,
                                                                            hardship=15)


def priority(application: Application, rule: PriorityWeights, on: date) -> tuple[int, list]:
    """The priority score from age, health and hardship, with its reasons."""
    born = application.birth_date
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    reasons, score = [], 0
    if age > rule.age_from:
        score += (age - rule.age_from) * rule.per_year
        reasons.append(_l("age %(age)s: %(points)s points", age=age, points=(age - rule.age_from) * rule.per_year))
    if application.health_flag:
        score += rule.health
        reasons.append(_l("health: %(points)s points", points=rule.health))
    if application.hardship_flag:
        score += rule.hardship
        reasons.append(_l("hardship: %(points)s points", points=rule.hardship))
    return score, reasons


def waiting_list(on: date | None = None) -> list[tuple[Application, int, list]]:
    """The waiting list, highest priority first; an override replaces the score, with its reason."""
    on = on or today()
    rule = weights()
    rows = []
    for application in db.session.scalars(sa.select(Application).where(Application.state == ApplicationState.WAITING.value)):
        score, reasons = priority(application, rule, on)
        if application.priority_override is not None:
            score = application.priority_override
            reasons = [_l("set to %(points)s by the team: %(reason)s", points=score,
                          reason=application.override_reason)]
        rows.append((application, score, reasons))
    return sorted(rows, key=lambda row: (-row[1], row[0].birth_date))


@transactional
def set_override(application: Application, *, actor, points: int | None, reason: str | None) -> None:
    """Place an applicant by hand (audited); clearing the override needs no reason."""
    if points is not None and not (reason or "").strip():
        raise ValidationFailed(_l("Please give the reason for placing the applicant by hand."), field="reason")
    if points is not None and not 0 <= points <= 1000:
        raise ValidationFailed(_l("Please enter 0 to 1000 points."), field="points")
    application.priority_override = points
    application.override_reason = reason.strip()[:500] if points is not None else None
    db.session.flush()
    record_event("application.priority_override", actor=actor, target=application,
                 summary=f"{points}" if points is not None else "cleared")


@transactional
def set_weights(*, actor, per_year: int, age_from: int, health: int, hardship: int) -> PriorityWeights:
    """Admins adjust the weights of the priority score."""
    if min(per_year, health, hardship) < 0 or not 0 <= age_from <= 120:
        raise ValidationFailed(_l("Weights cannot be negative; the age threshold lies between 0 and 120."))
    rule = db.session.scalar(sa.select(PriorityWeights))
    if rule is None:
        rule = PriorityWeights()
        db.session.add(rule)
    rule.per_year, rule.age_from, rule.health, rule.hardship = per_year, age_from, health, hardship
    db.session.flush()
    record_event("emigrants.weights", actor=actor, summary=f"{per_year}/{age_from}/{health}/{hardship}")
    return rule
