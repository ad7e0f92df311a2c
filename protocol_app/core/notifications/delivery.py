"""Delivering one outbox mail over SMTP, exactly once per successful send."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ..time import now_utc
from .models import MailStatus, OutboxMail

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    status: str  # "sent", "retry", "failed", "skipped"
    retry_in: float | None = None


def claim(mail_id: int) -> bool:
    """Claim a mail for sending with a conditional UPDATE; True if we got it.

    Only one claimer can move a row from pending (or a stale sending claim) to
    sending, whatever the number of workers, retries and sweeps.
    """
    now = now_utc()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            sa.or_(
                OutboxMail.status == MailStatus.PENDING.value,
                sa.and_(
                    OutboxMail.status == MailStatus.SENDING.value,
                    OutboxMail.claimed_at < stale,
                ),
            ),
        )
        .values(status=MailStatus.SENDING.value, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _build_message(mail: OutboxMail) -> EmailMessage:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    # A stable Message-ID lets receiving servers drop a duplicate after a crash
    # between the SMTP acceptance and our commit.
    msg["Message-ID"] = make_msgid(idstring=f"outbox-{mail.id}", domain="protokoll.local")
    msg.set_content(mail.body_text)
    return msg


def _send(msg: EmailMessage) -> None:
    cfg = current_app.config
    timeout = cfg["SMTP_TIMEOUT"]
    if cfg["SMTP_SSL"]:
        smtp = smtplib.SMTP_SSL(
            cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
    with smtp:
        if cfg["SMTP_STARTTLS"] and not cfg["SMTP_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["SMTP_USERNAME"]:
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff: base, 2*base, 4*base, … capped at six hours."""
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return float(min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def deliver(mail_id: int) -> DeliveryResult:
    """Send one outbox mail if it is still due; record success or the failure.

    Commits its own claim and outcome, because SMTP is outside the transaction.
    """
    if not claim(mail_id):
        return DeliveryResult("skipped")
    mail = db.session.get(OutboxMail, mail_id)
    try:
        _send(_build_message(mail))
    except (OSError, smtplib.SMTPException) as exc:
        mail.attempts += 1
        mail.last_error = f"{exc.__class__.__name__}: {str(exc)[:300]}"
        mail.claimed_at = None
        if mail.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            mail.status = MailStatus.FAILED.value
            db.session.commit()
            log.error("outbox mail %s failed permanently after %s attempts", mail_id, mail.attempts)
            return DeliveryResult("failed")
        delay = backoff_seconds(mail.attempts)
        mail.status = MailStatus.PENDING.value
        mail.next_attempt_at = now_utc() + timedelta(seconds=delay)
        db.session.commit()
        log.warning("outbox mail %s not delivered (attempt %s): %s", mail_id, mail.attempts, exc)
        return DeliveryResult("retry", retry_in=delay)
    mail.attempts += 1
    mail.status = MailStatus.SENT.value
    mail.sent_at = now_utc()
    mail.last_error = None
    db.session.commit()
    return DeliveryResult("sent")
