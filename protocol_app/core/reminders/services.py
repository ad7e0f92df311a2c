"""The reminder registry and the idempotent creation of reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa
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
    """Insert the reminder `key` unless it exists; True if this call created it (the one-item
    case of `remind_once`: two sweeps at once still create it only once)."""
    return bool(remind_once(rule, [(key, recipient, target, True)]))


def reminder_key(*parts) -> sa.ColumnElement:
    """A reminder key built in SQL from literals and columns ("task-overdue:", Task.id, ":", …),
    the same text `create_once` callers build in Python (ids as digits, dates as YYYY-MM-DD)."""
    expression = None
    for part in parts:
        piece = sa.literal(part, sa.String) if isinstance(part, str) else sa.cast(part, sa.String)
        expression = piece if expression is None else expression.concat(piece)
    return expression


def create_reminders(rule: str, candidates: sa.Select | list[dict]) -> list[sa.Row]:
    """Create the reminders of every due item in one statement; return the rows it created.

    `candidates` selects the due items as columns labelled `key`, `recipient_id`,
    `object_type` and `object_id` (object_id as text). ``INSERT … SELECT … ON CONFLICT DO
    NOTHING RETURNING`` skips the keys that exist (two sweeps at once still create each
    reminder once) and gives back only the rows this statement inserted, so a sweep costs a
    statement per rule, not one per item, and one with nothing due finds that out in SQL."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if isinstance(candidates, list):
        return _create_listed(insert, rule, candidates)
    due = candidates.subquery("due")
    # SQLite parses "SELECT … ON CONFLICT" as a join constraint unless the SELECT has a WHERE.
    source = sa.select(due.c.key, sa.literal(rule, sa.String), due.c.recipient_id, due.c.object_type,
                       due.c.object_id, sa.literal(now_utc(), Reminder.created_at.type)).where(sa.true())
    stmt = (
        insert(Reminder)
        .from_select(["key", "rule", "recipient_id", "object_type", "object_id", "created_at"], source)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(Reminder.key, Reminder.recipient_id, Reminder.object_id)
    )
    return db.session.execute(stmt).all()


#: Rows per INSERT of a listed batch (SQLite allows 32,766 parameters a statement).
_BATCH = 1000


def _create_listed(insert, rule: str, rows: list[dict]) -> list[sa.Row]:
    """The candidates a rule computed in Python (keys with a day in Berlin, say), inserted as
    one multi-row INSERT per thousand."""
    created, now = [], now_utc()
    for start in range(0, len(rows), _BATCH):
        values = [{"rule": rule, "created_at": now, "recipient_id": None, "object_type": None, "object_id": None,
                   **row} for row in rows[start:start + _BATCH]]
        created += db.session.execute(
            insert(Reminder).values(values).on_conflict_do_nothing(index_elements=["key"])
            .returning(Reminder.key, Reminder.recipient_id, Reminder.object_id)).all()
    return created


def remind_once(rule: str, candidates) -> list:
    """The reminders of a rule that works out its due items in Python: `candidates` are
    (key, recipient, target, payload); their reminders are written in one statement (per
    thousand) and the payloads of those this call created come back, in the given order — the
    rule notifies for exactly those. Two sweeps at once still create each reminder once."""
    candidates = list(candidates)
    if not candidates:
        return []
    created = {row.key for row in create_reminders(rule, [
        {"key": key, "recipient_id": getattr(recipient, "id", None),
         "object_type": getattr(target, "__tablename__", None),
         "object_id": None if target is None else str(target.id)}
        for key, recipient, target, _ in candidates])}
    return [payload for key, _, _, payload in candidates if key in created]


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


