"""The audit table. Rows are only ever inserted: the ORM refuses updates and
deletes, and a database trigger (see the migration) refuses them as well."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ...extensions import db
from ..db import UTCDateTime
from ..time import now_utc


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_utc, nullable=False, index=True
    )
    #: None for the system (background tasks, CLI without a user).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Dotted verb, untranslated: "user.create", "visit.transition", "auth.login_failed".
    action: Mapped[str] = mapped_column(sa.String(80), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: Short English summary without personal data of third parties.
    summary: Mapped[str | None] = mapped_column(sa.String(500))
    #: {"field": [before, after]} for changed fields.
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))

    actor = relationship("User", lazy="joined")

    __table_args__ = (sa.Index("ix_audit_events_object", "object_type", "object_id"),)


@event.listens_for(Session, "before_flush")
def _refuse_audit_mutation(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit events are append-only")
