"""A press note: its texts in German and English, its photo with the credit, and the visit or
event it tells of (named by scope and id, as book entries name theirs)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.workflow import WorkflowMixin
from ..extensions import db
from .workflow import NOTE_WORKFLOW, NoteState

LANGUAGES = ("de", "en")


class NewsNote(TimestampMixin, WorkflowMixin, db.Model):
    __tablename__ = "news_notes"
    __workflow__ = NOTE_WORKFLOW

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "visit" or "event" and the record's id: one note per visit or event.
    source_scope: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    source_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: What the source was, kept with the note ("V-2026-0042 Delegation aus Brüssel").
    source_label: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    #: The day the visit or event took place: "Aktuelles" or "Rückblick" is decided by it.
    occasion_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    title_de: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    lead_de: Mapped[str | None] = mapped_column(sa.String(600))
    lead_en: Mapped[str | None] = mapped_column(sa.String(600))
    text_de: Mapped[str | None] = mapped_column(sa.Text)
    text_en: Mapped[str | None] = mapped_column(sa.Text)
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    photo_credit: Mapped[str | None] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    photo = relationship("StoredFile")
    author = relationship("User")

    __table_args__ = (
        enum_check("state", NoteState),
        sa.UniqueConstraint("source_scope", "source_id", name="one_note_per_source"),
    )

    @property
    def state_label(self):
        return NoteState(self.state).label

    def text(self, part: str, language: str) -> str:
        """`part` ("title", "lead", "text") in `language`."""
        return getattr(self, f"{part}_{language}") or ""
