"""Notification and outbox tables."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..db import UTCDateTime, enum_check
from ..enums import LabelledEnum
from ..sealing import sealed_column
from ..time import now_utc


class Notification(db.Model):
    """A message in a user's bell, written in the recipient's language."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    message: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    #: Relative URL inside the app; never carries personal data.
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)


class MailStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting")
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")
    #: The whole message went out but the server's answer never came: it may have been
    #: delivered. Never re-sent automatically (that is how mails arrive twice); an admin decides.
    UNCERTAIN = "uncertain", _l("Delivery not confirmed")


def new_message_id() -> str:
    """A Message-ID for a new outbox mail, on the sender's domain; kept for every attempt."""
    from email.utils import parseaddr

    from flask import current_app

    domain = parseaddr(current_app.config["MAIL_SENDER"])[1].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxMail(db.Model):
    """An e-mail written in the same transaction as the change that caused it.

    A worker claims it with a conditional UPDATE (pending -> sending), so two
    workers or a retry and a sweep can never both send it.
    """

    __tablename__ = "outbox_mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    #: Subjects never name a person; see DESIGN.md section 6.
    subject: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: The kind of mail and the version of the office's words it was written with (None: a mail
    #: whose words the office does not keep; version 0: the default words).
    mail_kind: Mapped[str | None] = mapped_column(sa.String(60))
    mail_text_version: Mapped[int | None] = mapped_column(sa.Integer)
    #: The body, encrypted (core.sealing): it may hold reply links, which are credentials.
    body_sealed: Mapped[str] = mapped_column(sa.Text, nullable=False)
    status: Mapped[str] = mapped_column(
        sa.String(10), default=MailStatus.PENDING.value, nullable=False
    )
    #: The same on every attempt, so that receiving servers and mail clients drop a repeat.
    message_id: Mapped[str] = mapped_column(sa.String(250), default=new_message_id, nullable=False,
                                            unique=True)
    #: Set just before the final "." of SMTP DATA: from then on a resend could deliver twice.
    data_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_utc, nullable=False
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The body's language, for the HTML part's `lang` (screen readers pronounce by it).
    language: Mapped[str | None] = mapped_column(sa.String(5))
    #: An iCalendar file to attach (an invitation's date), encrypted like the body: it may
    #: carry the personal reply link.
    calendar_sealed: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def calendar(self) -> str | None:
        from ..sealing import unseal

        return unseal(self.calendar_sealed) if self.calendar_sealed else None

    @calendar.setter
    def calendar(self, ics: str | None) -> None:
        from ..sealing import seal

        self.calendar_sealed = seal(ics) if ics else None

    @property
    def body_text(self) -> str:
        from ..sealing import unseal

        return unseal(self.body_sealed)

    @body_text.setter
    def body_text(self, text: str) -> None:
        from ..sealing import seal

        self.body_sealed = seal(text)

    @property
    def status_label(self):
        return MailStatus(self.status).label

    __table_args__ = (
        enum_check("status", MailStatus),
        sa.Index("ix_outbox_mails_due", "status", "next_attempt_at"),
    )


# `flask keys rotate` re-seals the bodies and calendar files of mails not yet sent with the newest key.
sealed_column(OutboxMail.__table__.c.body_sealed)
sealed_column(OutboxMail.__table__.c.calendar_sealed)
