"""Celery tasks of the outbox: deliver one mail, and sweep for mails left behind."""

from __future__ import annotations

from celery import shared_task

from . import delivery
from .services import due_mail_ids, enqueue_delivery


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_mail(self, mail_id: int) -> str:
    """Deliver outbox mail `mail_id`; on SMTP failure retry with backoff."""
    result = delivery.deliver(mail_id)
    if result.status == "retry":
        # The row is pending again with next_attempt_at set; the sweep would find
        # it too, and the claim makes sure only one of them sends it.
        raise self.retry(countdown=result.retry_in)
    return result.status


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Publish every mail that is due but was never or not successfully published."""
    return enqueue_delivery(due_mail_ids())
