"""The duplicate check: earlier applicants and historical participants who may be the same
person, and the team's decision on each (the "checked" step waits until all are settled)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.time import now_utc
from ..extensions import db
from .models import (
    Application,
    DuplicateDecision,
    HistoricalParticipant,
)

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


def check_settled(application: Application, actor):
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
