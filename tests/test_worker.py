"""A real Celery worker (with embedded beat) consuming from real Redis, delivering
outbox mail to a real SMTP server; reliability when Redis or SMTP are down."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from protocol_app.core.notifications.models import OutboxMail
from protocol_app.core.notifications.services import queue_mail
from protocol_app.extensions import db
from tests import services
from tests.smtp import SMTPServer, free_port

pytestmark = [pytest.mark.worker, pytest.mark.smtp, pytest.mark.postgres_only]

ROOT = Path(__file__).resolve().parent.parent
SHARED_REDIS = f"{services.REDIS_BASE}/15"


def wait_for(condition, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


class Worker:
    """`celery worker -B` as a subprocess, configured through the environment."""

    def __init__(self, redis_url: str, smtp_port: int, tmp: Path):
        self.log = tmp / "worker.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_")}
        env.update(
            PROTOKOLL_ENV="development",
            PROTOKOLL_INSTANCE_DIR=str(tmp / "instance"),
            DATABASE_URL=services.pg_url("protokoll_commit"),
            REDIS_URL=redis_url,
            SMTP_PORT=str(smtp_port),
            OUTBOX_BACKOFF_SECONDS="1",
            OUTBOX_SWEEP_SECONDS="1",
            REMINDER_SWEEP_SECONDS="2",
            SECRET_KEY="worker-test-secret",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_worker", "worker", "-B",
             "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "-s", str(tmp / "beat-schedule")],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: "ready." in self.log.read_text(), timeout=60):
            self.stop()
            pytest.fail(f"worker did not start:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-40:])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class PrivateRedis:
    """A redis-server of our own that the test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        assert wait_for(lambda: _pings(client), timeout=10), "private redis did not start"
        return self

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


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
        time.sleep(2.5)  # sweeps keep running: still exactly one mail
        assert len(smtp_fixed.messages) == 1
        assert smtp_fixed.messages[0]["Subject"] == "Erinnerung"
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
        time.sleep(2.5)
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
        started = time.monotonic()
        mail_id = _commit_change_with_mail(app)  # the change still commits
        assert time.monotonic() - started < 10, "the request must not hang on a dead broker"
        assert _status(app, mail_id) == "pending"
        private.start()  # the broker comes back; beat's sweep re-publishes
        assert wait_for(lambda: _status(app, mail_id) == "sent", timeout=90), worker.tail()
        time.sleep(2.5)
        assert len(smtp_fixed.messages) == 1
    finally:
        worker.stop()
        private.stop()


def test_outbox_row_exists_even_though_publishing_failed(committing_app, tmp_path):
    app = _web_app(f"redis://127.0.0.1:{free_port()}/0")
    mail_id = _commit_change_with_mail(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 1
    assert _status(app, mail_id) == "pending"
