"""The office's own words for its mails: every saved wording is a version, kept for ever (an
admin sees what a mail said on any day); the newest one of a kind and language is in force,
unless it is a reset to the default."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..db import UTCDateTime
from ..time import now_utc


class MailTextVersion(db.Model):
    __tablename__ = "mail_text_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    #: 1, 2, … per kind and language: two admins saving at once cannot both write the same one.
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    #: None for a reset to the default words.
    subject: Mapped[str | None] = mapped_column(sa.String(200))
    body: Mapped[str | None] = mapped_column(sa.Text)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)

    __table_args__ = (sa.UniqueConstraint("kind", "language", "version"),)

    @property
    def is_reset(self) -> bool:
        return self.subject is None
