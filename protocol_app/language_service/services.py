"""Rules of the Sprachendienst: translators' profiles kept by themselves, assignments
(from a visit's programme item or standalone) with the AIIC team size, and who can take them.

Every function takes the acting user, runs in one SAVEPOINT and is audited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_decimal, format_time
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import changes_of, record_event, update_audited
from ..core.db import check_version, transactional
from ..core.errors import DomainError, NotAllowed, ValidationFailed
from ..core.i18n import format_dt
from ..core.languages import check_language
from ..core.notifications.services import notify
from ..core.permissions import Permission, Role, user_has
from ..core.references import next_number
from ..core.time import BERLIN, now_utc
from ..core.urls import path_for
from ..directory.models import Venue
from ..extensions import db
from . import notices
from .models import (
    REFERENCE_PREFIX,
    Absence,
    AbsenceKind,
    Assignment,
    AssignmentKind,
    AvailabilityWindow,
    Employment,
    LanguageClass,
    LanguageSkill,
    ServiceMode,
    TranslatorProfile,
)
from .workflow import STAFFING_STATES, OfferState

# --- languages and team sizes ----------------------------------------------------------


def aiic_team_size(mode: str, starts_at: datetime | None, ends_at: datetime | None) -> int:
    """Interpreters per language the AIIC rule asks for: simultaneous work needs relief.

    One interpreter up to 40 minutes, two up to four hours, three up to six hours; beyond
    that four. Other modes: one.
    """
    if mode != ServiceMode.SIMULTANEOUS.value or not starts_at or not ends_at:
        return 1
    minutes = (ends_at - starts_at).total_seconds() / 60
    if minutes <= 40:
        return 1
    if minutes <= 4 * 60:
        return 2
    if minutes <= 6 * 60:
        return 3
    return 4


def team_size_proposal(mode: str | None, starts_at: datetime | None, ends_at: datetime | None) -> tuple[int, str]:
    """The AIIC rule's team size for a request being typed, and the sentence the form shows."""
    needed = aiic_team_size(mode or "", starts_at, ends_at)
    if mode == ServiceMode.SIMULTANEOUS.value and not (starts_at and ends_at and ends_at > starts_at):
        return needed, str(_l("Give start and end: the AIIC rule sizes the team by the length of the interpreting."))
    return needed, str(_l("The AIIC rule proposes %(n)s per language; leave the field empty to follow it.", n=needed))


# --- profiles ----------------------------------------------------------------------------


def _may_edit_profile(profile: TranslatorProfile, actor) -> None:
    if profile.user_id != actor.id and not user_has(actor, Permission.ASSIGNMENT_MANAGE):
        raise NotAllowed(_l("You can change only your own profile."))


@transactional
def create_profile(user, *, actor, employment: str = Employment.IN_HOUSE.value) -> TranslatorProfile:
    """Give a user with the translator role a profile (officers do this for freelancers too)."""
    if Role.TRANSLATOR not in user.roles:
        raise ValidationFailed(_l("Only accounts with the interpreter/translator role get a profile."))
    if employment not in {e.value for e in Employment}:
        raise ValidationFailed(_l("Please choose in-house or freelance."), field="employment")
    profile = TranslatorProfile(user_id=user.id, employment=employment)
    db.session.add(profile)
    db.session.flush()
    record_event("translator.create", actor=actor, target=profile)
    return profile


@transactional
def update_profile(profile: TranslatorProfile, *, actor, modes: list[str], specialisations=None) -> None:
    """Change modes of work and specialisations (the translator's own, or an officer for them)."""
    _may_edit_profile(profile, actor)
    known = {m.value for m in ServiceMode}
    if not set(modes) <= known:
        raise ValidationFailed(_l("Unknown mode of work."), field="modes")
    update_audited(profile, {"modes": ",".join(m for m in (e.value for e in ServiceMode) if m in modes),
                             "specialisations": (specialisations or "").strip() or None},
                   actor=actor, action="translator.update")


#: The highest fee the office agrees to (EUR); a higher figure is a typing error, not a contract.
RATE_LIMITS = {"rate_half_day": Decimal("2000"), "rate_day": Decimal("3500"), "rate_line": Decimal("10")}


@transactional
def set_terms(profile: TranslatorProfile, *, actor, employment: str, rate_half_day=None, rate_day=None,
              rate_line=None) -> None:
    """The office's terms for a translator: employed or freelance, and a freelancer's agreed rates.

    Only the Sprachendienst's officers set them — they are what the office pays."""
    if not user_has(actor, Permission.ASSIGNMENT_MANAGE):
        raise NotAllowed(_l("Only the Sprachendienst sets employment and rates."))
    if employment not in {e.value for e in Employment}:
        raise ValidationFailed(_l("Please choose in-house or freelance."), field="employment")
    rates = {"rate_half_day": rate_half_day, "rate_day": rate_day, "rate_line": rate_line}
    for field, value in rates.items():
        if value is None:
            continue
        if Decimal(value) < 0:
            raise ValidationFailed(_l("Rates cannot be negative."), field=field)
        if Decimal(value) > RATE_LIMITS[field]:
            raise ValidationFailed(_l("At most %(limit)s € — please check the figure.",
                                      limit=format_decimal(RATE_LIMITS[field], "#,##0.00")), field=field)
    if employment == Employment.IN_HOUSE.value:
        rates = dict.fromkeys(rates)  # staff are paid by salary, not per assignment
    update_audited(profile, {"employment": employment, **rates}, actor=actor, action="translator.terms")


@transactional
def set_language(profile: TranslatorProfile, *, actor, language: str, level: str) -> LanguageSkill:
    """Add a working language with its class, or change the class of one already listed."""
    _may_edit_profile(profile, actor)
    code = check_language(language)
    if level not in {c.value for c in LanguageClass}:
        raise ValidationFailed(_l("Please choose A, B or C."), field="level")
    skill = next((s for s in profile.languages if s.language == code), None)
    if skill is None:
        skill = LanguageSkill(profile=profile, language=code, level=level)
        db.session.add(skill)
    skill.level = level
    db.session.flush()
    record_event("translator.language", actor=actor, target=profile, summary=f"{code}: {level}")
    return skill


def _added_to_profile(profile: TranslatorProfile, part, *, actor, action: str, summary: str):
    """A part of the profile (a weekly window, an absence) written and logged on the profile."""
    db.session.add(part)
    db.session.flush()
    record_event(action, actor=actor, target=profile, summary=summary)
    return part


def _removed_from_profile(part, parts: str, *, actor, action: str, summary: str | None = None) -> None:
    """A part of the profile taken off its list `parts` (languages, windows, absences), logged on
    the profile — by the translator or an officer only."""
    _may_edit_profile(part.profile, actor)
    record_event(action, actor=actor, target=part.profile, summary=summary)
    getattr(part.profile, parts).remove(part)
    db.session.flush()


@transactional
def remove_language(skill: LanguageSkill, *, actor) -> None:
    _removed_from_profile(skill, "languages", actor=actor, action="translator.language_remove", summary=skill.language)


@transactional
def add_window(profile: TranslatorProfile, *, actor, weekday: int, starts: time, ends: time) -> AvailabilityWindow:
    """Add a weekly availability window."""
    _may_edit_profile(profile, actor)
    if not 0 <= weekday <= 6:
        raise ValidationFailed(_l("Please choose a weekday."), field="weekday")
    if ends <= starts:
        raise ValidationFailed(_l("The window must end after it starts."), field="ends")
    return _added_to_profile(profile, AvailabilityWindow(profile=profile, weekday=weekday, starts=starts, ends=ends),
                             actor=actor, action="translator.window_add", summary=f"{weekday} {starts}-{ends}")


@transactional
def remove_window(window: AvailabilityWindow, *, actor) -> None:
    _removed_from_profile(window, "windows", actor=actor, action="translator.window_remove")


@transactional
def add_absence(profile: TranslatorProfile, *, actor, starts_on: date, ends_on: date, kind: str) -> Absence:
    """Record holidays, sickness or other days off."""
    _may_edit_profile(profile, actor)
    if ends_on < starts_on:
        raise ValidationFailed(_l("The absence must end on or after its first day."), field="ends_on")
    if kind not in {k.value for k in AbsenceKind}:
        raise ValidationFailed(_l("Please choose the kind of absence."), field="kind")
    return _added_to_profile(profile, Absence(profile=profile, starts_on=starts_on, ends_on=ends_on, kind=kind),
                             actor=actor, action="translator.absence_add", summary=f"{starts_on} - {ends_on}")


@transactional
def remove_absence(absence: Absence, *, actor) -> None:
    _removed_from_profile(absence, "absences", actor=actor, action="translator.absence_remove")


# --- assignments ------------------------------------------------------------------------

ASSIGNMENT_FIELDS = ("kind", "title", "language", "mode", "starts_at", "ends_at", "deadline", "venue_id",
                     "location", "notes")


def _validate_assignment(values: dict) -> None:
    values["language"] = check_language(values.get("language"))
    if values.get("kind") not in {k.value for k in AssignmentKind}:
        raise ValidationFailed(_l("Please choose interpreting or written translation."), field="kind")
    written = values["kind"] == AssignmentKind.WRITTEN.value
    if written:
        values["mode"] = ServiceMode.WRITTEN.value
        if not values.get("deadline"):
            raise ValidationFailed(_l("A written translation needs a deadline."), field="deadline")
        if values["deadline"] <= now_utc():
            raise ValidationFailed(_l("The deadline lies in the past."), field="deadline")
        values["starts_at"] = values["ends_at"] = None
    else:
        if values.get("mode") not in {m.value for m in ServiceMode} - {ServiceMode.WRITTEN.value}:
            raise ValidationFailed(_l("Please choose simultaneous, consecutive or whispered."), field="mode")
        if not values.get("starts_at") or not values.get("ends_at"):
            raise ValidationFailed(_l("Interpreting needs a start and an end."), field="starts_at")
        if values["ends_at"] <= values["starts_at"]:
            raise ValidationFailed(_l("The end must be after the start."), field="ends_at")
        if values["starts_at"] <= now_utc():
            raise ValidationFailed(_l("The assignment lies in the past."), field="starts_at")
        if values["ends_at"] - values["starts_at"] > timedelta(hours=24):
            raise ValidationFailed(_l("Please book interpreting for at most a day; split longer assignments."),
                                   field="ends_at")
        values["deadline"] = None
    if values.get("venue_id") and db.session.get(Venue, values["venue_id"]) is None:
        raise ValidationFailed(_l("Unknown venue."), field="venue_id")


def _team(values: dict, needed: int | None, team_reason: str | None) -> tuple[int, int, str | None]:
    proposed = aiic_team_size(values["mode"], values.get("starts_at"), values.get("ends_at"))
    needed = needed or proposed
    if not 1 <= needed <= 10:
        raise ValidationFailed(_l("Please ask for 1 to 10 interpreters."), field="needed")
    team_reason = (team_reason or "").strip() or None
    if needed != proposed and not team_reason:
        raise ValidationFailed(_l("The AIIC rule proposes %(n)s; please give the reason for a different team size.",
                                  n=proposed), field="team_reason")
    return needed, proposed, team_reason if needed != proposed else None


@transactional
def create_assignment(*, actor, values: dict, needed: int | None = None, team_reason: str | None = None,
                      without_officer: bool = False) -> Assignment:
    """Record an assignment; the team size defaults to the AIIC rule, a deviation needs a reason.

    `without_officer`: booked for another team, whose members cannot open the Sprachendienst's
    pages, so no officer is named until the Sprachendienst takes the assignment on.
    """
    values = {key: values.get(key) for key in ASSIGNMENT_FIELDS}
    _validate_assignment(values)
    needed, proposed, team_reason = _team(values, needed, team_reason)
    year = (values["starts_at"] or values["deadline"]).astimezone(BERLIN).year
    assignment = Assignment(year=year, number=next_number(REFERENCE_PREFIX, year), needed=needed,
                            proposed_team=proposed, team_reason=team_reason, state="open",
                            officer_id=None if without_officer else actor.id, **values)
    return workflow.begin(assignment, actor=actor, audit_action="assignment.create", summary=assignment.reference)


#: What an officer may change on an assignment after it was recorded.
EDITABLE_FIELDS = ("title", "starts_at", "ends_at", "deadline", "venue_id", "location", "notes")
#: Changes the booked or asked translators must hear about.
TOLD_FIELDS = ("starts_at", "ends_at", "deadline", "venue_id", "location")


@transactional
def update_assignment(assignment: Assignment, *, actor, values: dict, expected_version=None) -> list[str]:
    """Change time, place, title or notes; the translators holding an offer are told what moved.

    Returns the changed fields. Refused once the assignment is done or cancelled.
    """
    from .offers import live_offers, lock

    lock(assignment)
    check_version(assignment, expected_version)
    if assignment.state not in STAFFING_STATES:
        raise DomainError(_l("A cancelled or completed assignment cannot be changed."))
    check = {key: getattr(assignment, key) for key in ASSIGNMENT_FIELDS}
    check.update({key: values[key] for key in EDITABLE_FIELDS if key in values})
    _validate_assignment(check)  # the same rules as at creation (times, the past, the venue)
    for key in EDITABLE_FIELDS:
        if key in values:
            setattr(assignment, key, check[key])
    changes = changes_of(assignment)
    if not changes:
        return []
    db.session.flush()
    record_event("assignment.update", actor=actor, target=assignment, changes=changes)
    if any(key in changes for key in TOLD_FIELDS):
        for offer in live_offers(assignment):
            notify(offer.profile.user, notices.ASSIGNMENT_CHANGED,
                   {"reference": assignment.reference, "when": lambda: format_when(assignment),
                    "place": assignment.place or "—"},
                   link=path_for("translations.offer", offer_id=offer.id))
    return list(changes)


def format_when(assignment: Assignment) -> str:
    """The time of an assignment as its reader reads it (Berlin time, the reader's language)."""
    text = format_dt(assignment.starts_at or assignment.deadline)
    if assignment.ends_at:
        text += "–" + format_time(assignment.ends_at, "HH:mm")
    return text


@transactional
def cancel_assignment(assignment: Assignment, *, actor, reason: str, expected_version=None) -> int:
    """Cancel with a reason; every open or accepted offer is withdrawn and its translator told.

    Returns how many translators were told.
    """
    from .offers import live_offers, lock

    lock(assignment)
    reason = (reason or "").strip()
    workflow.apply(assignment, "cancel", actor=actor, comment=reason, expected_version=expected_version)
    assignment.cancel_reason = reason[:500]
    told = 0
    for offer in live_offers(assignment):
        workflow.apply(offer, "withdraw", actor=actor, comment="assignment cancelled")
        notify(offer.profile.user, notices.ASSIGNMENT_CANCELLED, {"reference": assignment.reference, "reason": reason},
               link=path_for("translations.offer", offer_id=offer.id))
        told += 1
    db.session.flush()
    return told


def booking_summaries(assignments) -> dict[int, dict]:
    """{assignment id: its staffing and accepted interpreters}, for pages of other areas (two queries)."""
    from .models import Offer
    from .offers import staffing

    by_assignment: dict[int, list] = {}
    for offer in db.session.scalars(sa.select(Offer).where(Offer.assignment_id.in_([a.id for a in assignments]))):
        by_assignment.setdefault(offer.assignment_id, []).append(offer)
    return {a.id: {"assignment": a, "staffing": staffing(a, by_assignment.get(a.id, [])),
                   "interpreters": [o.profile.name for o in by_assignment.get(a.id, []) if o.state == OfferState.ACCEPTED]}
            for a in assignments}
