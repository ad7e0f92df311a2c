"""Consent to the alumni mailing, the mailing list, and the retention rules: health notes and
proof documents erased after a short period, the whole case after the long one, for real — only
anonymous statistics (year, category, country, outcome) remain. Every erasure is audited without
content."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.files import erase_file
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.workflow import forget_history
from ..extensions import db
from . import notices
from .documents import erase_documents
from .letters import letters_of
from .models import Application, GeneratedLetter
from .programme import forget_in_bookings
from .settings_models import AnonymousStatistic, RetentionSettings
from .workflow import APPLICATION_WORKFLOW, ApplicationState

ENDED_STATES = (ApplicationState.CLOSED, ApplicationState.REJECTED, ApplicationState.WITHDRAWN)


def years_before(moment, years: int):
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@transactional
def set_mailing_consent(application: Application, *, actor, consent: bool) -> None:
    """Record the consent to the magazine with its date, or its withdrawal."""
    if consent:
        application.mailing_consent_at, application.mailing_withdrawn_at = now_utc(), None
    else:
        if application.mailing_consent_at is None:
            raise ValidationFailed(_l("There is no consent to withdraw."))
        application.mailing_withdrawn_at = now_utc()
    db.session.flush()
    record_event("application.mailing_consent" if consent else "application.mailing_withdrawn", actor=actor,
                 target=application)


def mailing_list() -> list[Application]:
    """Participants who agreed to receive the magazine and have not withdrawn."""
    return list(db.session.scalars(sa.select(Application).where(
        Application.mailing_consent_at.is_not(None), Application.mailing_withdrawn_at.is_(None),
        Application.state.in_((ApplicationState.VISITED, ApplicationState.CLOSED))).order_by(Application.country_code, Application.name)))


def settings() -> RetentionSettings:
    return db.session.scalar(sa.select(RetentionSettings)) or RetentionSettings(case_years=10, health_years=2)


@transactional
def set_settings(*, actor, case_years: int, health_years: int) -> RetentionSettings:
    if not 0 <= health_years <= case_years <= 30:
        raise ValidationFailed(_l("Health notes cannot be kept longer than the case; at most 30 years."))
    row = db.session.scalar(sa.select(RetentionSettings))
    if row is None:
        row = RetentionSettings()
        db.session.add(row)
    row.case_years, row.health_years = case_years, health_years
    db.session.flush()
    record_event("emigrants.retention", actor=actor, summary=f"{case_years}/{health_years}")
    return row


def mark_ended(application: Application) -> None:
    """Start the retention clock when a case ends (called by the process)."""
    if application.state in ENDED_STATES and application.ended_at is None:
        application.ended_at = now_utc()


@transactional
def erase_due() -> dict[str, int]:
    """Erase what is due: health notes after the short period, whole cases after the long one."""
    rule, now = settings(), now_utc()
    counts = {"health": 0, "cases": 0}
    for application in db.session.scalars(sa.select(Application).where(
            Application.ended_at <= years_before(now, rule.health_years), Application.health_erased_at.is_(None))):
        application.needs_medical = application.companion_needs = None
        application.health_erased_at = now
        erase_documents(application)  # proof documents share the shorter period
        record_event("application.health_erased", target=application)
        counts["health"] += 1
    for application in db.session.scalars(sa.select(Application).where(
            Application.ended_at <= years_before(now, rule.case_years))):
        db.session.add(AnonymousStatistic(year=application.year, category=application.category,
                                          country_code=application.country_code, outcome=application.state))
        record_event("application.erased", object_type="emigrant_applications", object_id=application.id,
                     summary=f"{application.year} {application.category}")
        # The process log's comments (reasons for a rejection, say) go with the case.
        forget_history(APPLICATION_WORKFLOW, application.id)
        erase_documents(application)
        forget_in_bookings(application)
        files = [letter.file for letter in letters_of(application)]
        db.session.execute(sa.delete(GeneratedLetter).where(GeneratedLetter.application_id == application.id))
        for stored in files:  # the documents go too, from the disk
            erase_file(stored)
        db.session.delete(application)
        counts["cases"] += 1
    db.session.flush()
    return counts


@reminder_rule("emigrants-retention")
def retention_job() -> int:
    """Beat: erase what is due and tell the admins how much (no names)."""
    counts = erase_due()
    if counts["health"] or counts["cases"]:
        day = now_utc().date().isoformat()
        for admin in remind_once("emigrants-retention", [(f"emigrants-retention:{day}:user:{admin.id}", admin, None, admin)
                                                         for admin in users_with_role(Role.ADMIN)]):
            notify(admin, notices.RETENTION_APPLIED, counts)
    return counts["health"] + counts["cases"]
