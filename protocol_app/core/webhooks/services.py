"""Webhooks: the neighbour systems (the press office, the Senate's website, the document
management) told of what happens here — a visit confirmed, changed or cancelled, an event
created, a press note published.

A domain calls `emit(type, data)` in the transaction of its change; a delivery row per
subscriber is written with it, and the beat's sweep hands due rows to the workers. Each request
is signed (HMAC-SHA256 over the timestamp and the body, with the subscription's secret), carries
the event's id (the same on every attempt, so a receiver drops a repeat), is retried with
growing pauses while the receiver is down, and is never sent again on its own once it may have
arrived (a worker stopped while the receiver was answering).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from ...extensions import db
from ..audit import record_event
from ..errors import ValidationFailed
from ..permissions import Permission, Role, permissions_of
from ..sealing import Unreadable, seal, unseal
from ..time import now_utc
from .models import DeliveryStatus, WebhookDelivery, WebhookSubscription, new_event_id

log = logging.getLogger(__name__)

#: The events a neighbour may be told of, and what its role must be allowed to read for it
#: (None: public anyway).
EVENTS = {
    "visit.confirmed": (_l("Visit confirmed"), Permission.VISIT_READ),
    "visit.changed": (_l("Confirmed visit changed"), Permission.VISIT_READ),
    "visit.cancelled": (_l("Visit cancelled"), Permission.VISIT_READ),
    "event.created": (_l("Event created"), Permission.EVENT_READ),
    "note.published": (_l("Press note published"), None),
}


def event_choices() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, (label, _permission) in EVENTS.items()]


def check_url(url: str) -> str:
    parts = urlsplit((url or "").strip())
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local) or not parts.hostname:
        raise ValidationFailed(_l("Please give an https:// address (the events carry data of the office)."),
                               field="url")
    return url.strip()


def subscribe(*, actor, name: str, url: str, events: list[str], role: str) -> tuple[WebhookSubscription, str]:
    """Register a neighbour system; returns the subscription and its signing secret (shown once).
    Its address must be https:// (plain http only on this machine)."""
    if not (name or "").strip():
        raise ValidationFailed(_l("Please give the receiving system's name."), field="name")
    unknown = set(events) - set(EVENTS)
    if not events or unknown:
        raise ValidationFailed(_l("Please choose at least one event from the list."), field="events")
    if role not in {r.value for r in Role}:
        raise ValidationFailed(_l("Please choose a role from the list."), field="role")
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription(name=name.strip()[:120], url=check_url(url), secret_sealed=seal(secret),
                                       events=",".join(e for e in EVENTS if e in events), role=role,
                                       created_by_id=getattr(actor, "id", None))
    db.session.add(subscription)
    db.session.flush()
    record_event("webhook.create", actor=actor, target=subscription, summary=subscription.url[:200],
                 changes={"events": [None, subscription.events], "role": [None, role]})
    return subscription, secret


def end_subscription(subscription: WebhookSubscription, *, actor) -> None:
    """Tell the system nothing more; what is still waiting for it is not sent either."""
    subscription.is_active = False
    db.session.execute(sa.update(WebhookDelivery).where(
        WebhookDelivery.subscription_id == subscription.id,
        WebhookDelivery.status == DeliveryStatus.PENDING.value,
    ).values(status=DeliveryStatus.FAILED.value, last_error="subscription ended")
        .execution_options(synchronize_session=False))
    record_event("webhook.end", actor=actor, target=subscription, summary=subscription.url[:200])


def emit(event_type: str, data: dict) -> int:
    """Tell `event_type` with `data` to every active subscriber of it whose role may read such
    records; written in the caller's transaction (gone if it is rolled back). Returns how many."""
    _label, permission = EVENTS[event_type]
    subscriptions = [s for s in db.session.scalars(sa.select(WebhookSubscription).where(
        WebhookSubscription.is_active.is_(True))) if event_type in s.event_types
        and (permission is None or permission in permissions_of([s.role]))]
    if not subscriptions:
        return 0
    event_id = new_event_id()
    body = json.dumps({"id": event_id, "type": event_type, "occurred_at": now_utc().isoformat(), "data": data},
                      ensure_ascii=False, sort_keys=True, default=_iso)
    sealed = seal(body)
    for subscription in subscriptions:
        db.session.add(WebhookDelivery(subscription_id=subscription.id, event_id=event_id, event_type=event_type,
                                       payload_sealed=sealed))
    return len(subscriptions)


def _iso(value) -> str:
    """Moments and days in a payload as ISO 8601 (what every receiver parses)."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`v1=` and the HMAC-SHA256 of "<timestamp>." and the body with the subscription's secret."""
    return "v1=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


# --- delivery --------------------------------------------------------------------------------

def _stale_before():
    return now_utc() - timedelta(seconds=current_app.config["WEBHOOK_CLAIM_TIMEOUT_SECONDS"])


def _claimable():
    return sa.or_(
        sa.and_(WebhookDelivery.status == DeliveryStatus.PENDING.value, WebhookDelivery.next_attempt_at <= now_utc()),
        # a worker that stopped before its request went out: nothing arrived, take it again
        sa.and_(WebhookDelivery.status == DeliveryStatus.SENDING.value, WebhookDelivery.claimed_at < _stale_before(),
                WebhookDelivery.request_sent_at.is_(None)),
    )


def due_delivery_ids(limit: int = 500) -> list[int]:
    return list(db.session.scalars(sa.select(WebhookDelivery.id).where(_claimable())
                                   .order_by(WebhookDelivery.id).limit(limit)))


def claim(delivery_id: int) -> bool:
    """Take a delivery for sending with a conditional UPDATE; True if this worker got it."""
    result = db.session.execute(
        sa.update(WebhookDelivery).where(WebhookDelivery.id == delivery_id, _claimable())
        .values(status=DeliveryStatus.SENDING.value, claimed_at=now_utc())
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def settle_stale_claims() -> int:
    """Deliveries whose worker stopped after the request went out may have arrived: uncertain."""
    result = db.session.execute(
        sa.update(WebhookDelivery).where(
            WebhookDelivery.status == DeliveryStatus.SENDING.value,
            WebhookDelivery.claimed_at < _stale_before(), WebhookDelivery.request_sent_at.is_not(None))
        .values(status=DeliveryStatus.UNCERTAIN.value, last_error="worker stopped while the receiver was answering")
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def retry_delays() -> list[int]:
    return [int(x) for x in str(current_app.config["WEBHOOK_RETRY_DELAYS"]).split(",") if x.strip()]


def _never_arrived(exc: requests.RequestException) -> bool:
    """Whether the request cannot have reached the receiver (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _settle(delivery: WebhookDelivery, status: DeliveryStatus, error: str | None = None,
            response_status: int | None = None) -> str:
    delivery.status, delivery.last_error, delivery.response_status = status.value, error, response_status
    if status is DeliveryStatus.DELIVERED:
        delivery.delivered_at = now_utc()
    db.session.commit()
    return status.value


def _retry_or_fail(delivery: WebhookDelivery, error: str, response_status: int | None = None) -> str:
    delivery.claimed_at = delivery.request_sent_at = None  # nothing arrived: it may go again
    delays = retry_delays()
    if delivery.attempts > len(delays):
        log.error("webhook delivery %s failed after %s attempts", delivery.id, delivery.attempts)
        return _settle(delivery, DeliveryStatus.FAILED, error, response_status)
    delivery.next_attempt_at = now_utc() + timedelta(seconds=delays[delivery.attempts - 1])
    return _settle(delivery, DeliveryStatus.PENDING, error, response_status)


def deliver(delivery_id: int) -> str:
    """Send one due delivery and record what became of it; commits its own claim and outcome,
    because the request is outside the transaction."""
    if not claim(delivery_id):
        return "skipped"
    delivery = db.session.get(WebhookDelivery, delivery_id)
    delivery.attempts += 1
    subscription = delivery.subscription
    if not subscription.is_active:
        return _settle(delivery, DeliveryStatus.FAILED, "subscription ended")
    try:
        body, secret = unseal(delivery.payload_sealed).encode(), unseal(subscription.secret_sealed)
    except Unreadable:
        return _settle(delivery, DeliveryStatus.FAILED, "cannot be decrypted: the key changed since it was written")
    timestamp = int(time.time())
    delivery.request_sent_at = now_utc()
    db.session.commit()
    timeout = current_app.config["WEBHOOK_TIMEOUT_SECONDS"]
    try:
        response = requests.post(subscription.url, data=body, timeout=timeout, allow_redirects=False, headers={
            "Content-Type": "application/json", "User-Agent": "Protokoll-Webhooks/1",
            "Protokoll-Event": delivery.event_type, "Protokoll-Event-Id": delivery.event_id,
            "Protokoll-Timestamp": str(timestamp), "Protokoll-Signature": signature(secret, timestamp, body)})
    except requests.RequestException as exc:
        error = f"{exc.__class__.__name__}: {str(exc)[:300]}"
        if _never_arrived(exc):
            return _retry_or_fail(delivery, error)
        log.error("webhook delivery %s: no answer after the request went out; not sent again on its own", delivery_id)
        return _settle(delivery, DeliveryStatus.UNCERTAIN, error)
    if 200 <= response.status_code < 300:
        return _settle(delivery, DeliveryStatus.DELIVERED, response_status=response.status_code)
    if response.status_code in (408, 429) or response.status_code >= 500:
        return _retry_or_fail(delivery, f"HTTP {response.status_code}", response.status_code)
    return _settle(delivery, DeliveryStatus.FAILED, f"HTTP {response.status_code}", response.status_code)


def resend(delivery_ids, *, actor) -> int:
    """Put failed or unconfirmed deliveries back in the queue (same event id); how many."""
    rows = db.session.scalars(sa.select(WebhookDelivery).where(
        WebhookDelivery.id.in_(list(delivery_ids)),
        WebhookDelivery.status.in_([DeliveryStatus.FAILED.value, DeliveryStatus.UNCERTAIN.value]),
    ).with_for_update()).all()
    for delivery in rows:
        record_event("webhook.resend", actor=actor, target=delivery.subscription,
                     summary=f"{delivery.event_type} {delivery.event_id}: {delivery.status}")
        delivery.status, delivery.attempts = DeliveryStatus.PENDING.value, 0
        delivery.next_attempt_at, delivery.claimed_at, delivery.request_sent_at = now_utc(), None, None
    db.session.flush()
    return len(rows)
