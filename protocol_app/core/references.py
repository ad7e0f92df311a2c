"""Human-readable reference numbers per year, e.g. V-2026-0042."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ReferenceCounter(db.Model):
    __tablename__ = "reference_counters"

    scope: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


class ReferencedMixin:
    """A yearly reference number (`V-2026-0042`); the model sets REFERENCE_PREFIX."""

    REFERENCE_PREFIX: str

    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    @property
    def reference(self) -> str:
        return format_reference(self.REFERENCE_PREFIX, self.year, self.number)


def next_number(scope: str, year: int) -> int:
    """Return the next number of `scope` in `year`; safe under concurrency.

    The UPDATE takes a row lock, so two transactions never get the same number.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(ReferenceCounter)
        .values(scope=scope, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["scope", "year"])
    )
    return db.session.execute(
        sa.update(ReferenceCounter)
        .where(ReferenceCounter.scope == scope, ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def parse_reference(prefix: str, reference: str) -> tuple[int, int] | None:
    """Return (year, number) of a well-formed reference, else None."""
    match = re.fullmatch(rf"{re.escape(prefix)}-(\d{{4}})-(\d{{4,6}})", reference or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def find_by_reference(model, reference: str):
    """The record of `model` behind a reference like V-2026-0042, or None."""
    parsed = parse_reference(model.REFERENCE_PREFIX, reference)
    if parsed is None:
        return None
    return db.session.scalar(sa.select(model).where(model.year == parsed[0], model.number == parsed[1]))
