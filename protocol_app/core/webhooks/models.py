"""Webhook tables: who is told of what (a subscription), and each telling (a delivery)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ..db import TimestampMixin, UTCDateTime, enum_check
from ..enums import LabelledEnum
from ..permissions import Role
from ..sealing import sealed_column
from ..time import now_utc


class DeliveryStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting")
    SENDING = "sending", _l("Being sent")
    DELIVERED = "delivered", _l("Delivered")
    FAILED = "failed", _l("Failed")
    #: The request went out but no answer came: it may have arrived. Never sent again on its
    #: own (that is how a receiver gets an event twice); an admin decides.
    UNCERTAIN = "uncertain", _l("Delivery not confirmed")


def new_event_id() -> str:
    return str(uuid.uuid4())


class WebhookSubscription(TimestampMixin, db.Model):
    """A neighbour system told of events: its address, the events it wants, and the role whose
    reading rights bound what it is told."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    url: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    #: The signing secret, sealed (core.sealing): shown to the admin once, when made.
    secret_sealed: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: The event types, comma-separated (core.webhooks.services.EVENTS).
    events: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (enum_check("role", Role),)

    @property
    def event_types(self) -> list[str]:
        return [e for e in self.events.split(",") if e]


class WebhookDelivery(db.Model):
    """One event told to one subscriber. Written in the same transaction as the change it tells
    of; a worker claims it with a conditional UPDATE (pending → sending), so that two workers
    or a retry and a sweep never both send it."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The same for every subscriber and every attempt: the receiver drops a repeat by it.
    event_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    event_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    #: The JSON body, sealed: it may name a guest of state before the visit is public.
    payload_sealed: Mapped[str] = mapped_column(sa.Text, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(10), default=DeliveryStatus.PENDING.value, nullable=False)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set just before the request goes out: from then on a resend could tell it twice.
    request_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None] = mapped_column(sa.Integer)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)

    subscription: Mapped[WebhookSubscription] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "event_id"),
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        enum_check("status", DeliveryStatus),
    )

    @property
    def status_label(self):
        return DeliveryStatus(self.status).label

    @property
    def may_be_sent_again(self) -> bool:
        """Failed, or not confirmed: an admin may send it again (the same event id)."""
        return self.status in (DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN)


# `flask keys rotate` re-seals them with the newest key.
sealed_column(WebhookSubscription.__table__.c.secret_sealed)
sealed_column(WebhookDelivery.__table__.c.payload_sealed)
