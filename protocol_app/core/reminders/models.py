"""The reminder table; its unique key makes every reminder happen once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..db import UTCDateTime
from ..time import now_utc


class Reminder(db.Model):
    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: e.g. "visit-starts-7d:42:user:7" — the same key is never created twice.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True, nullable=False)
    rule: Mapped[str] = mapped_column(sa.String(60), nullable=False, index=True)
    recipient_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
