"""The beat task that runs all reminder rules."""

from __future__ import annotations

from celery import shared_task

from .services import run_all_rules


@shared_task(acks_late=True)
def run_reminder_rules() -> dict:
    """Create the reminders that are due; safe to run any number of times."""
    return run_all_rules()
