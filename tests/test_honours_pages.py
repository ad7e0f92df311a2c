"""The honours pages: confidential cases with logged reads, German messages for bad input,
the decision panel with its rule check and four-eyes rule, the manager's desk, award types."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.extensions import db
from protocol_app.honours import services
from protocol_app.honours.models import AwardType, Nomination
from tests.honours_support import award, case_values, setup_people, user
from tests.support import login, make_user, post

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(app):
    setup_people(app)
    return app


def _client(app, email):
    client = app.test_client()
    login(client, email)
    return client


def _case(app, **overrides) -> str:
    with app.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values(**overrides))
        services.add_merit(case, actor=user("autorin@example.org"), description="Ehrenamt",
                           date_from=date(2024, 1, 1))
        db.session.commit()
        return case.reference


@pytest.mark.parametrize("role", ["viewer", "translator", "emigration", "admin"])
def test_cases_are_closed_to_everyone_but_officers_and_managers(people, role):
    reference = _case(people)
    make_user(people, f"{role}@example.org", roles=[role])
    client = _client(people, f"{role}@example.org")
    assert client.get("/honours/").status_code == 403
    assert client.get(f"/honours/{reference}").status_code == 403
    assert "Ehrungen" not in client.get("/").get_data(as_text=True)


def test_every_read_of_a_case_is_logged_with_who_read_it(people):
    reference = _case(people)
    client = _client(people, "referatsleitung@example.org")
    for _ in range(2):
        assert client.get(f"/honours/{reference}").status_code == 200
    with people.app_context():
        readers = db.session.execute(sa.text(
            "SELECT u.email FROM audit_events a JOIN users u ON u.id = a.actor_id "
            "WHERE a.action = 'nomination.read'")).scalars().all()
    assert readers == ["referatsleitung@example.org"] * 2


def test_a_suggestion_with_impossible_dates_is_refused_in_german_and_not_stored(people):
    client = _client(people, "autorin@example.org")
    with people.app_context():
        order_id = award().id
    form = {"award_type_id": str(order_id), "nominee_name": "Zukunft", "birth_date": "2090-01-01",
            "nationality": "DE", "gender": "f", "suggested_by": "Senatorin", "suggester_kind": "person"}
    future = post(client, "/honours/new", form).get_data(as_text=True)
    assert "Das Geburtsdatum liegt in der Zukunft." in future
    death = post(client, "/honours/new", {**form, "birth_date": "1950-01-01", "died_on": "1940-01-01"}).get_data(as_text=True)
    assert "Das Sterbedatum liegt vor dem Geburtsdatum." in death
    with people.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Nomination.id))) == 0
    created = post(client, "/honours/new", {**form, "birth_date": "1950-01-01", "nominee_name": "Dr. Helga Beispiel"}, follow_redirects=True).get_data(as_text=True)
    assert "wurde erfasst" in created and "Regelprüfung" in created


def _decide(client, reference, action, **data):
    """POST a decision as the panel would, with the version the user has in front of them."""
    page = f"/honours/{reference}"
    client.get(page)
    with client.application.app_context():
        version = db.session.scalar(sa.select(Nomination.version))
    return post(client, f"{page}/decide", {"action": action, "version": str(version), **data},
                follow_redirects=True).get_data(as_text=True)


def test_the_decision_panel_walks_the_chain_with_the_four_eyes_rule(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        author, reviewer = _client(people, "autorin@example.org"), _client(people, "pruefer@example.org")
        head_of_unit = _client(people, "referatsleitung@example.org")
        head_of_department = _client(people, "abteilungsleitung@example.org")
        assert "Eingereicht" in _decide(author, reference, "submit")
        _decide(reviewer, reference, "start_review")
        assert "In der Mitzeichnung: Referatsleitung" in _decide(reviewer, reference, "forward")
        page = head_of_unit.get(f"/honours/{reference}").get_data(as_text=True)
        assert 'data-rule="cap" data-passed="yes"' in page and "Diesen Schritt befürworten" in page
        assert "Diesen Schritt befürworten" not in reviewer.get(f"/honours/{reference}").get_data(as_text=True)
        returned = _decide(head_of_unit, reference, "return", comment="")
        assert "Bitte begründen Sie diesen Schritt." in returned
        _decide(head_of_unit, reference, "approve", comment="Einverstanden")
        page = head_of_unit.get(f"/honours/{reference}").get_data(as_text=True)
        assert "Vier-Augen-Prinzip: Sie haben bereits einen anderen Schritt" in page
        refused = _decide(head_of_unit, reference, "approve")  # forged: the button is not even shown
        assert "Vier-Augen-Prinzip" in refused
        assert "Dem Senat vorgeschlagen" in _decide(head_of_department, reference, "approve")
        missing = _decide(reviewer, reference, "record_approval")
        assert "Bitte Datum und Aktenzeichen des Senatsbeschlusses eingeben." in missing
        done = _decide(reviewer, reference, "record_approval", decision_date="2026-03-01",
                       decision_reference="S-77/2026")
        assert "Bewilligt" in done and "Senatsbeschluss vom 1. März 2026, S-77/2026" in done
        assert "Referatsleitung" in done and "Einverstanden" in done  # the path of the case


def test_a_decision_on_a_case_that_moved_meanwhile_is_refused(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        author = _client(people, "autorin@example.org")
        page = f"/honours/{reference}"
        stale = post(author, f"{page}/decide", {"action": "submit", "version": "0"},
                     follow_redirects=True).get_data(as_text=True)
        assert "Dieser Datensatz wurde inzwischen geändert." in stale
        with people.app_context():
            assert db.session.scalar(sa.select(Nomination.state)) == "draft"


def test_the_managers_desk_lists_only_what_they_may_decide(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        with people.app_context():
            case = db.session.scalar(sa.select(Nomination))
            services.submit(case, actor=user("autorin@example.org"))
            services.start_review(case, actor=user("pruefer@example.org"))
            services.forward(case, actor=user("pruefer@example.org"))
            db.session.commit()
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=UTC), tick=False):
        desk = _client(people, "referatsleitung@example.org").get("/honours/desk").get_data(as_text=True)
        assert reference in desk and "<td class=\"text-end\">18</td>" in desk
    assert _client(people, "autorin@example.org").get("/honours/desk").status_code == 403


def test_admins_maintain_award_types_with_checked_dates(people):
    make_user(people, "admin@example.org", roles=["admin"])
    admin = _client(people, "admin@example.org")
    page = "/honours/award-types/new"
    refused = post(admin, page, {"name": "Ehrengrab", "award_month": "5", "once_only": "y", "is_active": "y"}).get_data(as_text=True)
    assert "Bitte Monat und Tag des Verleihungstags angeben oder beides leer lassen." in refused
    post(admin, page, {"name": "Ehrengrab", "cap_living": "", "once_only": "y", "is_active": "y"})
    with people.app_context():
        made = db.session.scalar(sa.select(AwardType).where(AwardType.name == "Ehrengrab"))
        assert made is not None and made.cap_living is None
    assert _client(people, "autorin@example.org").get(page).status_code == 403


def test_admins_maintain_the_approval_chain_but_not_under_a_waiting_case(people):
    make_user(people, "admin@example.org", roles=["admin"])
    admin = _client(people, "admin@example.org")
    with people.app_context():
        plaque_id = award("Ernst-Reuter-Plakette").id
    page = f"/honours/award-types/{plaque_id}/steps"
    assert "Mitzeichnungsweg bearbeiten" in admin.get(f"/honours/award-types/{plaque_id}").get_data(as_text=True)
    post(admin, page, {"name": "Chef der Senatskanzlei", "role": "manager"})
    steps = admin.get(page).get_data(as_text=True).split('data-testid="steps"')[1]
    assert steps.index("Referatsleitung") < steps.index("Abteilungsleitung") < steps.index("Chef der Senatskanzlei")
    with time_machine.travel(NOW, tick=False), people.app_context():
        case = services.create_case(actor=user("autorin@example.org"),
                                    values=case_values(award_type_id=plaque_id))
        services.add_merit(case, actor=user("autorin@example.org"), description="Ehrenamt", date_from=date(2024, 1, 1))
        services.submit(case, actor=user("autorin@example.org"))
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        services.approve_step(case, actor=user("referatsleitung@example.org"))
        services.approve_step(case, actor=user("abteilungsleitung@example.org"))
        assert (case.state, case.step_position) == ("in_approval", 3)  # the new third step
        db.session.commit()
    refused = post(admin, page, {"action": "remove_last"}, follow_redirects=True).get_data(as_text=True)
    assert "1 Vorgang wartet in diesem Schritt" in refused
    assert _client(people, "autorin@example.org").get(page).status_code == 403


def test_a_death_during_the_procedure_shows_in_the_rule_check(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        author = _client(people, "autorin@example.org")
        page = f"/honours/{reference}"
        wrong = post(author, f"{page}/death", {"died_on": "1940-01-01"},
                     follow_redirects=True).get_data(as_text=True)
        assert "Bitte ein Sterbedatum zwischen Geburt und heute eingeben." in wrong
        done = post(author, f"{page}/death", {"died_on": "2026-02-20"},
                    follow_redirects=True).get_data(as_text=True)
        assert 'data-rule="alive" data-passed="no"' in done and "20.02.2026" in done


def _blocked(client, reference) -> str:
    """The steps the panel shows disabled, with their reasons."""
    page = client.get(f"/honours/{reference}").get_data(as_text=True)
    return page.split('data-testid="blocked-steps"')[1].split("</ul>")[0] if 'data-testid="blocked-steps"' in page else ""


def _state(app):
    with app.app_context():
        case = db.session.scalar(sa.select(Nomination))
        return case.state, case.step_position


def test_the_author_does_not_review_and_each_post_decides_its_own_step(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        author, reviewer = _client(people, "autorin@example.org"), _client(people, "pruefer@example.org")
        head_of_unit = _client(people, "referatsleitung@example.org")
        head_of_department = _client(people, "abteilungsleitung@example.org")
        _decide(author, reference, "submit")
        blocked = _blocked(author, reference)
        assert "Prüfung beginnen" in blocked and "disabled" in blocked and "Vier-Augen-Prinzip" in blocked
        assert "Vier-Augen-Prinzip" in _decide(author, reference, "start_review")  # forged
        assert _state(people) == ("submitted", None)
        _decide(reviewer, reference, "start_review")
        assert "Vier-Augen-Prinzip" in _decide(author, reference, "forward")
        _decide(reviewer, reference, "forward")
        assert "Diesen Schritt entscheidet die Referatsleitung." in _blocked(head_of_department, reference)
        assert "Diesen Schritt entscheidet die Referatsleitung." in _decide(head_of_department, reference, "approve")
        assert _state(people) == ("in_approval", 1)
        _decide(head_of_unit, reference, "approve")
        assert "Diesen Schritt entscheidet die Abteilungsleitung." in _decide(head_of_unit, reference, "approve")
        assert _state(people) == ("in_approval", 2)


def test_approval_is_shown_disabled_with_the_failing_rule_named(people):
    with time_machine.travel(NOW, tick=False):
        reference = _case(people)
        author, reviewer = _client(people, "autorin@example.org"), _client(people, "pruefer@example.org")
        head_of_unit = _client(people, "referatsleitung@example.org")
        _decide(author, reference, "submit")
        _decide(reviewer, reference, "start_review")
        _decide(reviewer, reference, "forward")
        post(author, f"/honours/{reference}/death", {"died_on": "2026-02-20"})
        blocked = _blocked(head_of_unit, reference)
        assert "Diesen Schritt befürworten" in blocked and "disabled" in blocked
        assert "nicht postum verliehen" in blocked  # the failing rule, named
        assert "nicht postum verliehen" in _decide(head_of_unit, reference, "approve")
        assert _state(people) == ("in_approval", 1)
