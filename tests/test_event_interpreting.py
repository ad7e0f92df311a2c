"""An event's programme item asks for an interpreter through the Sprachendienst's interface:
the request books an assignment, a moved item moves it, a cancelled event cancels it — and
the translators holding it are told each time."""

from __future__ import annotations

import sqlalchemy as sa

from protocol_app.core.notifications.models import Notification
from protocol_app.events.models import EventProgrammeItem
from protocol_app.extensions import db
from protocol_app.language_service import offers
from protocol_app.language_service.models import Assignment, TranslatorProfile
from tests.event_support import event_form
from tests.language_support import START, setup_translators, user_by_name
from tests.support import login, make_user, post

EVENT = "/events/E-2027-0001"


def _item(**overrides) -> dict:
    data = {"title": "Festakt mit Simultandolmetschen", "starts_at": "2027-02-16T10:00",
            "ends_at": "2027-02-16T13:00", "venue_id": "0", "location": "Großer Saal", "dress_code": "none",
            "press": "none", "interpreter_language": "en", "interpreter_mode": "simultaneous"}
    data.update(overrides)
    return data


def _officer(app):
    setup_translators(app)  # reference data, the officer Rainer Referent and five translators
    client = app.test_client()
    login(client, "referent@example.org")
    post(client, "/events/new", event_form(starts_at="2027-02-16T09:00", ends_at="2027-02-16T14:00"))
    return client


def _messages(name, fragment):
    return [m for m in db.session.scalars(sa.select(Notification.message).where(
        Notification.user_id == user_by_name(name).id)) if fragment in m]


def _staff(app, assignment_id):
    """Offer the booking to Anna and Bruno, both accept."""
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        officer = user_by_name("Rainer Referent")
        ids = [db.session.scalar(sa.select(TranslatorProfile.id).where(TranslatorProfile.user_id == user_by_name(n).id))
               for n in ("Anna Englisch", "Bruno Bilingual")]
        for offer in offers.make_offers(assignment, ids, actor=officer):
            offers.answer(offer, actor=offer.profile.user, accept=True)
        db.session.commit()
        return assignment.state


def test_the_need_is_checked_and_asked_for_once(app):
    client = _officer(app)
    new = f"{EVENT}/programme/new"
    page = post(client, new, _item(interpreter_language="xx")).get_data(as_text=True)
    assert "Sprache" in page
    page = post(client, new, _item(interpreter_mode="")).get_data(as_text=True)
    assert "simultan, konsekutiv oder Flüsterdolmetschen" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(EventProgrammeItem.id))) == 0  # nothing half-written
    assert post(client, new, _item()).status_code == 302
    with app.app_context():
        item_id = db.session.scalar(sa.select(EventProgrammeItem.id))
    asked = post(client, f"{EVENT}/programme/{item_id}/interpreting", {}, follow_redirects=True)
    assert "Sprachendienst" in asked.get_data(as_text=True)
    again = post(client, f"{EVENT}/programme/{item_id}/interpreting", {}, follow_redirects=True)
    assert "bereits angefragt" in again.get_data(as_text=True)
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
        assert (assignment.starts_at, assignment.language, assignment.mode, assignment.needed) == (
            START, "en", "simultaneous", 2)  # 10:00 Berlin; three hours simultaneous: a team of two
        assert assignment.title.startswith("E-2027-0001 · Festakt")
        assert db.session.get(EventProgrammeItem, item_id).assignment_id == assignment.id
    page = client.get(EVENT).get_data(as_text=True)
    assert assignment.reference in page and "Offen" in page


def test_a_moved_item_moves_its_booking_and_a_cancelled_event_cancels_it(app):
    client = _officer(app)
    new = f"{EVENT}/programme/new"
    post(client, new, _item())
    with app.app_context():
        item_id = db.session.scalar(sa.select(EventProgrammeItem.id))
    post(client, f"{EVENT}/programme/{item_id}/interpreting", {})
    with app.app_context():
        assignment_id = db.session.scalar(sa.select(Assignment.id))
    assert _staff(app, assignment_id) == "staffed"
    edit = f"{EVENT}/programme/{item_id}"
    with app.app_context():
        version = db.session.get(EventProgrammeItem, item_id).version
    refused = post(client, edit, _item(interpreter_language="fr", version=str(version)))
    assert "Sprache" in refused.get_data(as_text=True) and refused.status_code == 200
    moved = post(client, edit, _item(starts_at="2027-02-16T10:30", location="Wappensaal", version=str(version)))
    assert moved.status_code == 302
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment.starts_at.isoformat() == "2027-02-16T09:30:00+00:00" and assignment.location == "Wappensaal"
        assert assignment.language == "en"  # the refused change left the booking alone
        for name in ("Anna Englisch", "Bruno Bilingual"):
            assert len(_messages(name, "wurde geändert")) == 1
    with app.app_context():
        from protocol_app.events.models import Event

        event_version = db.session.scalar(sa.select(Event.version))
    post(client, f"{EVENT}/transition", {"action": "cancel", "comment": "Terminverschiebung",
                                         "version": str(event_version)})
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment.state == "cancelled" and "abgesagt" in assignment.cancel_reason
        for name in ("Anna Englisch", "Bruno Bilingual"):
            assert len(_messages(name, "wurde abgesagt")) == 1


def test_only_officers_who_book_interpreters_may_ask(app):
    client = _officer(app)
    new = f"{EVENT}/programme/new"
    post(client, new, _item())
    with app.app_context():
        item_id = db.session.scalar(sa.select(EventProgrammeItem.id))
    make_user(app, "leitung@example.org", roles=["manager"])
    manager = app.test_client()
    login(manager, "leitung@example.org")
    assert "Beim Sprachendienst anfragen" not in manager.get(EVENT).get_data(as_text=True)
    assert post(manager, f"{EVENT}/programme/{item_id}/interpreting", {}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0
