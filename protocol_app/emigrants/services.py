"""Rules of the emigrant programme: applications, the duplicate and eligibility check, the
waiting list's priority, and the import of historical participants.

Every function takes the acting user, runs in one SAVEPOINT and is audited; audit entries
name the application by reference only, never the person or their health."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz

from ..core import workflow
from ..core.audit import changes_of, record_event
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.languages import check_language
from ..core.references import next_number
from ..core.time import now_utc, today_berlin
from ..directory.models import Country
from ..extensions import db
from .models import (
    REFERENCE_PREFIX,
    ApplicantCategory,
    Application,
    DuplicateDecision,
    HistoricalParticipant,
    PriorityWeights,
)
from .planning import check_companion_born_before, plan_of
from .retention import mark_ended
from .workflow import GUARDS, ApplicationState

FIELDS = ("category", "name", "birth_name", "birth_date", "birth_place", "address", "country_code", "language",
          "berlin_connection", "emigration", "declaration_signed", "contact_name", "contact_relation",
          "contact_email", "needs_mobility", "needs_diet", "needs_medical", "companion_name", "companion_relation",
          "companion_birth_date", "companion_needs", "berlin_born_or_resident", "berlin_evidence",
          "persecuted_or_forced_labour", "persecution_evidence", "not_visited_before", "visit_evidence",
          "health_flag", "hardship_flag")


def today() -> date:
    return today_berlin()


def _audit_changes(application: Application) -> dict:
    """Which fields changed — never their values (this module's data is the most sensitive)."""
    return {key: ["…", "…"] for key in changes_of(application)}


def _validate(values: dict) -> None:
    if values.get("category") not in {c.value for c in ApplicantCategory}:
        raise ValidationFailed(_l("Please choose the category of the applicant."), field="category")
    if not (values.get("name") or "").strip():
        raise ValidationFailed(_l("Please enter the applicant's name."), field="name")
    born = values.get("birth_date")
    if born is None or born >= today():
        raise ValidationFailed(_l("Please enter a date of birth in the past."), field="birth_date")
    if not (values.get("address") or "").strip():
        raise ValidationFailed(_l("Please enter the current address."), field="address")
    if db.session.get(Country, values.get("country_code") or "") is None:
        raise ValidationFailed(_l("Please choose the country of residence."), field="country_code")
    values["language"] = check_language(values.get("language") or "en")
    if not values.get("declaration_signed"):
        raise ValidationFailed(_l("The application needs the signed declaration of not having visited at the "
                                  "Senate's invitation before."), field="declaration_signed")
    companion_born = values.get("companion_birth_date")
    if companion_born and companion_born >= today():
        raise ValidationFailed(_l("The companion's date of birth must lie in the past."), field="companion_birth_date")
    if companion_born and not (values.get("companion_name") or "").strip():
        raise ValidationFailed(_l("Please enter the companion's name."), field="companion_name")


def log_read(application: Application, actor) -> None:
    """Every read of an application is logged: who, when, which record."""
    record_event("application.read", actor=actor, target=application)


def log_list_read(applications, actor, *, page: str) -> None:
    """A list shows names and dates of birth too: one entry naming the records shown (by reference)."""
    if applications:
        shown = ", ".join(a.reference for a in applications)
        record_event("emigrants.list_read", actor=actor, summary=f"{page}: {shown}"[:500])


@transactional
def create_application(*, actor, values: dict) -> Application:
    """Record an application received by letter or e-mail."""
    values = {key: values.get(key) for key in FIELDS}
    _validate(values)
    year = today().year
    application = Application(state="received", year=year, number=next_number(REFERENCE_PREFIX, year),
                              created_by_id=actor.id, **{k: v for k, v in values.items() if v is not None})
    db.session.add(application)
    db.session.flush()
    record_event("application.create", actor=actor, target=application, summary=application.reference,
                 changes=_audit_changes(application))
    return application


@transactional
def update_application(application: Application, *, actor, values: dict, expected_version=None) -> None:
    check_version(application, expected_version)
    values = {key: values.get(key) for key in FIELDS}
    _validate(values)
    plan = plan_of(application)
    if plan is not None:
        check_companion_born_before(values.get("companion_birth_date"), plan.departs_on)
    for key, value in values.items():
        setattr(application, key, value)
    changes = _audit_changes(application)
    db.session.flush()
    if changes:
        record_event("application.update", actor=actor, target=application, changes=changes)


@transactional
def move(application: Application, action: str, *, actor, comment=None, expected_version=None) -> None:
    """Take a step of the application's process; an ending step starts the retention clock."""
    workflow.apply(application, action, actor=actor, comment=comment, expected_version=expected_version)
    mark_ended(application)
    db.session.flush()


# --- the duplicate check ----------------------------------------------------------------

#: Name similarity (0–100) from which a record counts as a possible match.
MATCH_SAME_DAY = 75
MATCH_SAME_YEAR = 88


def normalise(name: str | None) -> str:
    """A name as the check compares it: no accents, lower case, common transliterations folded."""
    text = unicodedata.normalize("NFKD", (name or "").replace("ß", "ss")).encode("ascii", "ignore").decode()
    text = text.lower()
    for written, said in (("sch", "sh"), ("tz", "z"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("y", "i"),
                          ("j", "i"), ("th", "t"), ("ae", "a"), ("oe", "o"), ("ue", "u")):
        text = text.replace(written, said)
    return " ".join(text.replace("-", " ").split())


def _similarity(names_a: list[str], names_b: list[str]) -> int:
    return int(max((fuzz.token_sort_ratio(a, b) for a in names_a if a for b in names_b if b), default=0))


@dataclass
class Match:
    kind: str
    id: int
    name: str
    birth_date: date | None
    detail: str
    score: int
    decision: DuplicateDecision | None = None


def possible_duplicates(application: Application) -> list[Match]:
    """Earlier applicants and historical participants who may be this person, in three queries.

    Candidates are found by date of birth (or birth year for old records), then compared by
    name and birth name with transliterations folded, so "Schwarz" meets "Shvarts".
    """
    mine = [normalise(application.name), normalise(application.birth_name)]
    born = application.birth_date
    matches = []
    for other in db.session.scalars(sa.select(Application).where(
            Application.id != application.id, Application.birth_date == born)):
        score = _similarity(mine, [normalise(other.name), normalise(other.birth_name)])
        if score >= MATCH_SAME_DAY:
            matches.append(Match("application", other.id, other.name, other.birth_date,
                                 f"{other.reference} · {other.state_label}", score))
    for person in db.session.scalars(sa.select(HistoricalParticipant).where(
            HistoricalParticipant.birth_year == born.year)):
        same_day = person.birth_date == born
        score = _similarity(mine, [normalise(person.name), normalise(person.birth_name)])
        if score >= (MATCH_SAME_DAY if same_day else MATCH_SAME_YEAR):
            matches.append(Match("participant", person.id, person.name, person.birth_date,
                                 str(_l("visited in %(year)s", year=person.visit_year or "?")), score))
    decisions = {(d.match_kind, d.match_id): d for d in db.session.scalars(
        sa.select(DuplicateDecision).where(DuplicateDecision.application_id == application.id))}
    for match in matches:
        match.decision = decisions.get((match.kind, match.id))
    return sorted(matches, key=lambda m: -m.score)


@transactional
def decide_duplicate(application: Application, *, actor, kind: str, match_id: int, same_person: bool,
                     reason: str) -> DuplicateDecision:
    """Confirm or dismiss a possible match; either way with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed(_l("Please give the reason for your decision."), field="reason")
    if (kind, match_id) not in {(m.kind, m.id) for m in possible_duplicates(application)}:
        raise ValidationFailed(_l("This record is not among the possible matches."))
    decision = db.session.scalar(sa.select(DuplicateDecision).where(
        DuplicateDecision.application_id == application.id, DuplicateDecision.match_kind == kind,
        DuplicateDecision.match_id == match_id))
    if decision is None:
        decision = DuplicateDecision(application_id=application.id, match_kind=kind, match_id=match_id)
        db.session.add(decision)
    decision.verdict = "same_person" if same_person else "different"
    decision.reason = reason.strip()[:500]
    decision.decided_by_id, decision.decided_at = actor.id, now_utc()
    db.session.flush()
    record_event("application.duplicate_decision", actor=actor, target=application,
                 summary=f"{kind} {match_id}: {decision.verdict}")
    return decision


def _check_guard(application: Application, actor):
    """An application is "checked" when every possible match is settled and eligibility is answered yes."""
    open_matches = [m for m in possible_duplicates(application) if m.decision is None]
    if open_matches:
        return _l("Please decide on every possible duplicate first (%(n)s open).", n=len(open_matches))
    if any(m.decision.verdict == "same_person" for m in possible_duplicates(application)):
        return _l("The applicant is the same person as an earlier applicant or participant.")
    if not (application.berlin_born_or_resident and application.persecuted_or_forced_labour
            and application.not_visited_before):
        return _l("Please record the eligibility questions with their evidence first.")
    return None


GUARDS["check"] = _check_guard


# --- the waiting list ---------------------------------------------------------------------


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
