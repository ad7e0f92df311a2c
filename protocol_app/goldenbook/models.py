"""Entries of the Golden Book of Berlin and of the Gästebuch, and the office's setting for the
calligrapher's lead time.

An entry's occasion is a visit or an event, named by scope and id as tasks name their record
(the book does not reach into those domains' tables; they tell it about their records).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, enum_check
from ..core.workflow import WorkflowMixin
from ..extensions import db
from .eligibility import Book, Rank
from .workflow import ENTRY_WORKFLOW, EntryState

#: The calligrapher prepares the page this many days before the signing, unless an admin says otherwise.
DEFAULT_LEAD_DAYS = 5


class BookEntry(TimestampMixin, WorkflowMixin, db.Model):
    __tablename__ = "book_entries"
    __workflow__ = ENTRY_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    signatory: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    country_code: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.code"))
    #: "visit" or "event" and the record's id; None for an entry outside both.
    occasion_scope: Mapped[str | None] = mapped_column(sa.String(20))
    occasion_id: Mapped[int | None] = mapped_column(sa.Integer)
    #: What the occasion was ("Staatsbesuch des Präsidenten …"), kept with the entry.
    occasion: Mapped[str | None] = mapped_column(sa.String(300))
    #: The programme item flagged "Golden Book" that planned the entry.
    programme_item_id: Mapped[int | None] = mapped_column(sa.Integer, unique=True)
    book: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    #: What the eligibility rule read in the function (None: not a Golden Book rank).
    rank: Mapped[str | None] = mapped_column(sa.String(30))
    #: Why the Golden Book was chosen for someone the rule sends to the Gästebuch.
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    volume: Mapped[str | None] = mapped_column(sa.String(20))
    page: Mapped[int | None] = mapped_column(sa.Integer)
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    calligrapher_task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tasks.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    country = relationship("Country", lazy="joined")
    photo = relationship("StoredFile")
    calligrapher_task = relationship("Task")

    __table_args__ = (
        enum_check("state", EntryState),
        enum_check("book", Book),
        sa.CheckConstraint("rank IS NULL OR rank IN (" + ", ".join(f"'{r.value}'" for r in Rank) + ")",
                           name="rank_valid"),
        sa.CheckConstraint("page IS NULL OR page > 0", name="page_positive"),
        # A Golden Book entry outside the rule carries its reason (DESIGN: reserved for the ranks).
        sa.CheckConstraint("book <> 'golden' OR rank IS NOT NULL OR reason IS NOT NULL", name="golden_needs_rank"),
        sa.Index("ix_book_entries_occasion", "occasion_scope", "occasion_id"),
    )

    @property
    def state_label(self):
        return EntryState(self.state).label

    @property
    def book_label(self):
        return Book(self.book).label

    @property
    def rank_label(self):
        return Rank(self.rank).label if self.rank else ""

    @property
    def proposed_book(self) -> Book:
        return Book.GOLDEN if self.rank else Book.GUEST

    @property
    def outside_rule(self) -> bool:
        return self.book == Book.GOLDEN.value and not self.rank

    @property
    def place_in_book(self) -> str:
        if not self.volume and not self.page:
            return ""
        return f"{self.volume or '?'}/{self.page or '?'}"


class BookSettings(db.Model):
    """The office's settings of the books (one row, set by an admin)."""

    __tablename__ = "book_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_days: Mapped[int] = mapped_column(sa.Integer, default=DEFAULT_LEAD_DAYS, nullable=False)

    __table_args__ = (sa.CheckConstraint("lead_days BETWEEN 0 AND 60", name="lead_days_valid"),)
