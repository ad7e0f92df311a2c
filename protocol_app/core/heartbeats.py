"""When the background parts last did their work: the beat leader, the reminder sweep, the
outbox sweep. One row per part, overwritten each time; read by the readiness check and the
metrics, so that an operator sees a beat that stopped or a sweep that is late.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .db import UTCDateTime
from .time import now_utc

#: The parts that report, and how long after its last beat each counts as late.
BEAT, REMINDER_SWEEP, OUTBOX_SWEEP, WEBHOOK_SWEEP = "beat", "reminder-sweep", "outbox-sweep", "webhook-sweep"


class Heartbeat(db.Model):
    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: How long the part's last run took (sweeps), in seconds.
    duration_seconds: Mapped[float | None] = mapped_column(sa.Float)
    #: What it did (a sweep: reminders created, mails published).
    value: Mapped[int | None] = mapped_column(sa.Integer)


def record(conn: sa.Connection, name: str, *, duration: float | None = None, value: int | None = None,
           at: datetime | None = None) -> None:
    """Write the part's heartbeat on `conn` (the caller commits). An UPDATE first: the row
    exists after the first beat, and only one beat ever writes its own row."""
    values = {"beat_at": at or now_utc(), "duration_seconds": duration, "value": value}
    table = Heartbeat.__table__
    if conn.execute(table.update().where(table.c.name == name).values(**values)).rowcount == 0:
        conn.execute(table.insert().values(name=name, **values))


def latest() -> dict[str, Heartbeat]:
    """Every part's last heartbeat, by name."""
    return {row.name: row for row in db.session.scalars(sa.select(Heartbeat))}
