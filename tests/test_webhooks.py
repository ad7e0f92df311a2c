"""Webhooks: a neighbour system registered by an admin is told of a confirmed visit once, signed
with its secret, at a real receiving server; retried while it is down, never told twice when
a request may have arrived, and told nothing its role may not read."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.auth.models import User
from protocol_app.core.audit.models import AuditEvent
from protocol_app.core.time import now_utc
from protocol_app.core.webhooks import services as webhooks
from protocol_app.core.webhooks.models import WebhookDelivery, WebhookSubscription
from protocol_app.extensions import db
from tests.receiver import Receiver
from tests.smtp import free_port
from tests.support import login, make_user, post
from tests.visit_support import make_visit, reference_data


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def _subscribe(app, url, events=("visit.confirmed", "visit.changed", "visit.cancelled"), role="viewer") -> str:
    with app.app_context():
        _subscription, secret = webhooks.subscribe(actor=None, name="Pressestelle", url=url, events=list(events),
                                                   role=role)
        db.session.commit()
        return secret


def _sweep(app) -> list[str]:
    """What the beat's sweep and a worker do, in this process: settle, then send what is due."""
    with app.app_context():
        webhooks.settle_stale_claims()
        outcomes = [webhooks.deliver(i) for i in webhooks.due_delivery_ids()]
        db.session.remove()
        return outcomes


def _deliveries(app) -> list[tuple[str, str, int]]:
    with app.app_context():
        return db.session.execute(sa.select(WebhookDelivery.event_type, WebhookDelivery.status,
                                            WebhookDelivery.attempts).order_by(WebhookDelivery.id)).all()


def _confirmed_visit(app, **overrides) -> str:
    reference_data(app)
    officer = make_user(app, "referent@example.org", roles=["officer"])
    manager = make_user(app, "leitung@example.org", roles=["manager"])
    reference = make_visit(app, officer, **overrides)
    client = app.test_client()
    login(client, "leitung@example.org")
    for action, version in (("start_planning", "1"), ("confirm", "2")):
        assert post(client, f"/visits/{reference}/transition", {"action": action, "version": version}).status_code == 302
    assert manager
    return reference


def test_an_admin_registers_a_system_and_sees_its_secret_once(app, receiver):
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = post(admin, "/admin/webhooks", {"name": "Internetredaktion", "url": receiver.url,
                                           "events": ["visit.confirmed", "note.published"], "role": "viewer"})
    secret = re.search(r'data-testid="webhook-secret">([^<]+)<', page.get_data(as_text=True)).group(1)
    with app.app_context():
        subscription = db.session.scalar(sa.select(WebhookSubscription))
        assert subscription.events == "visit.confirmed,note.published" and secret not in subscription.secret_sealed
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "webhook.create"))
    listing = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "Internetredaktion" in listing and secret not in listing
    refused = post(admin, "/admin/webhooks", {"name": "Unsicher", "url": "http://example.org/hook",
                                              "events": ["visit.confirmed"], "role": "viewer"}).get_data(as_text=True)
    assert "Bitte geben Sie eine https://-Adresse an" in refused


def test_a_confirmed_visit_is_told_once_signed_with_the_secret(app, receiver):
    secret = _subscribe(app, receiver.url)
    reference = _confirmed_visit(app)
    assert _sweep(app) == ["delivered"]
    assert _sweep(app) == []  # the next sweep finds nothing due: told once
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    expected = hmac.new(secret.encode(), headers["Protokoll-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert hmac.compare_digest(headers["Protokoll-Signature"], "v1=" + expected.hexdigest())
    event = json.loads(body)
    assert event["type"] == "visit.confirmed" == headers["Protokoll-Event"]
    assert event["id"] == headers["Protokoll-Event-Id"] and event["data"]["reference"] == reference
    assert event["data"]["state"] == "confirmed" and "guest_name" not in event["data"]
    assert _deliveries(app) == [("visit.confirmed", "delivered", 1)]


def test_a_receiver_that_is_down_is_told_later_with_pauses_growing(app, receiver):
    port = free_port()  # nothing listens here yet
    _subscribe(app, f"http://127.0.0.1:{port}/hook")
    _confirmed_visit(app)
    assert _sweep(app) == ["pending"]
    with app.app_context():
        first = db.session.scalar(sa.select(WebhookDelivery))
        assert first.attempts == 1 and first.next_attempt_at > now_utc() + timedelta(seconds=20)
        assert "ConnectionError" in first.last_error
        db.session.execute(sa.update(WebhookSubscription).values(url=receiver.url))
        db.session.commit()
    assert _sweep(app) == []  # not before its time
    receiver.status = 503  # up, but not ready
    with time_machine.travel(now_utc() + timedelta(seconds=31), tick=True):
        assert _sweep(app) == ["pending"]
    receiver.status = 200
    with time_machine.travel(now_utc() + timedelta(seconds=31 + 121), tick=True):
        assert _sweep(app) == ["delivered"]
    event_ids = {headers["Protokoll-Event-Id"] for headers, _body in receiver.received}
    assert len(receiver.received) == 2 and len(event_ids) == 1  # one event, accepted once
    assert _deliveries(app) == [("visit.confirmed", "delivered", 3)]


def test_a_request_that_may_have_arrived_is_not_sent_again_on_its_own(app, receiver):
    app.config["WEBHOOK_TIMEOUT_SECONDS"] = 1
    try:
        _subscribe(app, receiver.url)
        _confirmed_visit(app)
        receiver.delay = 3  # the receiver takes it but answers too late
        assert _sweep(app) == ["uncertain"]
        receiver.delay = 0
        assert _sweep(app) == []
        assert len(receiver.received) == 1
    finally:
        app.config["WEBHOOK_TIMEOUT_SECONDS"] = 10
    # An admin decides: sent again with the same event id.
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    with app.app_context():
        delivery_id = db.session.scalar(sa.select(WebhookDelivery.id))
    post(admin, "/admin/webhooks/resend", {"delivery_id": str(delivery_id)})
    assert _sweep(app) == ["delivered"]
    assert len({headers["Protokoll-Event-Id"] for headers, _body in receiver.received}) == 1


def test_a_worker_that_stopped_mid_delivery_leaves_it_uncertain_or_sends_it_once(app, receiver):
    _subscribe(app, receiver.url)
    _confirmed_visit(app)
    with app.app_context():
        delivery_id = db.session.scalar(sa.select(WebhookDelivery.id))
        assert webhooks.claim(delivery_id)  # a worker took it and stopped before its request went out
    with time_machine.travel(now_utc() + timedelta(seconds=121), tick=True):
        assert _sweep(app) == ["delivered"]  # nothing had arrived: sent, once
    with app.app_context():
        delivery = db.session.get(WebhookDelivery, delivery_id)
        delivery.status, delivery.request_sent_at, delivery.claimed_at = "sending", now_utc(), now_utc()
        db.session.commit()  # as if a worker had sent it again and stopped while the receiver answered
    with time_machine.travel(now_utc() + timedelta(seconds=121), tick=True):
        assert _sweep(app) == []
    assert _deliveries(app) == [("visit.confirmed", "uncertain", 1)]
    assert len(receiver.received) == 1


def test_nobody_is_told_of_a_confidential_visit_or_what_their_role_may_not_read(app, receiver):
    _subscribe(app, receiver.url, events=("visit.confirmed", "note.published"), role="translator")
    _subscribe(app, receiver.url, events=("visit.confirmed",), role="viewer")
    _confirmed_visit(app, is_confidential=True)
    assert _deliveries(app) == []
    with app.app_context():
        reference = make_visit(app, db.session.scalar(sa.select(User.id).where(User.email == "referent@example.org")),
                               title="Arbeitsbesuch aus Prag")
    client = app.test_client()
    login(client, "leitung@example.org")
    for action, version in (("start_planning", "1"), ("confirm", "2")):
        post(client, f"/visits/{reference}/transition", {"action": action, "version": version})
    # The translators' role may not read visits: only the viewer's subscription is told.
    assert _deliveries(app) == [("visit.confirmed", "pending", 0)]


def test_the_website_hears_of_a_published_note_and_the_monitoring_counts_deliveries(app, receiver):
    from tests.support import office_clients
    from tests.test_metrics import TOKEN, _scrape
    from tests.test_news import _published_note

    _subscribe(app, receiver.url, events=("note.published",), role="translator")  # public anyway
    clients = office_clients(app, "referent", "leitung")
    note_id = _published_note(app, clients)
    assert _sweep(app) == ["delivered"]
    event = json.loads(receiver.received[0][1])
    assert event["type"] == "note.published" and event["data"]["id"] == note_id
    assert event["data"]["feed"].endswith("/public/news/de/feed.atom")

    previous, app.config["METRICS_TOKEN"] = app.config.get("METRICS_TOKEN"), TOKEN
    try:
        assert _scrape(app.test_client())["protokoll_webhook_deliveries"][(("state", "delivered"),)] == 1
    finally:
        app.config["METRICS_TOKEN"] = previous


def test_the_registration_form_names_every_mistake_at_once(app):
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = post(admin, "/admin/webhooks", {"name": "Unsicher", "url": "http://example.org/hook", "role": "viewer"})
    text = page.get_data(as_text=True)
    assert "Bitte geben Sie eine https://-Adresse an" in text and "mindestens ein Ereignis" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookSubscription)) == 0
