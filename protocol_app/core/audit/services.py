"""Writing audit events in the same transaction as the change they describe."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from flask import has_request_context, request
from sqlalchemy import inspect

from ...extensions import db
from .models import AuditEvent

#: Columns whose values never go into the audit log.
SECRET_FIELDS = frozenset({"password_hash"})


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changes_of(obj, *, exclude=(), values_of=None) -> dict:
    """Return {column: [before, after]} for the pending changes of an ORM object.

    Call before the session flushes. New objects report [None, value]. With `values_of`, only
    those columns keep their values; the others say that they changed ("…"), for records whose
    fields name or describe a person the log's readers may not see.
    """
    state = inspect(obj)
    result = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in exclude or key in ("created_at", "updated_at", "version"):
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if before == after:
            continue
        if key in SECRET_FIELDS:
            result[key] = ["***", "***"]
        elif values_of is not None and key not in values_of:
            result[key] = ["…", "…"]
        else:
            result[key] = [_plain(before), _plain(after)]
    return result


def update_audited(record, values: dict, *, actor, action: str, values_of=None) -> dict:
    """Set `values` on `record`, write them, and log `action` with what changed — nothing when
    nothing did, so saving an unchanged form leaves no trace. `values_of` as in `changes_of`
    (an empty tuple: only which fields changed). Returns the changes."""
    for key, value in values.items():
        setattr(record, key, value)
    changes = changes_of(record, values_of=values_of)
    db.session.flush()
    if changes:
        record_event(action, actor=actor, target=record, changes=changes)
    return changes


def record_event(
    action: str,
    *,
    actor=None,
    target=None,
    object_type: str | None = None,
    object_id=None,
    summary: str | None = None,
    changes: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction and return it."""
    if target is not None:
        object_type = object_type or target.__tablename__
        if object_id is None:
            if inspect(target).identity is None:
                db.session.flush()  # a new record needs its id before it can be named
            object_id = inspect(target).identity[0]
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        summary=summary,
        changes=changes or None,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_read(actor, *, target=None, scope: str | None = None, references=(), how: str = "read") -> None:
    """Log that `actor` saw a confidential record, or (lists, exports, booklets) which ones.

    The entry names the record or the references shown, never their content: the log
    proves who saw what without becoming a copy of it.
    """
    if target is not None:
        record_event(f"{target.__tablename__.rstrip('s')}.{how}", actor=actor, target=target)
        return
    refs = sorted(set(references))
    if refs:
        record_event(f"{scope}.{how}", actor=actor, object_type=scope, summary=", ".join(refs)[:500])
