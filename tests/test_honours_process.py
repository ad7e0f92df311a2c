"""Nominations through their approval chain: four-eyes rule, returns with a reason,
the rules of the award, the cap of living holders (also under concurrency), holders."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core.errors import DomainError, NotAllowed, ValidationFailed
from protocol_app.core.workflow import history
from protocol_app.extensions import db
from protocol_app.honours import rules, services
from protocol_app.honours.models import Holder, Nomination
from protocol_app.honours.workflow import NOMINATION_WORKFLOW
from tests.honours_support import PLAQUE, award, case_values, proposed_case, setup_people, user

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(app):
    setup_people(app)
    return app


def test_the_whole_chain_from_suggestion_to_the_register(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        case = proposed_case()
        assert (case.state, case.award_date) == ("proposed", date(2026, 10, 1))
        assert [d.step_name for d in case.decisions] == ["Referatsleitung", "Abteilungsleitung"]
        services.record_decision(case, actor=user("pruefer@example.org"), approved=True,
                                 decision_date=date(2026, 3, 1), decision_reference="S-123/2026")
        services.schedule_ceremony(case, actor=user("autorin@example.org"))
        db.session.commit()
    with time_machine.travel(datetime(2026, 10, 2, 9, 0, tzinfo=UTC), tick=False), people.app_context():
        case = db.session.scalar(sa.select(Nomination))
        holder = services.mark_awarded(case, actor=user("autorin@example.org"))
        assert (holder.number, holder.awarded_on, holder.name) == (1, date(2026, 10, 1), "Dr. Helga Beispiel")
        steps = [h.action for h in history(NOMINATION_WORKFLOW, case.id)]
        assert steps == ["create", "submit", "start_review", "forward", "approve", "approve",
                         "record_approval", "schedule_ceremony", "mark_awarded"]


def test_four_eyes_nobody_decides_what_they_created_reviewed_or_decided_before(people):
    from tests.support import make_user

    make_user(people, "beides@example.org", roles=["officer", "manager"], position="head_of_unit")
    with time_machine.travel(NOW, tick=False), people.app_context():
        author = user("beides@example.org")
        case = services.create_case(actor=author, values=case_values())
        services.add_merit(case, actor=author, description="Ehrenamt", date_from=date(2024, 1, 1))
        services.submit(case, actor=author)
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        with pytest.raises(NotAllowed, match="Vier-Augen-Prinzip: Sie haben diesen Vorgang angelegt"):
            services.approve_step(case, actor=author)  # created it
        with pytest.raises(NotAllowed):
            services.approve_step(case, actor=user("pruefer@example.org"))  # an officer, and the reviewer
        services.approve_step(case, actor=user("referatsleitung@example.org"))
        with pytest.raises(NotAllowed, match="entscheidet die Abteilungsleitung"):
            services.approve_step(case, actor=user("referatsleitung@example.org"))  # not her post
        case.current_step.required_position = None  # a step any manager may decide: still not twice
        with pytest.raises(NotAllowed, match="bereits einen anderen Schritt"):
            services.approve_step(case, actor=user("referatsleitung@example.org"))  # the same manager twice
        assert (case.state, case.step_position) == ("in_approval", 2)
        actions = {t.action for t in NOMINATION_WORKFLOW.available(case, author)}
        assert not actions & {"approve", "return"}


def test_any_step_returns_the_case_one_step_with_a_reason(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.add_merit(case, actor=user("autorin@example.org"), description="Ehrenamt", date_from=date(2024, 1, 1))
        services.submit(case, actor=user("autorin@example.org"))
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        services.approve_step(case, actor=user("referatsleitung@example.org"))
        with pytest.raises(DomainError, match="begründen"):
            services.return_step(case, actor=user("abteilungsleitung@example.org"), comment=" ")
        services.return_step(case, actor=user("abteilungsleitung@example.org"), comment="Würdigung kürzen")
        assert (case.state, case.step_position) == ("in_approval", 1)
        services.return_step(case, actor=user("referatsleitung@example.org"), comment="Bitte Stellungnahme")
        assert (case.state, case.step_position) == ("in_review", None)
        services.return_to_draft(case, actor=user("pruefer@example.org"), comment="Geburtsort fehlt")
        assert case.state == "draft"
        services.update_case(case, actor=user("autorin@example.org"), values=case_values(birth_place="Berlin-Mitte"))
        returned = [(d.step_name, d.outcome, d.comment) for d in case.decisions if d.outcome == "returned"]
        assert returned == [("Abteilungsleitung", "returned", "Würdigung kürzen"),
                            ("Referatsleitung", "returned", "Bitte Stellungnahme")]


def test_bad_nominee_dates_are_refused(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        with pytest.raises(ValidationFailed, match="Das Geburtsdatum liegt in der Zukunft"):
            services.create_case(actor=user("autorin@example.org"), values=case_values(birth_date=date(2027, 1, 1)))
        with pytest.raises(ValidationFailed, match="Das Sterbedatum liegt vor dem Geburtsdatum"):
            services.create_case(actor=user("autorin@example.org"),
                                 values=case_values(died_on=date(1949, 1, 1)))
        assert db.session.scalar(sa.select(sa.func.count(Nomination.id))) == 0


def _rule(case, key):
    return next(r for r in rules.check_rules(case, date(2026, 3, 2)) if r.key == key)


def test_each_rule_is_a_pass_or_fail_line_with_its_reason(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        author = user("autorin@example.org")
        case = services.create_case(actor=author, values=case_values())
        assert _rule(case, "recency").passed is False  # no merits yet
        services.add_merit(case, actor=author, description="Stiftung", date_from=date(2015, 1, 1),
                           date_to=date(2019, 12, 31))
        assert _rule(case, "recency").passed is False  # older than five years
        services.add_merit(case, actor=author, description="Ausstellung", date_from=date(2024, 5, 1))
        assert _rule(case, "recency").passed is True
        statement = services.request_statement(case, actor=author, from_whom="Bezirksamt Mitte",
                                               requested_on=date(2026, 2, 1))
        assert _rule(case, "statements").passed is False and "Bezirksamt Mitte" in str(_rule(case, "statements").message)
        services.receive_statement(statement, actor=author, received_on=date(2026, 2, 20))
        assert _rule(case, "statements").passed is True
        assert _rule(case, "alive").passed is True and _rule(case, "deadline").passed is True
        services.record_death(case, date(2026, 2, 28), actor=author)
        assert _rule(case, "alive").passed is False
        assert _rule(case, "min_age").passed is None  # not switched on for the Verdienstorden
        services.add_holder(award(), actor=author, name="Dr. Helga Beispiel", birth_date=date(1950, 5, 17),
                            awarded_on=date(2010, 10, 1))
        assert _rule(case, "not_held").passed is False
        elder = award("Stadtälteste/r von Berlin")
        young = services.create_case(actor=author, values=case_values(award_type_id=elder.id,
                                                                      birth_date=date(1970, 1, 1)))
        assert _rule(young, "min_age").passed is False and "65" in str(_rule(young, "min_age").message)


def test_the_nomination_deadline_of_the_cycle(people):
    # The Verdienstorden closes 120 days before 1 October: on 3 June.
    with time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=UTC), tick=False), people.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.submit(case, actor=user("autorin@example.org"))
        deadline = _rule(case, "deadline")
        assert deadline.passed is False and "03.06.2026" in str(deadline.message)
        plaque = services.create_case(actor=user("autorin@example.org"),
                                      values=case_values(award_type_id=award(PLAQUE).id))
        assert _rule(plaque, "deadline").passed is None and _rule(plaque, "cap").passed is None


def test_approval_beyond_the_cap_is_refused_with_the_count(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        order = award()
        order.cap_living = 3
        author = user("autorin@example.org")
        for i in range(3):
            services.add_holder(order, actor=author, name=f"Träger {i}", awarded_on=date(2015, 10, 1))
        with pytest.raises(DomainError, match="Obergrenze erreicht: 3 lebende"):
            proposed_case()  # the rule check refuses the approval of the first step already
        # A holder dies: there is room again, the approval goes through and then fills the cap.
        holder = db.session.scalar(sa.select(Holder).where(Holder.name == "Träger 0"))
        services.record_holder_death(holder, date(2026, 1, 5), actor=author)
        case = proposed_case(nominee_name="Karl Zweiter")
        services.record_decision(case, actor=author, approved=True, decision_date=date(2026, 3, 1),
                                 decision_reference="S-1/2026")
        assert rules.cap_status(order, date(2026, 10, 1)).room == 0


def test_revoked_holders_no_longer_count(people):
    with time_machine.travel(NOW, tick=False), people.app_context():
        author = user("autorin@example.org")
        holder = services.add_holder(award(), actor=author, name="Widerrufen", awarded_on=date(2001, 10, 1))
        assert rules.cap_status(award(), None).living == 1
        with pytest.raises(ValidationFailed):
            services.revoke(holder, actor=author, revoked_on=date(2020, 1, 1), reason=" ")
        services.revoke(holder, actor=author, revoked_on=date(2020, 1, 1), reason="Verurteilung")
        assert rules.cap_status(award(), None).living == 0


@pytest.mark.postgres_only
def test_two_concurrent_approvals_cannot_both_take_the_last_place(committing_app):
    """Cap 1, two cases proposed, two managers record the Senate's approval at the same moment."""
    app = committing_app
    setup_people(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        award().cap_living = 1
        ids = [proposed_case(nominee_name=name).id for name in ("Erste Kandidatin", "Zweiter Kandidat")]
        db.session.commit()
    both_loaded = threading.Barrier(2)
    results = {}

    def decide(case_id, email):
        with app.app_context():
            case = db.session.get(Nomination, case_id)
            actor = user(email)
            both_loaded.wait()
            try:
                services.record_decision(case, actor=actor, approved=True, decision_date=date(2026, 3, 1),
                                         decision_reference=f"S-{case_id}/2026")
                db.session.commit()
                results[case_id] = "approved"
            except DomainError as exc:
                db.session.rollback()
                results[case_id] = str(exc.message)

    threads = [threading.Thread(target=decide, args=(case_id, email))
               for case_id, email in zip(ids, ("referatsleitung@example.org", "abteilungsleitung@example.org"),
                                         strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    outcomes = list(results.values())
    assert outcomes.count("approved") == 1, outcomes
    assert any(o.startswith("Obergrenze erreicht: 0 lebende") and "2 von höchstens 1" in o for o in outcomes)
    with app.app_context():
        states = sorted(db.session.scalars(sa.select(Nomination.state)))
        assert states == ["approved", "proposed"]
