"""Notifications and the outbox at service level, against a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import lazy_gettext as _l

from config import Config, TestingConfig
from protocol_app.auth.models import User
from protocol_app.core.notifications import delivery
from protocol_app.core.notifications.models import MailStatus, Notification, OutboxMail
from protocol_app.core.notifications.services import (
    due_mail_ids,
    notify,
    notify_in_app,
    outbox_backlog,
    queue_mail,
)
from protocol_app.core.reminders.services import run_all_rules
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from tests.support import login, make_user

pytestmark = pytest.mark.smtp


def _queue(app, recipient="r@example.org") -> int:
    with app.app_context():
        mail = queue_mail(recipient, "Betreff", "Text")
        db.session.commit()
        return mail.id


def _mail(app, mail_id) -> OutboxMail:
    with app.app_context():
        return db.session.get(OutboxMail, mail_id)


def test_notification_and_mail_are_written_in_the_recipients_language(mail_app):
    from datetime import date

    from protocol_app.visits import notices

    app = mail_app
    de_id = make_user(app, "de@example.org", locale="de")
    en_id = make_user(app, "en@example.org", locale="en")
    with app.app_context():
        values = {"reference": "V-2026-0001", "title": "Delegation aus Paris", "date": date(2026, 3, 12), "n": 2}
        for uid in (de_id, en_id):
            notify(db.session.get(User, uid), notices.STARTS_SOON, values, link="/")
        db.session.commit()
        notes = {n.user_id: n.message for n in db.session.scalars(sa.select(Notification))}
        # The day is written as each recipient reads it, not as the sweep's process would.
        assert notes[de_id] == "Besuch V-2026-0001 „Delegation aus Paris“ beginnt am 12.03.2026; offene Aufgaben der Checkliste: 2."
        assert notes[en_id] == "Visit V-2026-0001 “Delegation aus Paris” starts on 12 Mar 2026; open checklist tasks: 2."
        mails = {m.recipient: m for m in db.session.scalars(sa.select(OutboxMail))}
        # The subject names the record and what is due, in the recipient's language.
        assert mails["de@example.org"].subject == "V-2026-0001: Der Besuch beginnt am 12.03.2026"
        assert mails["en@example.org"].subject == "V-2026-0001: the visit starts on 12 Mar 2026"
        assert "http://127.0.0.1:5000/" in mails["en@example.org"].body_text
        assert (mails["en@example.org"].mail_kind, mails["en@example.org"].mail_text_version) == ("visits.starts_soon", 0)
        with pytest.raises(ValueError, match="date"):  # a value left out would drop its words unnoticed
            notify(db.session.get(User, de_id), notices.STARTS_SOON, {"reference": "V-2026-0001", "title": "", "n": 1})
        from protocol_app.events.mail_texts import INVITATION

        with pytest.raises(TypeError, match="not a notice"):  # a guest's invitation has no place in the bell
            notify(db.session.get(User, de_id), INVITATION, {})


def test_bell_shows_unread_count_and_marking_read_clears_it(mail_app):
    app = mail_app
    uid = make_user(app, "a@example.org")
    with app.app_context():
        notify_in_app(db.session.get(User, uid), lambda: _l("Your settings have been saved."))
        db.session.commit()
    client = app.test_client()
    login(client, "a@example.org")
    assert 'data-testid="unread-count">1<' in client.get("/").get_data(as_text=True)
    from tests.support import post

    post(client, "/notifications/read", {})
    assert "unread-count" not in client.get("/").get_data(as_text=True)


def test_delivery_sends_once_and_marks_sent(mail_app, smtp_server):
    mail_id = _queue(mail_app)
    with mail_app.app_context():
        assert delivery.deliver(mail_id).status == "sent"
        assert delivery.deliver(mail_id).status == "skipped"  # a second task or sweep
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Betreff" and message["To"] == "r@example.org"
    stored = _mail(mail_app, mail_id)
    assert stored.status == MailStatus.SENT.value and stored.attempts == 1 and stored.sent_at


def test_smtp_down_means_retry_with_backoff_then_exactly_one_delivery(mail_app, smtp_server):
    app = mail_app
    smtp_server.stop()
    mail_id = _queue(app)
    start = now_utc()
    with time_machine.travel(start, tick=False) as traveller:
        with app.app_context():
            assert delivery.deliver(mail_id).status == "retry"
        first = _mail(app, mail_id)
        assert first.status == "pending" and first.attempts == 1 and "Error" in first.last_error
        with app.app_context():
            delays = delivery.retry_delays()
            assert mail_id not in due_mail_ids()  # backing off
            traveller.shift(timedelta(seconds=delays[0] + 0.5))
            assert mail_id in due_mail_ids()
            assert delivery.deliver(mail_id).status == "retry"
        second = _mail(app, mail_id)
        assert second.attempts == 2
        # The second delay is the schedule's second.
        assert (second.next_attempt_at - now_utc()).total_seconds() == pytest.approx(delays[1], abs=0.01)
        smtp_server.start()
        traveller.shift(timedelta(seconds=10))
        with app.app_context():
            for _ in range(3):  # several sweeps and retries racing for the same mail
                for due in due_mail_ids():
                    delivery.deliver(due)
    assert len(smtp_server.messages) == 1
    assert _mail(app, mail_id).status == "sent"


def test_only_one_claimer_wins(mail_app):
    mail_id = _queue(mail_app)
    with mail_app.app_context():
        assert delivery.claim(mail_id) is True
        assert delivery.claim(mail_id) is False
        assert mail_id not in due_mail_ids()
        later = now_utc() + timedelta(seconds=mail_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] + 1)
        with time_machine.travel(later, tick=False):
            assert mail_id in due_mail_ids()  # a worker died while sending: free again
            assert delivery.claim(mail_id) is True


def test_permanent_failure_is_reported_to_admins_once(mail_app, smtp_server):
    app = mail_app
    admin_id = make_user(app, "admin@example.org", roles=["admin"])
    smtp_server.stop()
    app.config["OUTBOX_RETRY_DELAYS"] = "60"  # two attempts in all
    try:
        mail_id = _queue(app)
        with app.app_context():
            delivery.deliver(mail_id)
            with time_machine.travel(now_utc() + timedelta(minutes=5), tick=False):
                assert delivery.deliver(mail_id).status == "failed"
            assert outbox_backlog() == {"failed": 1}
            run_all_rules()
            run_all_rules()
            db.session.commit()
            notes = db.session.scalars(
                sa.select(Notification).where(Notification.user_id == admin_id)
            ).all()
            assert len(notes) == 1
            assert "konnte nicht zugestellt werden" in notes[0].message
    finally:
        app.config["OUTBOX_RETRY_DELAYS"] = TestingConfig.OUTBOX_RETRY_DELAYS


def test_rolled_back_change_leaves_no_mail(app):
    with app.app_context():
        queue_mail("r@example.org", "Betreff", "Text")
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0
        assert "protokoll_outbox_ids" not in db.session.info


def test_the_default_retry_schedule_spans_two_working_days():
    delays = [int(x) for x in Config.OUTBOX_RETRY_DELAYS.split(",")]
    assert 36 * 3600 <= sum(delays) <= 60 * 3600
    assert delays == sorted(delays)  # never closer together after a longer outage


def test_every_attempt_carries_the_same_message_id_and_a_date(mail_app, smtp_server):
    app = mail_app
    mail_id = _queue(app)
    smtp_server.stop()
    with app.app_context():
        assert delivery.deliver(mail_id).status == "retry"
    smtp_server.start()
    with time_machine.travel(now_utc() + timedelta(hours=1), tick=False), app.app_context():
        assert delivery.deliver(mail_id).status == "sent"
    stored = _mail(app, mail_id)
    (message,) = smtp_server.messages
    assert message["Message-ID"] == stored.message_id
    assert stored.message_id.endswith("@localhost>")  # the sender's domain
    assert message["Date"]


def test_failed_and_unconfirmed_mails_are_resent_by_an_admin_once(mail_app, smtp_server):
    app = mail_app
    make_user(app, "admin@example.org", roles=["admin"])
    failed_id, unconfirmed_id, sent_id = _queue(app), _queue(app), _queue(app)
    with app.app_context():
        db.session.get(OutboxMail, failed_id).status = "failed"
        db.session.get(OutboxMail, unconfirmed_id).status = "uncertain"
        db.session.get(OutboxMail, sent_id).status = "sent"
        db.session.commit()
    client = app.test_client()
    login(client, "admin@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Zustellung nicht bestätigt" in page and "Erneut senden" in page
    from tests.support import post

    response = post(client, "/admin/outbox/resend", {}, follow_redirects=True)
    assert "2 E-Mails werden erneut gesendet." in response.get_data(as_text=True)
    with app.app_context():
        for mail_id in (failed_id, unconfirmed_id):
            assert delivery.deliver(mail_id).status == "sent"
        assert delivery.deliver(sent_id).status == "skipped"
        from protocol_app.core.audit import AuditEvent

        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "outbox.resend")) == 2
    assert len(smtp_server.messages) == 2
    again = post(client, "/admin/outbox/resend", {}, follow_redirects=True)
    assert "Es gab keine fehlgeschlagene E-Mail" in again.get_data(as_text=True)
