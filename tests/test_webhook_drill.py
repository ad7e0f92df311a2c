"""Fault drill of the webhooks: real Celery workers on a Redis of their own tell 60 events to a
real receiving server while one worker after the other is killed with kill -9. Counted as an
operator would: requests received, distinct event ids, deliveries by state, signatures."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import sqlalchemy as sa

from protocol_app.core.webhooks import services as webhooks
from protocol_app.core.webhooks.models import WebhookDelivery
from protocol_app.extensions import db
from tests import services
from tests.conftest import build_app
from tests.receiver import Receiver
from tests.smtp import free_port
from tests.worker_support import PrivateRedis, Worker, wait_for

EVENTS = 60


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = dict(db.session.execute(
            sa.select(WebhookDelivery.status, sa.func.count()).group_by(WebhookDelivery.status)).all())
        db.session.remove()
        return rows


@pytest.mark.worker
@pytest.mark.postgres_only
def test_workers_killed_while_telling_a_neighbour_tell_no_event_twice(committing_app, tmp_path):
    services.require("redis")
    broker = PrivateRedis().start()
    receiver = Receiver()
    receiver.delay = 0.05  # each answer takes a moment: a kill may fall into one
    fast = {"WEBHOOK_CLAIM_TIMEOUT_SECONDS": "5", "WEBHOOK_SWEEP_SECONDS": "1", "WEBHOOK_TIMEOUT_SECONDS": "2",
            "WEBHOOK_RETRY_DELAYS": "1,1,2,2,4"}
    steady = Worker(broker.url, free_port(), tmp_path, name="steady", overrides=fast)
    victim = Worker(broker.url, free_port(), tmp_path, beat=False, name="victim-0", overrides=fast)
    try:
        app = build_app(services.pg_url("protokoll_commit"), REDIS_URL=broker.url)
        with app.app_context():
            _subscription, secret = webhooks.subscribe(actor=None, name="Pressestelle", url=receiver.url,
                                                       events=["visit.confirmed"], role="viewer")
            for number in range(EVENTS):
                webhooks.emit("visit.confirmed", {"reference": f"V-2027-{number:04d}"})
            db.session.commit()
        kills = 0
        for round_ in range(2):
            assert wait_for(lambda r=round_: len(receiver.received) >= 20 * (r + 1), timeout=60), steady.tail()
            victim.kill()
            kills += 1
            victim = Worker(broker.url, free_port(), tmp_path, beat=False, name=f"victim-{round_ + 1}",
                            overrides=fast)

        def settled():
            counts = _statuses(app)
            return counts.get("pending", 0) + counts.get("sending", 0) == 0

        assert wait_for(settled, timeout=120), (_statuses(app), steady.tail())
        with app.app_context():
            rows = db.session.execute(sa.select(WebhookDelivery.event_id, WebhookDelivery.status)).all()
        received = [headers["Protokoll-Event-Id"] for headers, _body in receiver.received]
        assert len(received) == len(set(received)), "an event arrived twice"
        delivered = {event_id for event_id, status in rows if status == "delivered"}
        uncertain = {event_id for event_id, status in rows if status == "uncertain"}
        assert len(delivered) + len(uncertain) == EVENTS
        assert delivered <= set(received)  # every delivery marked delivered did arrive
        assert len(uncertain) <= kills  # at most the one request in flight per kill waits for an admin
        assert set(received) <= delivered | uncertain
        for headers, body in receiver.received:  # and each was signed with the secret
            mac = hmac.new(secret.encode(), headers["Protokoll-Timestamp"].encode() + b"." + body, hashlib.sha256)
            assert headers["Protokoll-Signature"] == "v1=" + mac.hexdigest()
            assert json.loads(body)["id"] == headers["Protokoll-Event-Id"]
    finally:
        victim.stop()
        steady.stop()
        receiver.stop()
        broker.stop()
