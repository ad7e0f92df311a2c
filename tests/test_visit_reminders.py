"""Visit reminders: 7 and 1 day before, overdue tasks with escalation, long requests.
Every rule runs twice: each reminder is created once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
import time_machine

from protocol_app.auth.models import User
from protocol_app.core.checklists import services as checklists
from protocol_app.core.notifications.models import Notification, OutboxMail
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.support import make_user, sweep_reminders_twice
from tests.visit_support import ARRIVAL, make_visit, reference_data


def _messages(app, user_id, containing=""):
    with app.app_context():
        return [n.message for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id))
            if containing in n.message]


def test_start_reminders_seven_days_and_one_day_before(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, uid)
    sweep_reminders_twice(app, ARRIVAL - timedelta(days=10))
    assert _messages(app, uid, "beginnt") == []
    sweep_reminders_twice(app, ARRIVAL - timedelta(days=6, hours=23))
    messages = _messages(app, uid, "beginnt")
    assert len(messages) == 1 and "beginnt am 10.03.2027" in messages[0] and "0 Aufgaben" in messages[0]
    sweep_reminders_twice(app, ARRIVAL - timedelta(hours=20))
    assert len(_messages(app, uid, "beginnt")) == 2
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail)).all()
        assert len(mails) == len(_messages(app, uid))
        assert all(m.subject == "Neue Benachrichtigung aus Protokoll" for m in mails)  # no names in subjects


def test_overdue_task_reminds_owner_then_escalates_after_two_days(app):
    reference_data(app)
    officer = make_user(app, "referent@example.org", roles=["officer"])
    helper = make_user(app, "helfer@example.org", roles=["officer"])
    make_visit(app, officer)
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id))
        checklists.add_task(scope="visit", subject_id=visit_id, title="Flaggen bestellen",
                            due_on=date(2027, 2, 28), owner_id=helper, actor=db.session.get(User, officer))
        db.session.commit()
    sweep_reminders_twice(app, datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
    assert len(_messages(app, helper, "Flaggen bestellen")) == 1
    assert not _messages(app, officer, "Eskalation")
    sweep_reminders_twice(app, datetime(2027, 3, 2, 8, 0, tzinfo=UTC))
    assert len(_messages(app, helper, "Flaggen bestellen")) == 1  # not again
    assert any("Eskalation" in m for m in _messages(app, officer))
    sweep_reminders_twice(app, datetime(2027, 3, 3, 8, 0, tzinfo=UTC))
    assert sum("Eskalation" in m for m in _messages(app, officer)) == 1


def test_request_waiting_more_than_a_week(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    with time_machine.travel(datetime(2027, 1, 4, tzinfo=UTC), tick=False):
        make_visit(app, uid)
    sweep_reminders_twice(app, datetime(2027, 1, 10, tzinfo=UTC))
    assert not _messages(app, uid, "wartet")
    sweep_reminders_twice(app, datetime(2027, 1, 12, tzinfo=UTC))
    assert sum("seit mehr als einer Woche" in m for m in _messages(app, uid)) == 1
