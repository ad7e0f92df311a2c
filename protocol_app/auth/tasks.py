"""The beat task that rechecks the directory accounts with open sessions."""

from __future__ import annotations

from celery import shared_task

from .directory_accounts import recheck_directory_accounts


@shared_task(acks_late=True)
def recheck_directory() -> dict:
    """End the sessions of directory accounts disabled or without a mapped group meanwhile;
    safe to run any number of times (and a no-op without a directory)."""
    return recheck_directory_accounts()
