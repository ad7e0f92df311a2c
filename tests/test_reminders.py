"""Reminders are created once per key, however often and concurrently rules run."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from protocol_app.core.reminders.models import Reminder
from protocol_app.core.reminders.services import create_once
from protocol_app.extensions import db


def test_create_once_is_idempotent(app):
    with app.app_context():
        assert create_once("k:1", rule="test") is True
        assert create_once("k:1", rule="test") is False
        assert create_once("k:2", rule="test") is True
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 2


@pytest.mark.postgres_only
def test_concurrent_sweeps_create_a_reminder_once(committing_app):
    app = committing_app
    results = []
    barrier = threading.Barrier(4)

    def sweep():
        with app.app_context():
            barrier.wait()
            results.append(create_once("same-key", rule="test"))
            db.session.commit()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False, False, False, True]


def test_a_failing_rule_does_not_keep_the_other_rules_from_running(app):
    from protocol_app.core.reminders import services as reminders

    ran = []

    def broken():
        raise RuntimeError("a bug in one rule")

    def healthy():
        ran.append("healthy")
        return 0

    saved = dict(reminders._RULES)
    reminders._RULES.clear()
    reminders._RULES.update({"broken": broken, "healthy": healthy})
    try:
        with app.app_context():
            counts = reminders.run_all_rules()
    finally:
        reminders._RULES.clear()
        reminders._RULES.update(saved)
    assert ran == ["healthy"] and counts == {"broken": -1, "healthy": 0}
