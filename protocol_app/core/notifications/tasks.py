"""Celery tasks of the outbox: deliver one mail, and sweep for mails left behind."""

from __future__ import annotations

from celery import shared_task

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
    """Settle claims of workers that died, then publish every mail that is due."""
    delivery.settle_stale_claims()
    return enqueue_delivery(due_mail_ids())
