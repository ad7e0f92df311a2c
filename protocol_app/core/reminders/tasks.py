"""The beat task that runs all reminder rules."""

from __future__ import annotations

import time

from celery import shared_task

from ...extensions import db
from ..heartbeats import REMINDER_SWEEP, record
from .services import run_all_rules


@shared_task(acks_late=True)
def run_reminder_rules() -> dict:
    """Create the reminders that are due; safe to run any number of times. Its heartbeat says
    when it last ran, how long it took and how many reminders it created."""
    started = time.monotonic()
    counts = run_all_rules()
    record(db.session.connection(), REMINDER_SWEEP, duration=time.monotonic() - started,
           value=sum(n for n in counts.values() if n > 0))
    return counts
