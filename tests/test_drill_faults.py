"""Fault drill: Redis down, a slow or absent mail server, workers killed with kill -9,
two beats, and the embedded SQLite under concurrent form posts.

Each drill counts what an operator would count afterwards: mails received by the SMTP
server, distinct Message-IDs, outbox rows by status, tasks sent by each beat, rows saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from config import Config
from protocol_app.auth.models import User
from protocol_app.core.notifications import delivery
from protocol_app.core.notifications.models import OutboxMail
from protocol_app.core.notifications.services import due_mail_ids, queue_mail
from protocol_app.core.time import now_utc
from protocol_app.events import invitations
from protocol_app.events.guests import add_adhoc
from protocol_app.events.models import Event
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests import services
from tests.conftest import build_app, migrate
from tests.drill_support import Person, all_at_once, event_with_mailed_guests, serve
from tests.smtp import SMTPServer, free_port
from tests.support import ensure_reference_data, login, make_user, post
from tests.visit_support import visit_form
from tests.worker_support import PrivateRedis, Worker, wait_for


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = dict(db.session.execute(
            sa.select(OutboxMail.status, sa.func.count()).group_by(OutboxMail.status)).all())
        db.session.remove()
        return rows


# --- Redis down: requests neither fail nor wait --------------------------------------------

@pytest.mark.postgres_only
def test_with_redis_down_login_replies_feeds_and_mail_keep_working_without_waiting(committing_app):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = build_app(services.pg_url("protokoll_commit"), REDIS_URL=dead, RATELIMIT_ENABLED=True,
                    OUTBOX_PUBLISH_DISABLED=False, UPLOAD_DIR=committing_app.config["UPLOAD_DIR"])
    assert app.config["RATELIMIT_STORAGE_URI"] == dead  # the limiter really points at the dead Redis
    ensure_reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"])
    # How long nothing waits is shown by tests/test_redis_stalls.py (connections counted, no clock).
    client = app.test_client()
    assert login(client, "referent@example.org").status_code == 302

    reference = event_with_mailed_guests(app, 5)
    page = f"/events/{reference}"
    assert post(client, f"{page}/invitations", {}).status_code == 302
    for _ in range(3):  # later invitations too: each request answers, its mails wait in the outbox
        with app.app_context():
            event_obj = db.session.scalar(sa.select(Event))
            add_adhoc(event_obj, actor=db.session.scalar(sa.select(User)), name="Nachzügler").email = "n@example.org"
            db.session.commit()
            db.session.remove()
        assert post(client, f"{page}/invitations", {}).status_code == 302
    wait_for(lambda: _statuses(app) == {"pending": 8})  # written, left for the sweep to publish

    with app.app_context():
        event_obj = db.session.scalar(sa.select(Event))
        guest = add_adhoc(event_obj, actor=db.session.scalar(sa.select(User)), name="Antwortende")
        reply_token = invitations.send_invitations(event_obj, actor=db.session.scalar(sa.select(User)))[guest.id]
        db.session.commit()
    guest_client = app.test_client()
    codes = [guest_client.get(f"/events/reply/{reply_token}").status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429  # limits still count, in memory

    settings = client.post("/calendar/feed", data={"csrf_token": _csrf(client, "/calendar/feed")})
    feed_url = settings.get_data(as_text=True).split("/calendar/feed/")[1].split(".ics")[0]
    assert client.get(f"/calendar/feed/{feed_url}.ics").status_code == 200
    # The public news feed (rate-limited) answers at once too.
    assert app.test_client().get("/public/news/de/feed.atom").status_code == 200


def _csrf(client, path):
    from tests.support import csrf_token

    return csrf_token(client, path)


# --- a slow or absent mail server -------------------------------------------------------------

def _queued(app, n=1) -> list[int]:
    with app.app_context():
        mails = [queue_mail(f"r{i}@example.org", "Erinnerung", "Bitte prüfen.") for i in range(n)]
        db.session.flush()  # the outbox writes its mails in batches, at the flush
        ids = [mail.id for mail in mails]
        db.session.commit()
        return ids


@pytest.mark.smtp
def test_a_slow_mail_server_is_waited_for_and_gets_one_copy(app):
    slow = SMTPServer(delay=2.5).start()  # answers 2.5 s after taking the message
    app.config.update(SMTP_PORT=slow.port, SMTP_TIMEOUT=1, SMTP_DATA_TIMEOUT=10)
    try:
        (mail_id,) = _queued(app)
        with app.app_context():
            assert delivery.deliver(mail_id).status == "sent"
            for due in due_mail_ids():  # the sweep finds nothing left to do
                delivery.deliver(due)
        assert len(slow.messages) == 1
    finally:
        slow.stop()
        app.config.update(SMTP_PORT=Config.SMTP_PORT, SMTP_TIMEOUT=Config.SMTP_TIMEOUT,
                          SMTP_DATA_TIMEOUT=Config.SMTP_DATA_TIMEOUT)


@pytest.mark.smtp
def test_a_server_that_never_confirms_is_not_sent_a_second_copy(app):
    silent = SMTPServer(delay=3).start()
    app.config.update(SMTP_PORT=silent.port, SMTP_TIMEOUT=1, SMTP_DATA_TIMEOUT=1)
    try:
        (mail_id,) = _queued(app)
        with app.app_context():
            assert delivery.deliver(mail_id).status == "uncertain"
            later = now_utc() + timedelta(days=3)
            with time_machine.travel(later, tick=False):
                delivery.settle_stale_claims()
                assert due_mail_ids() == []  # never picked up again by the sweep
                assert delivery.deliver(mail_id).status == "skipped"
        assert wait_for(lambda: silent.finished == 1, timeout=30)  # the server's late "250" has come and gone
        assert len(silent.messages) == 1
        with app.app_context():
            assert db.session.get(OutboxMail, mail_id).status == "uncertain"
    finally:
        silent.stop()
        app.config.update(SMTP_PORT=Config.SMTP_PORT, SMTP_TIMEOUT=Config.SMTP_TIMEOUT,
                          SMTP_DATA_TIMEOUT=Config.SMTP_DATA_TIMEOUT)


@pytest.mark.smtp
def test_a_mail_server_down_for_a_whole_working_day_loses_no_mail(mail_app, smtp_server):
    app = mail_app
    app.config["OUTBOX_RETRY_DELAYS"] = Config.OUTBOX_RETRY_DELAYS  # the production schedule
    smtp_server.stop()
    try:
        (mail_id,) = _queued(app)
        start = now_utc()
        with time_machine.travel(start, tick=False) as traveller, app.app_context():
            for _ in range(30 * 12):  # the sweep every 5 minutes, 30 hours long
                for due in due_mail_ids():
                    assert delivery.deliver(due).status == "retry"
                traveller.shift(timedelta(minutes=5))
            assert db.session.get(OutboxMail, mail_id).status == "pending"
            smtp_server.start()
            traveller.shift(timedelta(hours=24))
            for due in due_mail_ids():
                delivery.deliver(due)
            assert db.session.get(OutboxMail, mail_id).status == "sent"
        assert len(smtp_server.messages) == 1
    finally:
        from tests.conftest import TestingConfig

        app.config["OUTBOX_RETRY_DELAYS"] = TestingConfig.OUTBOX_RETRY_DELAYS


# --- workers killed with kill -9 during delivery -------------------------------------------

@pytest.mark.worker
@pytest.mark.smtp
@pytest.mark.postgres_only
def test_workers_killed_during_delivery_send_no_mail_twice(committing_app, tmp_path):
    services.require("redis")
    broker = PrivateRedis().start()
    smtp = SMTPServer(delay=0.05).start()
    fast = {"OUTBOX_CLAIM_TIMEOUT_SECONDS": "5", "SMTP_TIMEOUT": "1", "SMTP_DATA_TIMEOUT": "2"}
    steady = Worker(broker.url, smtp.port, tmp_path, name="steady", overrides=fast)
    victim = Worker(broker.url, smtp.port, tmp_path, beat=False, name="victim-0", overrides=fast)
    try:
        app = build_app(services.pg_url("protokoll_commit"), REDIS_URL=broker.url, OUTBOX_PUBLISH_DISABLED=False)
        _queued(app, 150)
        kills = 0
        for round_ in range(3):
            assert wait_for(lambda r=round_: len(smtp.messages) >= 25 * (r + 1), timeout=60), steady.tail()
            victim.kill()
            kills += 1
            victim = Worker(broker.url, smtp.port, tmp_path, beat=False, name=f"victim-{round_ + 1}",
                            overrides=fast)

        def settled():
            counts = _statuses(app)
            return counts.get("pending", 0) + counts.get("sending", 0) == 0

        assert wait_for(settled, timeout=120), (_statuses(app), steady.tail())
        with app.app_context():
            rows = db.session.execute(sa.select(OutboxMail.message_id, OutboxMail.status)).all()
        received = [m["Message-ID"] for m in smtp.messages]
        assert len(received) == len(set(received)), "a Message-ID arrived twice"
        sent = {mid for mid, status in rows if status == "sent"}
        uncertain = {mid for mid, status in rows if status == "uncertain"}
        assert len(sent) + len(uncertain) == 150
        assert sent <= set(received)  # every mail marked sent did arrive
        assert len(uncertain) <= kills  # at most the one mail in flight per kill is left for an admin
        assert set(received) <= sent | uncertain
    finally:
        victim.stop()
        steady.stop()
        smtp.stop()
        broker.stop()


# --- two beats: one sends, the other stands by ---------------------------------------------

@pytest.mark.worker
@pytest.mark.postgres_only
def test_a_second_beat_stays_passive_and_takes_over_when_the_first_dies(committing_app, tmp_path):
    services.require("redis")
    broker = PrivateRedis().start()
    first = Worker(broker.url, free_port(), tmp_path, name="beat-1", command="beat")
    second = None
    try:
        assert wait_for(lambda: "this beat is the active one" in first.log.read_text(), timeout=20), first.tail()
        second = Worker(broker.url, free_port(), tmp_path, name="beat-2", command="beat")
        assert wait_for(lambda: "stands by" in second.log.read_text(), timeout=20), second.tail()
        assert wait_for(lambda: first.log.read_text().count("Sending due task") >= 3, timeout=30), first.tail()
        assert second.log.read_text().count("Sending due task") == 0
        first.kill()
        assert wait_for(lambda: "this beat is the active one" in second.log.read_text(), timeout=20), second.tail()
        assert wait_for(lambda: second.log.read_text().count("Sending due task") >= 2, timeout=20)
    finally:
        first.stop()
        if second is not None:
            second.stop()
        broker.stop()


# --- the embedded default: SQLite under concurrent form posts -------------------------------

def test_sqlite_takes_twenty_simultaneous_form_posts(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'embedded.sqlite'}", UPLOAD_DIR=str(tmp_path / "uploads"),
                    EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))
    migrate(app)
    ensure_reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"])
    live = serve(app)
    try:
        people = [Person(live.url).log_in("referent@example.org") for _ in range(20)]
        tokens = [p.token("/visits/new") for p in people]
        responses = all_at_once(
            (lambda p=p, t=t, n=n: p.post("/visits/new", visit_form(title=f"Delegation {n}"), token=t))
            for n, (p, t) in enumerate(zip(people, tokens, strict=True)))
        assert [r.status_code for r in responses] == [302] * 20
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 20
    finally:
        live.stop()
