"""The duplicate check: earlier applicants and historical participants who may be the same
person, and the team's decision on each (the "checked" step waits until all are settled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.time import now_utc
from ..extensions import db
from . import matching
from .models import Application, DuplicateDecision, HistoricalParticipant


@dataclass
class Match:
    kind: str
    id: int
    name: str
    birth_date: date | None
    detail: str
    score: int
    decision: DuplicateDecision | None = None


def _person(record) -> matching.Person:
    return matching.Person(record.name, record.birth_name, record.birth_date, getattr(record, "birth_year", None))


def possible_duplicates(application: Application) -> list[Match]:
    """Earlier applicants and historical participants who may be this person, in three queries.

    Candidates share the phonetic key of a surname (now or at birth, either way round: a
    maiden name meets a married name) and were born within a year of the applicant; each is
    then scored by `matching` — given-name variants, transliterations, a day or a year apart,
    day and month swapped."""
    keys = {k for k in (application.name_key, application.birth_name_key) if k}
    if not keys:
        return []
    year = application.birth_date.year
    mine = _person(application)
    matches = []
    for other in db.session.scalars(sa.select(Application).where(
            Application.id != application.id,
            Application.birth_date.between(date(year - 1, 1, 1), date(year + 1, 12, 31)),
            sa.or_(Application.name_key.in_(keys), Application.birth_name_key.in_(keys)))):
        score = matching.similarity(mine, _person(other))
        if score >= matching.THRESHOLD:
            matches.append(Match("application", other.id, other.name, other.birth_date,
                                 f"{other.reference} · {other.state_label}", score))
    # Columns, not entities: a common surname brings hundreds of candidates, few of them matches.
    hp = HistoricalParticipant
    for row in db.session.execute(sa.select(hp.id, hp.name, hp.birth_name, hp.birth_date, hp.birth_year,
                                            hp.visit_year).where(
            hp.birth_year.between(year - 1, year + 1), sa.or_(hp.name_key.in_(keys), hp.birth_name_key.in_(keys)))):
        score = matching.similarity(mine, matching.Person(row.name, row.birth_name, row.birth_date, row.birth_year))
        if score >= matching.THRESHOLD:
            matches.append(Match("participant", row.id, row.name, row.birth_date,
                                 str(_l("visited in %(year)s", year=row.visit_year or "?")), score))
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
