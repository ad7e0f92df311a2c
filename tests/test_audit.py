"""The audit log is append-only: neither the ORM nor SQL may change or delete rows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from protocol_app.core.audit import AuditEvent, record_event
from protocol_app.extensions import db


def _one_event(app) -> int:
    with app.app_context():
        event = record_event("test.thing", object_type="thing", object_id=1, summary="created")
        db.session.commit()
        return event.id


def test_orm_refuses_to_update_or_delete_audit_events(app):
    event_id = _one_event(app)
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        event.summary = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event_id))
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET summary = 'rewritten'",
    "DELETE FROM audit_events",
])
def test_database_refuses_to_change_history(app, statement):
    event_id = _one_event(app)
    with app.app_context():
        with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
            db.session.execute(sa.text(statement))
        assert db.session.get(AuditEvent, event_id).summary == "created"


def test_no_code_in_the_app_updates_or_deletes_audit_rows():
    from pathlib import Path

    offenders = []
    for path in Path("protocol_app").rglob("*.py"):
        text = path.read_text()
        if "AuditEvent" in text and any(
            pattern in text for pattern in ("update(AuditEvent", "delete(AuditEvent")
        ):
            offenders.append(str(path))
    assert offenders == []
