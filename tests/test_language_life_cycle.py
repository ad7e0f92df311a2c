"""The assignment's life cycle on the workflow engine: open → offered → (partly) staffed →
done, cancelled with a reason (the translators told), handed back by a translator (the officer
told), changed by the officer (the translators told)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core import workflow
from protocol_app.core.notifications.models import Notification
from protocol_app.core.time import BERLIN
from protocol_app.extensions import db
from protocol_app.language_service import delivery, offers, services
from protocol_app.language_service.models import Assignment, Offer, TranslatorProfile
from protocol_app.language_service.workflow import ASSIGNMENT_WORKFLOW
from tests.language_support import START, interpreting, setup_translators, user_by_name
from tests.support import login, post

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(app):
    setup_translators(app)
    return app


def _profile_id(name):
    return db.session.scalar(sa.select(TranslatorProfile.id).where(TranslatorProfile.user_id == user_by_name(name).id))


def _booked(office, needed=2) -> str:
    """An assignment for two, offered to Anna and Bruno, accepted by both; returns its reference."""
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting(), needed=needed,
                                                team_reason=None if needed == 2 else "Test")
        made = offers.make_offers(assignment, [_profile_id("Anna Englisch"), _profile_id("Bruno Bilingual")],
                                  actor=officer)
        for offer in made:
            offers.answer(offer, actor=offer.profile.user, accept=True)
        db.session.commit()
        return assignment.reference


def _messages(name, fragment):
    return [m for m in db.session.scalars(sa.select(Notification.message).where(
        Notification.user_id == user_by_name(name).id)) if fragment in m]


def test_the_states_follow_the_offers_and_every_step_is_in_the_history(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting())
        assert assignment.state == "open"
        anna, bruno = _profile_id("Anna Englisch"), _profile_id("Bruno Bilingual")
        first, second = offers.make_offers(assignment, [anna, bruno], actor=officer)
        assert assignment.state == "offered"
        offers.answer(first, actor=first.profile.user, accept=True)
        assert assignment.state == "partly_staffed"
        offers.answer(second, actor=second.profile.user, accept=True)
        assert assignment.state == "staffed"
        db.session.commit()
        assignment_id = assignment.id
    with time_machine.travel(START + timedelta(hours=4), tick=False), office.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        delivery.confirm(assignment, actor=user_by_name("Rainer Referent"), hours=Decimal("3"))
        assert assignment.state == "done"
        steps = [(h.action, h.to_state) for h in workflow.history(ASSIGNMENT_WORKFLOW, assignment_id)]
        assert steps == [("create", "open"), ("staffing_offered", "offered"),
                         ("staffing_partly_staffed", "partly_staffed"), ("staffing_staffed", "staffed"),
                         ("confirm", "done")]
        with pytest.raises(Exception, match="nicht mehr geändert"):
            services.update_assignment(assignment, actor=user_by_name("Rainer Referent"), values={"title": "x"})


def test_an_officer_cancels_a_booked_assignment_with_a_reason_and_both_interpreters_are_told(office):
    reference = _booked(office)
    with time_machine.travel(NOW, tick=False):
        officer = office.test_client()
        login(officer, "referent@example.org")
        page = f"/translations/{reference}"
        with office.app_context():
            version = db.session.scalar(sa.select(Assignment.version))
        no_reason = post(officer, f"{page}/cancel", {"reason": "", "version": version},
                         follow_redirects=True).get_data(as_text=True)
        assert "Bitte geben Sie den Grund für die Absage an." in no_reason
        with office.app_context():
            assert db.session.scalar(sa.select(Assignment.state)) == "staffed"
        done = post(officer, f"{page}/cancel", {"reason": "Besuch abgesagt", "version": version}, follow_redirects=True).get_data(as_text=True)
        assert "2 Sprachmittler/innen wurden benachrichtigt" in done and "Besuch abgesagt" in done
        with office.app_context():
            assert db.session.scalar(sa.select(Assignment.state)) == "cancelled"
            assert set(db.session.scalars(sa.select(Offer.state))) == {"withdrawn"}
            for name in ("Anna Englisch", "Bruno Bilingual"):
                assert _messages(name, f"{reference} wurde abgesagt: Besuch abgesagt")
        # A second cancel from a stale page is a conflict, not a second cancellation.
        again = post(officer, f"{page}/cancel", {"reason": "nochmal", "version": version})
        assert again.status_code == 409


def test_a_translator_hands_back_an_accepted_assignment_and_the_officer_is_told(office):
    reference = _booked(office)
    with time_machine.travel(NOW, tick=False):
        anna = office.test_client()
        login(anna, "anna@example.org")
        with office.app_context():
            offer_id = db.session.scalar(sa.select(Offer.id).where(
                Offer.profile_id == _profile_id("Anna Englisch")))
        page = f"/translations/offers/{offer_id}"
        html = anna.get(page).get_data(as_text=True)
        assert "Einsatz zurückgeben" in html
        assert html.split("<title>")[1].split("</title>")[0].strip().startswith(reference)
        assert "<" not in html.split("<title>")[1].split("</title>")[0]  # the form is on the page, not in the title
        refused = post(anna, f"{page}/hand-back", {"reason": " "}, follow_redirects=True)
        assert "Bitte geben Sie den Grund für die Rückgabe an." in refused.get_data(as_text=True)
        done = post(anna, f"{page}/hand-back", {"reason": "Erkrankt"}, follow_redirects=True)
        assert "Sie haben den Einsatz zurückgegeben" in done.get_data(as_text=True)
        with office.app_context():
            assert db.session.get(Offer, offer_id).state == "handed_back"
            assert db.session.scalar(sa.select(Assignment.state)) == "partly_staffed"
            assert _messages("Rainer Referent", f"Anna Englisch hat {reference} zurückgegeben: Erkrankt")
        bruno = office.test_client()
        login(bruno, "bruno@example.org")
        assert bruno.get(f"{page}").status_code == 404  # not his offer
        assert post(bruno, f"{page}/hand-back", {"reason": "x"}).status_code == 404


def test_an_officer_moves_an_assignment_and_the_booked_interpreters_are_told(office):
    reference = _booked(office)
    with time_machine.travel(NOW, tick=False):
        officer = office.test_client()
        login(officer, "referent@example.org")
        page = f"/translations/{reference}/edit"
        form = officer.get(page).get_data(as_text=True)
        assert "Zeit, Ort oder Hinweise ändern" in officer.get(f"/translations/{reference}").get_data(as_text=True)
        assert 'name="starts_at"' in form
        later = (START + timedelta(hours=2)).astimezone(BERLIN)
        saved = post(officer, page, {"title": "Mittagessen mit der Delegation", "starts_at": later.strftime(
            "%Y-%m-%dT%H:%M"), "ends_at": (later + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "deadline": "",
            "venue_id": "0", "location": "Roter Salon", "notes": "", "kind": "interpreting", "language": "en",
            "mode": "simultaneous"}, follow_redirects=True)
        assert "Der Einsatz wurde gespeichert." in saved.get_data(as_text=True)
        with office.app_context():
            assignment = db.session.scalar(sa.select(Assignment))
            assert assignment.starts_at == START + timedelta(hours=2) and assignment.location == "Roter Salon"
            for name in ("Anna Englisch", "Bruno Bilingual"):
                assert _messages(name, f"{reference} wurde geändert") and _messages(name, "Roter Salon")


def test_the_assignment_table_holds_exactly_the_staffing_moves_one_change_of_the_offers_makes():
    """Issue 36: the table let any staffing state move to any other. Every move one event can make
    (offers made, one accepted, declined, withdrawn or handed back) is in it, and nothing else."""
    from types import SimpleNamespace

    def state(needed, accepted, offered):
        offer_list = [SimpleNamespace(state="accepted")] * accepted + [SimpleNamespace(state="offered")] * offered
        return offers.staffing(SimpleNamespace(needed=needed), offer_list).value

    made = set()
    for needed in (1, 2, 3):
        for accepted in range(needed + 1):
            for offered in range(4):  # offers may stand beside a staffed assignment (made as reserves)
                events = [(accepted, offered + more) for more in (1, 2)]  # offers made
                if offered:
                    events += [(accepted + 1, offered - 1), (accepted, offered - 1)]  # accepted; declined/withdrawn
                if accepted:
                    events.append((accepted - 1, offered))  # withdrawn or handed back
                before = state(needed, accepted, offered)
                made |= {(before, state(needed, *after)) for after in events
                         if after[0] <= needed and state(needed, *after) != before}
    table = {(str(source), getattr(t.target, "value", t.target)) for t in ASSIGNMENT_WORKFLOW.transitions
             if t.action.startswith("staffing_") for source in t.sources}
    assert table == made
    assert ("open", "staffed") not in table and ("open", "partly_staffed") not in table
