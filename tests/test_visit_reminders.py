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
    assert len(messages) == 1 and "beginnt am 10.03.2027" in messages[0] and "offene Aufgaben der Checkliste: 0" in messages[0]
    sweep_reminders_twice(app, ARRIVAL - timedelta(hours=20))
    assert len(_messages(app, uid, "beginnt")) == 2
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail)).all()
        assert len(mails) == len(_messages(app, uid))
        # The subject names the record and what is due — the reference, never the visit's title.
        assert all(m.subject.startswith("V-2027-0001: ") for m in mails)
        assert "V-2027-0001: Der Besuch beginnt am 10.03.2027" in {m.subject for m in mails}
        assert not any(_visit_title(app) in m.subject for m in mails)


def test_the_open_tasks_are_counted(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, uid)
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id))
        checklists.add_task(scope="visit", subject_id=visit_id, title="Flaggen bestellen", due_on=date(2027, 3, 9),
                            owner_id=uid, actor=db.session.get(User, uid))
        db.session.commit()
    sweep_reminders_twice(app, ARRIVAL - timedelta(days=6, hours=23))
    [message] = _messages(app, uid, "beginnt")
    assert message.endswith("offene Aufgaben der Checkliste: 1.")


def _visit_title(app):
    with app.app_context():
        return db.session.scalar(sa.select(Visit.title))


def test_several_overdue_tasks_of_one_visit_come_as_one_notification(app):
    reference_data(app)
    officer = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, officer)
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id))
        for title in ("Flaggen bestellen", "Gastgeschenk wählen", "Dolmetschung buchen"):
            checklists.add_task(scope="visit", subject_id=visit_id, title=title, due_on=date(2027, 2, 28),
                                owner_id=officer, actor=db.session.get(User, officer))
        db.session.commit()
    sweep_reminders_twice(app, datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
    (message,) = _messages(app, officer, "Überfällig")
    assert all(title in message for title in ("Flaggen bestellen", "Gastgeschenk wählen", "Dolmetschung buchen"))
    with app.app_context():
        subjects = [m.subject for m in db.session.scalars(sa.select(OutboxMail)) if "überfällig" in m.subject]
        assert subjects == ["V-2027-0001: 3 Checklistenaufgaben überfällig"]  # one mail, not three


def test_a_checklist_applied_late_does_not_remind_at_once(app):
    from protocol_app.core.checklists.models import ChecklistTemplate, ChecklistTemplateItem, Task

    reference_data(app)
    officer = make_user(app, "referent@example.org", roles=["officer"])
    with time_machine.travel(datetime(2027, 3, 9, 8, 0, tzinfo=UTC), tick=False):  # the visit is tomorrow
        make_visit(app, officer)
        with app.app_context():
            template = ChecklistTemplate(name="Staatsbesuch", scope="visit")
            template.items = [ChecklistTemplateItem(title="Hotel buchen", offset_days=-14, anchor="start",
                                                    owner_rule="responsible")]
            db.session.add(template)
            visit = db.session.scalar(sa.select(Visit))
            from protocol_app.core.record_parts import apply_checklist
            from protocol_app.visits.services import VISIT_PARTS

            apply_checklist(VISIT_PARTS, visit, template, actor=db.session.get(User, officer))
            db.session.commit()
            assert db.session.scalar(sa.select(Task.due_on)) == date(2027, 3, 9)  # today, not two weeks ago
    sweep_reminders_twice(app, datetime(2027, 3, 9, 9, 0, tzinfo=UTC))
    assert not _messages(app, officer, "Überfällig") and not _messages(app, officer, "Eskalation")


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


def _sweep_statements(app, when) -> tuple[int, int]:
    """SQL statements of one sweep at `when`, and of the next one (nothing left to create)."""
    from protocol_app.core.reminders import run_all_rules

    counts = []

    def count(*_args):
        counts[-1] += 1

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        with time_machine.travel(when, tick=False), app.app_context():
            for _ in range(2):
                counts.append(0)
                run_all_rules()
                db.session.commit()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    return counts[0], counts[1]


def test_a_sweeps_statements_depend_on_its_rules_not_on_the_number_of_due_items(app):
    reference_data(app)
    officers = [make_user(app, f"referent{n}@example.org", roles=["officer"], name=f"Referent {n}") for n in range(3)]
    first = [make_visit(app, officers[0], title=f"Besuch {n}") for n in range(2)]
    with app.app_context():
        actor = db.session.get(User, officers[0])
        ids = list(db.session.scalars(sa.select(Visit.id).order_by(Visit.id)))
        for n in range(4):
            checklists.add_task(scope="visit", subject_id=ids[n % 2], title=f"Aufgabe {n}", due_on=date(2027, 2, 20),
                                owner_id=officers[n % 3], actor=actor)
        db.session.commit()
    few = _sweep_statements(app, datetime(2027, 2, 25, 8, tzinfo=UTC))
    assert few[1] < few[0]
    with app.app_context():
        actor = db.session.get(User, officers[0])
        for n in range(10):
            make_visit(app, officers[n % 3], title=f"Weiterer Besuch {n}")
        ids = list(db.session.scalars(sa.select(Visit.id).order_by(Visit.id)))
        for n in range(60):
            checklists.add_task(scope="visit", subject_id=ids[2 + n % 10], title=f"Aufgabe {n}",
                                due_on=date(2027, 2, 21), owner_id=officers[n % 3], actor=actor)
        db.session.commit()
    many = _sweep_statements(app, datetime(2027, 2, 26, 8, tzinfo=UTC))
    # 60 more overdue tasks in 10 more visits: a sweep with nothing to create costs what it
    # cost before, and finding and recording them takes the same statements. PostgreSQL also
    # writes the notifications and their mails (one per person and visit) in batches; SQLite
    # cannot return ids of a batch in order, so there each of those rows is its own INSERT.
    assert many[1] == few[1]
    with app.app_context():
        dialect = db.session.get_bind().dialect.name
        notes = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
        mails = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))
    assert notes == mails > 10
    if dialect == "postgresql":
        assert many[0] <= few[0] + 4, (few, many)
    else:
        assert many[0] - few[0] <= 2 * notes, (few, many)
    assert len(first) == 2
