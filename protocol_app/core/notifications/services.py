"""Creating notifications and outbox mails, and handing mails to the worker
only after the transaction that wrote them has committed."""

from __future__ import annotations

import contextvars
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db
from ..mail_texts import MailKind, register_mail_kind, write_mail
from ..time import now_utc
from .models import MailStatus, Notification, OutboxMail
from .notices import FRAME, shown_value

log = logging.getLogger(__name__)

_PENDING_KEY = "protokoll_outbox_ids"
#: Mails written but not yet flushed: their ids are known after the next flush, which writes
#: all of them in batches (a sweep that mails 1,000 people is not 1,000 round trips).
_UNFLUSHED_KEY = "protokoll_outbox_unflushed"


#: The frame of every notice mail; each kind of notice words its own subject and sentence.
NOTICE = register_mail_kind(MailKind(FRAME, _l("Frame of every notice mail (greeting, link, footer)"), {
    "subject": _l("what the notice is about: the record and what is due, e.g. “V-2027-0007: Anfrage wartet”"),
    "message": _l("the notice itself"), "link": _l("the address of the record in Protokoll (empty if none)")}, {
    "de": ("{subject}", "Guten Tag,\n\n{message}\n\nIn Protokoll öffnen: {link}\n\n-- \n"
                        "Diese Nachricht wurde automatisch von Protokoll versandt. Bitte antworten Sie nicht darauf."),
    "en": ("{subject}", "Hello,\n\n{message}\n\nOpen in Protokoll: {link}\n\n-- \n"
                        "This message was sent automatically by Protokoll. Please do not reply."),
}, {
    "de": {"subject": "V-2027-0007: Anfrage wartet auf Entscheidung",
           "message": "Die Besuchsanfrage V-2027-0007 „Delegation aus Paris“ wartet seit mehr als einer Woche.",
           "link": "https://protokoll.berlin.de/visits/V-2027-0007"},
    "en": {"subject": "V-2027-0007: request awaits a decision",
           "message": "The visit request V-2027-0007 “Delegation from Paris” has been waiting for more than a week.",
           "link": "https://protokoll.berlin.de/visits/V-2027-0007"},
}))


def notify(user, notice: MailKind, values: dict | None = None, *, link: str | None = None) -> Notification:
    """Notify `user` in the bell and by e-mail, in the user's language and the office's words.

    `notice` is a kind declared with `notices.notice_kind`; `values` fill its placeholders —
    dates, moments and lazy texts are formatted under the recipient's locale, not the actor's.
    Its subject says which record and what is due, never a name (subjects show on lock screens
    and in mail logs); its sentence shows in the bell and inside the frame of every notice mail.
    The outbox names the kind and the version of its words.
    """
    if notice.frame is None:
        raise TypeError(f"{notice.key} is a mail of its own, not a notice: queue it with queue_written()")
    values = values or {}
    missing = [name for name in notice.placeholders if name not in values]
    if missing:  # a value left out would silently drop its line from the office's words
        raise ValueError(f"{notice.key}: no value for {missing}")
    with force_locale(user.locale):
        shown = {name: shown_value(value) for name, value in values.items()}
    written = write_mail(notice.key, user.locale, shown)
    note = Notification(user_id=user.id, message=written.body[:500], link=link)
    db.session.add(note)
    if user.is_active_account:
        address = current_app.config["BASE_URL"] + link if link else ""
        framed = write_mail(notice.frame, user.locale, {"subject": written.subject, "message": written.body,
                                                      "link": address})
        queue_mail(user.email, framed.subject, framed.body, language=user.locale,
                   text=(written.kind, written.version))
    return note


def notify_in_app(user, message_factory, *, link: str | None = None) -> Notification:
    """A notice for the bell only (no mail), e.g. to admins about the app itself;
    `message_factory` returns the message, rendered in the recipient's language."""
    with force_locale(user.locale):
        message = str(message_factory())
    note = Notification(user_id=user.id, message=message, link=link)
    db.session.add(note)
    return note


def queue_written(recipient: str, mail, *, language: str, calendar: str | None = None) -> OutboxMail:
    """Queue a mail written in the office's words (`core.mail_texts.write_mail`); the outbox keeps
    which words it was written with."""
    return queue_mail(recipient, mail.subject, mail.body, language=language, calendar=calendar,
                      text=(mail.kind, mail.version))


def queue_mail(recipient: str, subject: str, body_text: str, *, language: str | None = None,
               calendar: str | None = None, text: tuple[str, int] | None = None) -> OutboxMail:
    """Write a mail to the outbox; it is sent after the surrounding commit.

    `language` is the body's (for its HTML part); `calendar` an iCalendar text attached as
    the invitation's date, which calendar programs offer to add. The mail gets its id at the
    next flush, which writes every mail queued before it in batches."""
    mail = OutboxMail(recipient=recipient, subject=subject, body_text=body_text, language=language,
                      calendar=calendar, mail_kind=text[0] if text else None, mail_text_version=text[1] if text else None)
    db.session.add(mail)
    db.session.info.setdefault(_UNFLUSHED_KEY, []).append(mail)
    return mail


def mark_for_publishing(mail_id: int) -> None:
    """Hand the mail to the worker once the surrounding transaction has committed."""
    db.session.info.setdefault(_PENDING_KEY, set()).add(mail_id)


def unread_count(user) -> int:
    """Return how many notifications of `user` are unread."""
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one (or all) of `user`'s notifications read; return how many changed."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=now_utc())).rowcount


def outbox_backlog() -> dict:
    """Count outbox mails that are not yet sent, by status."""
    rows = db.session.execute(
        sa.select(OutboxMail.status, sa.func.count(OutboxMail.id))
        .where(OutboxMail.status != MailStatus.SENT.value)
        .group_by(OutboxMail.status)
    )
    return {status: count for status, count in rows}


def due_mail_ids(limit: int = 500) -> list[int]:
    """Return ids of mails due for (re)delivery, including stale claims."""
    now = now_utc()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    return list(
        db.session.scalars(
            sa.select(OutboxMail.id)
            .where(
                sa.or_(
                    sa.and_(
                        OutboxMail.status == MailStatus.PENDING.value,
                        OutboxMail.next_attempt_at <= now,
                    ),
                    sa.and_(
                        OutboxMail.status == MailStatus.SENDING.value,
                        OutboxMail.claimed_at < stale,
                        OutboxMail.data_sent_at.is_(None),
                    ),
                )
            )
            .order_by(OutboxMail.id)
            .limit(limit)
        )
    )


#: After a failed publish, this process leaves publishing to the beat sweep for a while:
#: a request must not pay a connection attempt to a broker that was just found down.
#: Per process on purpose — no other process needs it, and each finds out for itself.
_broker_down_until = 0.0


def enqueue_delivery(mail_ids, *, in_request: bool = False) -> int:
    """Hand mails to the worker; return how many were published.

    A broker that is down is logged, not raised: the mails stay pending and the beat
    sweep publishes them later. Publishing is one attempt without retries, bounded by
    REDIS_CONNECT_TIMEOUT; in a request (`in_request`) it is skipped altogether for
    OUTBOX_BROKER_BACKOFF_SECONDS after a failure, so that requests take as long with
    Redis down (or unreachable) as with Redis up.
    """
    global _broker_down_until
    from .tasks import deliver_mail

    if in_request and time.monotonic() < _broker_down_until:
        return 0
    published = 0
    for mail_id in mail_ids:
        try:
            # One attempt, bounded by REDIS_CONNECT_TIMEOUT (see core.broker and config).
            deliver_mail.apply_async(args=[mail_id], retry=False)
            published += 1
        except Exception as exc:  # broker unreachable: the sweep will retry
            _broker_down_until = time.monotonic() + current_app.config["OUTBOX_BROKER_BACKOFF_SECONDS"]
            log.warning("could not publish outbox mail %s: %s", mail_id, exc.__class__.__name__)
            break
    else:
        _broker_down_until = 0.0
    return published


@event.listens_for(Session, "after_flush_postexec")
def _note_flushed_mails(session, flush_context):
    unflushed = session.info.get(_UNFLUSHED_KEY)
    if unflushed:
        pending = session.info.setdefault(_PENDING_KEY, set())
        pending.update(mail.id for mail in unflushed if mail.id is not None)
        session.info[_UNFLUSHED_KEY] = [mail for mail in unflushed if mail.id is None]


#: One publishing thread per process: a request hands its mails over and answers; a refused or
#: hung Redis keeps this thread waiting, never a request (the sweep publishes what it could not).
_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publisher")


def _publish_in_background(app, mail_ids: list[int]) -> Future:
    def publish():
        with app.app_context():
            return enqueue_delivery(mail_ids, in_request=True)

    # In the request's context (its id): the delivery tasks carry the id of the request that wrote the mails.
    return _publisher.submit(contextvars.copy_context().run, publish)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session):
    ids = session.info.pop(_PENDING_KEY, None)
    if ids and current_app and not current_app.config.get("OUTBOX_PUBLISH_DISABLED"):
        if has_request_context():
            _publish_in_background(current_app._get_current_object(), sorted(ids))
        else:
            enqueue_delivery(sorted(ids))


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    # Only a rollback of the whole transaction discards the mails; a savepoint
    # rollback does not fire this event on the session.
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_UNFLUSHED_KEY, None)
