"""The register of honorary graves (Ehrengrabstätten des Landes Berlin) and the renewal
batches that carry terms ending soon to the Senate.

Recognition is a Senate decision, for 20 years at first (honorary citizens without a time
limit: no term end), no earlier than five years after death (§ 12 (6) Friedhofsgesetz,
AV Ehrengrabstätten); the district office pays for the care.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, VersionedMixin, enum_check
from ..core.enums import LabelledEnum
from ..core.workflow import WorkflowMixin
from ..extensions import db
from .workflow import (
    BATCH_WORKFLOW,
    GRAVE_WORKFLOW,
    SUGGESTION_WORKFLOW,
    BatchState,
    GraveStatus,
    SuggestionState,
)

#: A recognition and each extension run this long.
TERM_YEARS = 20
#: Recognition no earlier than this many years after death.
YEARS_AFTER_DEATH = 5
#: The renewal list looks this far ahead.
RENEWAL_MONTHS = 18

#: Berlin's twelve districts: the district office (Bezirksamt) pays for the grave's care.
DISTRICTS = (
    "Charlottenburg-Wilmersdorf", "Friedrichshain-Kreuzberg", "Lichtenberg", "Marzahn-Hellersdorf", "Mitte",
    "Neukölln", "Pankow", "Reinickendorf", "Spandau", "Steglitz-Zehlendorf", "Tempelhof-Schöneberg",
    "Treptow-Köpenick",
)


class HonoraryGrave(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "honorary_graves"
    __workflow__ = GRAVE_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    born_on: Mapped[date | None] = mapped_column(sa.Date)
    died_on: Mapped[date | None] = mapped_column(sa.Date)
    honoured_for: Mapped[str | None] = mapped_column(sa.String(500))
    cemetery: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Field, row and number as the cemetery writes them ("Abt. CAT-12-34").
    location: Mapped[str | None] = mapped_column(sa.String(100))
    district: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    recognised_since: Mapped[date | None] = mapped_column(sa.Date)
    #: None: without a time limit (honorary citizens).
    term_ends_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    honorary_citizen: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_reference: Mapped[str | None] = mapped_column(sa.String(100))
    status: Mapped[str] = mapped_column(sa.String(20), default=GraveStatus.RECOGNISED.value, nullable=False,
                                        index=True)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        enum_check("status", GraveStatus),
        sa.CheckConstraint("died_on IS NULL OR born_on IS NULL OR died_on >= born_on", name="death_after_birth"),
        sa.CheckConstraint("term_ends_on IS NULL OR recognised_since IS NULL OR term_ends_on > recognised_since",
                           name="term_after_recognition"),
    )

    @property
    def status_label(self):
        return GraveStatus(self.status).label

    @property
    def recognition_ended(self) -> bool:
        """Whether the grave is no longer an honorary grave (it stays in the register, marked)."""
        return self.status == GraveStatus.ENDED.value

    @property
    def life_dates(self) -> str:
        born = self.born_on.year if self.born_on else "?"
        died = self.died_on.year if self.died_on else "?"
        return f"{born}–{died}"


class Proposal(LabelledEnum):
    EXTEND = "extend", _l("Extend by 20 years")
    END = "end", _l("End the recognition")


class RenewalBatch(TimestampMixin, WorkflowMixin, db.Model):
    """One Senate submission: the graves whose terms end within RENEWAL_MONTHS of its drafting."""

    __tablename__ = "grave_renewal_batches"
    __workflow__ = BATCH_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: The earliest term end in the batch: its decision is due before then.
    first_term_end: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_reference: Mapped[str | None] = mapped_column(sa.String(100))

    entries: Mapped[list[RenewalEntry]] = relationship(back_populates="batch", cascade="all, delete-orphan",
                                                       order_by="RenewalEntry.id")

    __table_args__ = (enum_check("state", BatchState),)

    @property
    def state_label(self):
        return BatchState(self.state).label

    @property
    def takes_proposals(self) -> bool:
        """Whether the batch is still being prepared (its proposals can change)."""
        return self.state == BatchState.DRAFT


class RenewalEntry(db.Model):
    """A grave in a batch, with the office's proposal and its reason."""

    __tablename__ = "grave_renewal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("grave_renewal_batches.id", ondelete="CASCADE"), nullable=False,
                                          index=True)
    grave_id: Mapped[int] = mapped_column(sa.ForeignKey("honorary_graves.id"), nullable=False, index=True)
    proposal: Mapped[str | None] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))

    batch: Mapped[RenewalBatch] = relationship(back_populates="entries")
    grave: Mapped[HonoraryGrave] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("batch_id", "grave_id", name="uq_grave_renewal_entries_grave"),
                      sa.CheckConstraint("proposal IS NULL OR proposal IN ('extend', 'end')", name="proposal_valid"))

    @property
    def proposal_label(self):
        return Proposal(self.proposal).label if self.proposal else ""


class GraveSuggestion(TimestampMixin, WorkflowMixin, db.Model):
    """A suggestion to recognise a grave, on its way through statements to the Senate."""

    __tablename__ = "grave_suggestions"
    __workflow__ = SUGGESTION_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    born_on: Mapped[date | None] = mapped_column(sa.Date)
    died_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    honoured_for: Mapped[str | None] = mapped_column(sa.String(500))
    cemetery: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    location: Mapped[str | None] = mapped_column(sa.String(100))
    district: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    honorary_citizen: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    suggested_by: Mapped[str | None] = mapped_column(sa.String(200))
    received_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_reference: Mapped[str | None] = mapped_column(sa.String(100))
    #: The register's entry once the Senate recognised the grave.
    grave_id: Mapped[int | None] = mapped_column(sa.ForeignKey("honorary_graves.id"))

    statements: Mapped[list[SuggestionStatement]] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan", order_by="SuggestionStatement.id")
    grave: Mapped[HonoraryGrave | None] = relationship()

    __table_args__ = (enum_check("state", SuggestionState),)

    @property
    def state_label(self):
        return SuggestionState(self.state).label


class SuggestionStatement(db.Model):
    """A Senate department's or the Rat der Bürgermeister's statement on a suggestion."""

    __tablename__ = "grave_suggestion_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(sa.ForeignKey("grave_suggestions.id", ondelete="CASCADE"),
                                               nullable=False, index=True)
    #: The Rat der Bürgermeister (True) or a Senate department (False, named in `author`).
    by_council: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    author: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    received_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    summary: Mapped[str] = mapped_column(sa.String(2000), nullable=False)

    suggestion: Mapped[GraveSuggestion] = relationship(back_populates="statements")
