"""The honours report: awards per year and type with the gender ratio, and the time
from suggestion to decision."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.workflow import TransitionLog
from ..extensions import db
from .models import AwardType, Gender, Holder, Nomination
from .workflow import NOMINATION_WORKFLOW

DECISION_ACTIONS = ("record_approval", "record_rejection")


@dataclass
class ReportRow:
    year: int
    award: str
    by_gender: dict[str, int]
    #: Days from the suggestion (case recorded) to the Senate's decision, for cases decided that year.
    decision_days: list[int]

    @property
    def total(self) -> int:
        return sum(self.by_gender.values())

    @property
    def women_share(self) -> float | None:
        return self.by_gender.get("f", 0) / self.total if self.total else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.decision_days) if self.decision_days else None


def report(year_from: int, year_to: int) -> list[ReportRow]:
    """One row per year and award type that had an award or a decision, in three queries."""
    year = sa.extract("year", Holder.awarded_on)
    awards = db.session.execute(
        sa.select(year, AwardType.name, Holder.gender, sa.func.count())
        .join(AwardType, AwardType.id == Holder.award_type_id)
        .where(year.between(year_from, year_to))
        .group_by(year, AwardType.name, Holder.gender)
    ).all()
    decisions = db.session.execute(
        sa.select(TransitionLog.occurred_at, Nomination.created_at, AwardType.name)
        .join(Nomination, Nomination.id == TransitionLog.object_id)
        .join(AwardType, AwardType.id == Nomination.award_type_id)
        .where(TransitionLog.workflow == NOMINATION_WORKFLOW.name, TransitionLog.action.in_(DECISION_ACTIONS))
    ).all()
    rows: dict[tuple[int, str], ReportRow] = {}

    def row(y: int, award: str) -> ReportRow:
        return rows.setdefault((y, award), ReportRow(y, award, {g.value: 0 for g in Gender}, []))

    for y, award, gender, count in awards:
        row(int(y), award).by_gender[gender] += count
    for decided_at, created_at, award in decisions:
        if year_from <= decided_at.year <= year_to:
            row(decided_at.year, award).decision_days.append((decided_at - created_at).days)
    return [rows[key] for key in sorted(rows)]
