"""Delivering one outbox mail over SMTP: once, as far as SMTP allows.

SMTP cannot make a mail exactly-once: between the final "." of DATA and the server's
"250 OK" the message may be delivered without us knowing. So this module

- claims a row with a conditional UPDATE (one sender per mail, whatever runs);
- gives every row one Message-ID, the same on every attempt, so that a repeat is
  recognisable (receiving servers and mail clients drop it);
- records `data_sent_at` just before the final "." and waits for the server's answer
  as long as RFC 5321 (4.5.3.2.6) asks, 10 minutes, instead of the command timeout —
  a slow server is waited for, not answered by a second copy;
- marks a mail whose final answer never came `uncertain` instead of retrying it, also
  when the worker died in that window (a stale claim with `data_sent_at`): an admin
  looks and re-sends. Failures before the final "." are safe to retry and are retried
  on a schedule spread over two working days (OUTBOX_RETRY_DELAYS).
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import sqlalchemy as sa
from flask import current_app

from ...extensions import db
from ..sealing import Unreadable
from ..time import now_utc
from .html import text_to_html
from .models import MailStatus, OutboxMail

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    status: str  # "sent", "retry", "failed", "uncertain", "skipped"
    retry_in: float | None = None


class _NoFinalReply(Exception):
    """The message went out completely, but the server's final answer did not come."""


def _stale_before():
    return now_utc() - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])


def claim(mail_id: int) -> bool:
    """Claim a mail for sending with a conditional UPDATE; True if we got it.

    Only one claimer can move a row from pending (or a stale claim of a worker that
    died before the final ".") to sending, whatever the number of workers and sweeps.
    """
    now = now_utc()
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            sa.or_(
                OutboxMail.status == MailStatus.PENDING.value,
                sa.and_(
                    OutboxMail.status == MailStatus.SENDING.value,
                    OutboxMail.claimed_at < _stale_before(),
                    OutboxMail.data_sent_at.is_(None),
                ),
            ),
        )
        .values(status=MailStatus.SENDING.value, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def settle_stale_claims() -> int:
    """Mark mails `uncertain` whose worker died after the final "." (it may have been delivered)."""
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.status == MailStatus.SENDING.value,
            OutboxMail.claimed_at < _stale_before(),
            OutboxMail.data_sent_at.is_not(None),
        )
        .values(status=MailStatus.UNCERTAIN.value,
                last_error="worker stopped while the server was accepting the mail")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        log.warning("%s outbox mail(s) marked uncertain after a worker stopped mid-delivery", result.rowcount)
    return result.rowcount


def build_message(mail: OutboxMail) -> EmailMessage:
    """The mail as it goes over the wire (the same headers on every attempt)."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(mail.created_at.timestamp(), localtime=False, usegmt=True)
    msg["Message-ID"] = mail.message_id
    # Every mail of the app is sent by the app (RFC 3834): out-of-office replies stay away.
    msg["Auto-Submitted"] = "auto-generated"
    body = mail.body_text
    msg.set_content(body)
    msg.add_alternative(text_to_html(body, language=mail.language, title=mail.subject), subtype="html")
    calendar = mail.calendar
    if calendar:
        # METHOD:PUBLISH: the date to add; the answer goes through the personal link, not the calendar.
        msg.add_attachment(calendar, subtype="calendar", filename="einladung.ics", params={"method": "PUBLISH"})
    return msg


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    timeout = cfg["SMTP_TIMEOUT"]
    if cfg["SMTP_SSL"]:
        smtp = smtplib.SMTP_SSL(
            cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
    if cfg["SMTP_STARTTLS"] and not cfg["SMTP_SSL"]:
        smtp.starttls(context=ssl.create_default_context())
    if cfg["SMTP_USERNAME"]:
        smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
    return smtp


def _transmit(mail: OutboxMail, msg: EmailMessage) -> None:
    """Run the SMTP transaction; mark `data_sent_at` (committed) before the final "."."""
    smtp = _connect()
    try:
        smtp.ehlo_or_helo_if_needed()
        sender = parseaddr(msg["From"])[1]
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = smtp.rcpt(mail.recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({mail.recipient: (code, reply)})
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        # What smtplib.SMTP.data would send, split before its final ".".
        payload = re.sub(rb"(?m)^\.", b"..", msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")))
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        smtp.send(payload)
        # From the final "." on, the server may deliver: say so durably before sending it.
        mail.data_sent_at = now_utc()
        db.session.commit()
        smtp.send(b".\r\n")
        smtp.sock.settimeout(current_app.config["SMTP_DATA_TIMEOUT"])
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            raise _NoFinalReply(str(exc)) from exc
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def retry_delays() -> list[int]:
    """Seconds to wait before attempt 2, 3, …; after the last one a mail counts as failed."""
    return [int(x) for x in str(current_app.config["OUTBOX_RETRY_DELAYS"]).split(",") if x.strip()]


def _is_permanent(exc: Exception) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = min(c for c, _ in exc.recipients.values())
    return code is not None and 500 <= code < 600


def deliver(mail_id: int) -> DeliveryResult:
    """Send one outbox mail if it is still due; record success, the failure or the doubt.

    Commits its own claim and outcome, because SMTP is outside the transaction.
    """
    if not claim(mail_id):
        return DeliveryResult("skipped")
    mail = db.session.get(OutboxMail, mail_id)
    mail.attempts += 1
    try:
        message = build_message(mail)
    except Unreadable:
        mail.status = MailStatus.FAILED.value
        mail.last_error = "body cannot be decrypted: SECRET_KEY or OUTBOX_KEY changed since it was written"
        db.session.commit()
        log.error("outbox mail %s cannot be decrypted with the current key", mail_id)
        return DeliveryResult("failed")
    try:
        _transmit(mail, message)
    except _NoFinalReply as exc:
        mail.status = MailStatus.UNCERTAIN.value
        mail.last_error = f"no answer after the message was sent: {str(exc)[:250]}"
        db.session.commit()
        log.error("outbox mail %s: no confirmation from the server; not re-sent automatically", mail_id)
        return DeliveryResult("uncertain")
    except (OSError, smtplib.SMTPException) as exc:
        mail.last_error = f"{exc.__class__.__name__}: {str(exc)[:300]}"
        mail.claimed_at = None
        mail.data_sent_at = None  # refused by the server: nothing was delivered
        delays = retry_delays()
        if _is_permanent(exc) or mail.attempts > len(delays):
            mail.status = MailStatus.FAILED.value
            db.session.commit()
            log.error("outbox mail %s failed after %s attempts", mail_id, mail.attempts)
            return DeliveryResult("failed")
        delay = delays[mail.attempts - 1]
        mail.status = MailStatus.PENDING.value
        mail.next_attempt_at = now_utc() + timedelta(seconds=delay)
        db.session.commit()
        log.warning("outbox mail %s not delivered (attempt %s): %s", mail_id, mail.attempts, exc.__class__.__name__)
        return DeliveryResult("retry", retry_in=delay)
    mail.status = MailStatus.SENT.value
    mail.sent_at = now_utc()
    mail.last_error = None
    db.session.commit()
    return DeliveryResult("sent")


def resend(mail_ids, *, actor) -> int:
    """Put failed or unconfirmed mails back in the queue (same Message-ID); return how many.

    An unconfirmed mail may reach its recipient twice; the unchanged Message-ID lets
    mail programs recognise the repeat.
    """
    from ..audit import record_event

    rows = db.session.scalars(sa.select(OutboxMail).where(
        OutboxMail.id.in_(list(mail_ids)),
        OutboxMail.status.in_([MailStatus.FAILED.value, MailStatus.UNCERTAIN.value]),
    ).with_for_update()).all()
    from .services import mark_for_publishing

    for mail in rows:
        record_event("outbox.resend", actor=actor, target=mail, summary=f"{mail.status} after {mail.attempts}")
        mail.status = MailStatus.PENDING.value
        mail.attempts = 0
        mail.next_attempt_at = now_utc()
        mail.claimed_at = mail.data_sent_at = None
        mark_for_publishing(mail.id)
    db.session.flush()
    return len(rows)
