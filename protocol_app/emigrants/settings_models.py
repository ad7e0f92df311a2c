"""The emigrant programme's office-wide tables, each set by an admin or written by the
retention: the budget of a year, how long data is kept, the weights of the waiting list, and
what remains of an erased case (anonymous statistics)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class YearBudget(db.Model):
    """The programme's budget of a year, set by an admin."""

    __tablename__ = "emigrant_budgets"

    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), nullable=False)

    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_positive"),)


class RetentionSettings(db.Model):
    """How long personal data is kept after a case ends (one row, set by an admin)."""

    __tablename__ = "emigrant_retention"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_years: Mapped[int] = mapped_column(sa.Integer, default=10, nullable=False)
    #: Health notes and proof documents go sooner.
    health_years: Mapped[int] = mapped_column(sa.Integer, default=2, nullable=False)

    __table_args__ = (sa.CheckConstraint("health_years BETWEEN 0 AND case_years AND case_years <= 30",
                                         name="retention_valid"),)


class AnonymousStatistic(db.Model):
    """What remains of an erased case: year, category, country — nothing about the person."""

    __tablename__ = "emigrant_statistics"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False, index=True)
    category: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    country_code: Mapped[str | None] = mapped_column(sa.String(2))
    outcome: Mapped[str] = mapped_column(sa.String(20), nullable=False)


class PriorityWeights(db.Model):
    """The weights of the waiting list's priority score (one row, set by an admin)."""

    __tablename__ = "emigrant_priority_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Points per year of age above `age_from`.
    per_year: Mapped[int] = mapped_column(sa.Integer, default=2, nullable=False)
    age_from: Mapped[int] = mapped_column(sa.Integer, default=80, nullable=False)
    health: Mapped[int] = mapped_column(sa.Integer, default=20, nullable=False)
    hardship: Mapped[int] = mapped_column(sa.Integer, default=15, nullable=False)

    __table_args__ = (
        sa.CheckConstraint("per_year >= 0 AND health >= 0 AND hardship >= 0 AND age_from BETWEEN 0 AND 120",
                           name="weights_valid"),
    )
