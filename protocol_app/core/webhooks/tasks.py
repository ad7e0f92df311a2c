"""Celery tasks of the webhooks: tell one delivery, and sweep for the due ones."""

from __future__ import annotations

import time

from celery import shared_task

from ...extensions import db
from ..heartbeats import WEBHOOK_SWEEP, record
from . import services


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    """Send delivery `delivery_id` once; a retry is kept in the row (its next attempt), not in Celery."""
    return services.deliver(delivery_id)


@shared_task(acks_late=True)
def sweep_webhooks() -> int:
    """Settle the claims of workers that stopped, then hand every due delivery to a worker; its
    heartbeat says when it last ran and how many it handed on."""
    started = time.monotonic()
    services.settle_stale_claims()
    published = 0
    for delivery_id in services.due_delivery_ids():
        try:
            deliver_webhook.apply_async(args=[delivery_id], retry=False)
        except Exception:  # broker unreachable: the next sweep tries again
            break
        published += 1
    record(db.session.connection(), WEBHOOK_SWEEP, duration=time.monotonic() - started, value=published)
    db.session.commit()
    return published
