"""Celery tasks of the outbox: deliver one mail, and sweep for mails left behind."""

from __future__ import annotations

import time

from celery import shared_task

from ...extensions import db
from ..heartbeats import OUTBOX_SWEEP, record
from . import delivery
from .services import due_mail_ids, enqueue_delivery


@shared_task(acks_late=True)
def deliver_mail(mail_id: int) -> str:
    """Deliver outbox mail `mail_id` once; a failure is rescheduled in the row, not in Celery.

    The retry time lives in `next_attempt_at` and the beat sweep publishes the mail
    again when it is due: a countdown of hours in the broker would outlive Redis'
    visibility timeout and a Redis restart, the row does not.
    """
    return delivery.deliver(mail_id).status


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Settle claims of workers that died, then publish every mail that is due; its heartbeat
    says when it last ran and how many mails it published."""
    started = time.monotonic()
    delivery.settle_stale_claims()
    published = enqueue_delivery(due_mail_ids())
    record(db.session.connection(), OUTBOX_SWEEP, duration=time.monotonic() - started, value=published)
    return published
