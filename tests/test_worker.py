"""A real Celery worker (with embedded beat) consuming from real Redis, delivering
outbox mail to a real SMTP server; reliability when Redis or SMTP are down."""

from __future__ import annotations

import pytest
import redis
import sqlalchemy as sa
from celery import Celery

from protocol_app.core.notifications.models import OutboxMail
from protocol_app.core.notifications.services import queue_mail
from protocol_app.extensions import db
from tests import services
from tests.smtp import SMTPServer, free_port
from tests.worker_support import PrivateRedis, Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.smtp, pytest.mark.postgres_only]

SHARED_REDIS = services.redis_url(0)


#: The beat's outbox sweep as the worker logs it.
SWEEP = "protocol_app.core.notifications.tasks.sweep_outbox"


def _web_app(redis_url):
    """The app as a web process would see it: publishing enabled."""
    from tests.conftest import build_app

    return build_app(services.pg_url("protokoll_commit"), REDIS_URL=redis_url,
                     OUTBOX_PUBLISH_DISABLED=False)


def _commit_change_with_mail(app) -> int:
    with app.app_context():
        mail = queue_mail("empfang@example.org", "Erinnerung", "Bitte Checkliste prüfen.")
        db.session.commit()  # publishing happens after this commit
        return mail.id


def _status(app, mail_id) -> str:
    with app.app_context():
        status = db.session.get(OutboxMail, mail_id).status
        db.session.remove()
        return status


@pytest.fixture
def smtp_fixed(tmp_path):
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def shared_redis():
    services.require("redis")
    redis.Redis.from_url(SHARED_REDIS).flushdb()
    return SHARED_REDIS


def test_committed_mail_is_delivered_by_the_worker(committing_app, shared_redis, smtp_fixed, tmp_path):
    worker = Worker(shared_redis, smtp_fixed.port, tmp_path)
    try:
        app = _web_app(shared_redis)
        mail_id = _commit_change_with_mail(app)
        assert wait_for(lambda: len(smtp_fixed.messages) == 1, timeout=30), worker.tail()
        assert wait_for(lambda: _status(app, mail_id) == "sent", timeout=10)
        assert worker.wait_for_runs(SWEEP), worker.tail()  # sweeps keep running: still exactly one mail
        assert len(smtp_fixed.messages) == 1
        assert smtp_fixed.messages[0]["Subject"] == "Erinnerung"
    finally:
        worker.stop()


def test_the_delivery_task_logs_under_the_id_of_the_request_that_wrote_the_mail(committing_app, shared_redis,
                                                                               smtp_fixed, tmp_path):
    import json

    from protocol_app.core.logs import request_id_var

    worker = Worker(shared_redis, smtp_fixed.port, tmp_path, beat=False)
    try:
        app = _web_app(shared_redis)
        with app.test_request_context("/events/"):
            token = request_id_var.set("anfrage-0815")
            queue_mail("empfang@example.org", "Erinnerung", "Bitte Checkliste prüfen.")
            db.session.commit()  # the request's publishing thread sends the task, with the id
            request_id_var.reset(token)
        assert wait_for(lambda: len(smtp_fixed.messages) == 1, timeout=30), worker.tail()

        def ran() -> list[dict]:
            # What the task logs while it runs, and its end ("succeeded"), carry the id; the consumer's
            # "received" line comes before the task is unpacked.
            lines = []
            for text in worker.log.read_text().splitlines():
                try:
                    lines.append(json.loads(text))
                except ValueError:  # not JSON, or the line the worker is writing right now
                    continue
            return [line for line in lines if "deliver_mail" in line.get("message", "")
                    and "received" not in line["message"]]

        # the mail arrives before the worker writes the task's end: wait for that line
        assert wait_for(lambda: any("succeeded" in line["message"] for line in ran()), timeout=30), worker.tail()
        assert {line["request_id"] for line in ran()} == {"anfrage-0815"}, ran()
    finally:
        worker.stop()


def test_smtp_down_mail_is_retried_and_delivered_once(committing_app, shared_redis, tmp_path):
    smtp = SMTPServer()  # not started: SMTP is down
    worker = Worker(shared_redis, smtp.port, tmp_path)
    try:
        app = _web_app(shared_redis)
        mail_id = _commit_change_with_mail(app)

        def attempted():
            with app.app_context():
                attempts = db.session.get(OutboxMail, mail_id).attempts
                db.session.remove()
                return attempts >= 2

        assert wait_for(attempted, timeout=30), worker.tail()
        assert _status(app, mail_id) == "pending"
        smtp.start()
        assert wait_for(lambda: _status(app, mail_id) == "sent", timeout=40), worker.tail()
        assert worker.wait_for_runs(SWEEP), worker.tail()
        assert len(smtp.messages) == 1
    finally:
        worker.stop()
        smtp.stop()


def test_broker_down_at_commit_mail_is_delivered_when_it_is_back(committing_app, smtp_fixed, tmp_path):
    private = PrivateRedis().start()
    worker = Worker(private.url, smtp_fixed.port, tmp_path)
    try:
        app = _web_app(private.url)
        private.stop()  # the broker goes away
        mail_id = _commit_change_with_mail(app)  # the change still commits (one refused attempt to publish)
        assert _status(app, mail_id) == "pending"
        private.start()  # the broker comes back; beat's sweep re-publishes
        assert wait_for(lambda: _status(app, mail_id) == "sent", timeout=90), worker.tail()
        assert worker.wait_for_runs(SWEEP), worker.tail()
        assert len(smtp_fixed.messages) == 1
    finally:
        worker.stop()
        private.stop()


def _takes_work_again(worker, broker_url: str) -> bool:
    """Publish a sweep straight to the broker and wait until the worker has received it: the
    worker is connected and consuming again (a "Connected to" line alone is not that: a kill
    during the later start-up steps is retried without one)."""
    before = worker.runs_of("sweep_outbox")
    Celery(broker=broker_url).send_task("protocol_app.core.notifications.tasks.sweep_outbox")
    return wait_for(lambda: worker.runs_of("sweep_outbox") > before, timeout=90)


def test_a_prefork_worker_outlives_redis_killed_again_and_again(committing_app, smtp_fixed, tmp_path):
    """Seen once in 18 Redis kills: a prefork worker stopped for good (kombu#582, "Unrecoverable
    error"). Eight outages, each of two kills: one while the worker idles, one the moment it has
    connected again (while it sets up its other connections). After each outage the same worker
    process takes work; at the end it still sends a mail."""
    private = PrivateRedis().start()
    worker = Worker(private.url, smtp_fixed.port, tmp_path, beat=False, pool="prefork")
    try:
        for outage in range(8):
            connected = worker.log.read_text().count("\"Connected to ")
            private.kill()
            private.start()
            assert wait_for(lambda c=connected: worker.log.read_text().count("\"Connected to ") > c,
                            timeout=90, interval=0.005), f"not connected again after outage {outage + 1}:\n{worker.tail()}"
            private.kill()
            private.start()
            assert _takes_work_again(worker, private.url), f"takes no work after outage {outage + 1}:\n{worker.tail()}"
            assert worker.process.poll() is None, worker.tail()
        assert "Unrecoverable error" not in worker.log.read_text()
        app = _web_app(private.url)
        mail_id = _commit_change_with_mail(app)
        assert wait_for(lambda: _status(app, mail_id) == "sent", timeout=90), worker.tail()
        assert worker.process.poll() is None and len(smtp_fixed.messages) == 1
    finally:
        worker.stop()
        private.stop()


def test_outbox_row_exists_even_though_publishing_failed(committing_app, tmp_path):
    app = _web_app(f"redis://127.0.0.1:{free_port()}/0")
    mail_id = _commit_change_with_mail(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 1
    assert _status(app, mail_id) == "pending"
