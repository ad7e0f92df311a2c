"""The reminder registry and the idempotent creation of reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import db
from ..time import now_utc
from .models import Reminder

log = logging.getLogger(__name__)

_RULES: dict[str, Callable[[], int]] = {}


def reminder_rule(name: str):
    """Register a function that creates the reminders due now and returns how many."""

    def decorator(func):
        _RULES[name] = func
        return func

    return decorator


def create_once(key: str, *, rule: str, recipient=None, target=None) -> bool:
    """Insert the reminder `key` unless it exists; True if this call created it.

    Uses INSERT … ON CONFLICT DO NOTHING so that two sweeps running at the same
    time still create it only once.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {
        "key": key,
        "rule": rule,
        "recipient_id": getattr(recipient, "id", None),
        "object_type": getattr(target, "__tablename__", None),
        "object_id": None if target is None else str(target.id),
    }
    values["created_at"] = now_utc()
    stmt = (
        insert(Reminder)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Reminder.id)
    )
    # RETURNING yields a row only when this statement inserted it.
    return db.session.execute(stmt).scalar() is not None


def run_all_rules() -> dict[str, int]:
    """Run every registered rule; return how many reminders each created."""
    counts = {}
    for name, func in _RULES.items():
        # One broken rule must not keep every other reminder from going out: its savepoint
        # is rolled back, the error logged with its traceback, and the sweep goes on.
        try:
            with db.session.begin_nested():
                counts[name] = func()
        except Exception:
            log.exception("reminder rule %s failed; the other rules ran", name)
            counts[name] = -1
    return counts


