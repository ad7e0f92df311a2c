"""Beat rules of honours: waiting steps, overdue statements, the cycle's deadline, and the
erasure of disclosures — each once per period, and never with the nominee's name."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine

from protocol_app.core.notifications.models import Notification, OutboxMail
from protocol_app.extensions import db
from protocol_app.honours import services
from protocol_app.honours.models import DisclosureNote, Nomination
from tests.honours_support import case_values, setup_people, user
from tests.support import sweep_reminders_twice


def _messages(app, email, containing=""):
    with app.app_context():
        uid = user(email).id
        return [n.message for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == uid).order_by(Notification.id))
            if containing in n.message]


def _forwarded_case(app, when) -> int:
    with time_machine.travel(when, tick=False), app.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.add_merit(case, actor=user("autorin@example.org"), description="Ehrenamt", date_from=date(2024, 1, 1))
        services.submit(case, actor=user("autorin@example.org"))
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        db.session.commit()
        return case.id


def test_a_waiting_step_reminds_its_deciders_after_14_days_then_weekly(app):
    setup_people(app)
    _forwarded_case(app, datetime(2026, 2, 2, 9, 0, tzinfo=UTC))
    sweep_reminders_twice(app, datetime(2026, 2, 15, 9, 0, tzinfo=UTC))  # 13 days: nothing yet
    assert _messages(app, "referatsleitung@example.org", "wartet") == []
    sweep_reminders_twice(app, datetime(2026, 2, 17, 9, 0, tzinfo=UTC))  # 15 days
    sweep_reminders_twice(app, datetime(2026, 2, 20, 9, 0, tzinfo=UTC))  # same week: no repeat
    sweep_reminders_twice(app, datetime(2026, 2, 24, 9, 0, tzinfo=UTC))  # 22 days: again
    messages = _messages(app, "referatsleitung@example.org", "wartet")
    assert len(messages) == 2 and "N-2026-0001" in messages[0] and "Referatsleitung" in messages[0]
    # Both managers may decide step 1; the officers who wrote and reviewed the case are not deciders.
    assert len(_messages(app, "abteilungsleitung@example.org", "wartet")) == 2
    assert _messages(app, "pruefer@example.org", "wartet") == []
    with app.app_context():
        bodies = [m.body_text + m.subject for m in db.session.scalars(sa.select(OutboxMail))]
    assert bodies and not any("Helga" in body for body in bodies)


def test_an_overdue_statement_reminds_the_officer_once(app):
    setup_people(app)
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.request_statement(case, actor=user("autorin@example.org"), from_whom="Bezirksamt Pankow",
                                   requested_on=date(2026, 2, 2))
        db.session.commit()
    sweep_reminders_twice(app, datetime(2026, 2, 22, 9, 0, tzinfo=UTC))
    assert _messages(app, "autorin@example.org", "Bezirksamt Pankow") == []
    sweep_reminders_twice(app, datetime(2026, 2, 23, 9, 0, tzinfo=UTC))
    sweep_reminders_twice(app, datetime(2026, 2, 25, 9, 0, tzinfo=UTC))
    assert len(_messages(app, "autorin@example.org", "Bezirksamt Pankow")) == 1


def test_the_cycle_deadline_is_announced_30_and_7_days_before(app):
    setup_people(app)
    with time_machine.travel(datetime(2026, 4, 1, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        services.create_case(actor=user("autorin@example.org"), values=case_values())
        db.session.commit()
    # The Verdienstorden 2026 closes on 3 June.
    sweep_reminders_twice(app, datetime(2026, 5, 3, 9, 0, tzinfo=UTC))  # 31 days before
    assert _messages(app, "pruefer@example.org", "Vorschlagsfrist") == []
    sweep_reminders_twice(app, datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    sweep_reminders_twice(app, datetime(2026, 5, 20, 9, 0, tzinfo=UTC))
    sweep_reminders_twice(app, datetime(2026, 5, 27, 9, 0, tzinfo=UTC))
    messages = _messages(app, "pruefer@example.org", "Verdienstorden")
    assert len(messages) == 2 and "03.06.2026" in messages[0] and "N-2026-0001" in messages[0]
    assert _messages(app, "referatsleitung@example.org", "Vorschlagsfrist") == []  # officers only


def test_disclosures_are_erased_on_their_date_with_an_audit_entry(app):
    setup_people(app)
    with time_machine.travel(datetime(2026, 2, 2, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.add_disclosure(case, actor=user("autorin@example.org"), text="Führungszeugnis ohne Eintrag",
                                delete_on=date(2026, 3, 1))
        db.session.commit()
    sweep_reminders_twice(app, datetime(2026, 2, 28, 9, 0, tzinfo=UTC))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DisclosureNote.id))) == 1
    sweep_reminders_twice(app, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DisclosureNote.id))) == 0
        erased = db.session.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'nomination.disclosure_erased'")).scalar()
        assert erased == 1 and db.session.scalar(sa.select(Nomination.state)) == "draft"
