"""Celery task of the audit log: seal new events into the hash chain."""

from __future__ import annotations

from celery import shared_task

from .chain import seal_audit_log


@shared_task(acks_late=True)
def seal_audit() -> int:
    """Seal every committed audit event not yet in the chain (safe to run twice)."""
    return seal_audit_log()
