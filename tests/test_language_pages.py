"""Sprachendienst pages: booking from a visit's programme item, offering from the ranked
candidates, translators answering from their own inbox (and seeing nothing else), profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.extensions import db
from protocol_app.language_service.models import Assignment, Offer, TranslatorProfile
from protocol_app.visits import services as visit_services
from protocol_app.visits.models import Visit
from tests.language_support import START, setup_translators, user_by_name
from tests.support import PDF, login, post
from tests.visit_support import make_visit

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(app):
    setup_translators(app)
    return app


def _client(app, email):
    client = app.test_client()
    login(client, email)
    return client


def _visit_with_interpreter_need(app) -> tuple[str, int]:
    with app.app_context():
        officer_id = user_by_name("Rainer Referent").id
    reference = make_visit(app, officer_id, arrival_at=START - timedelta(hours=2),
                           departure_at=START + timedelta(days=1))
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        item = visit_services.save_programme_item(visit, None, actor=user_by_name("Rainer Referent"), values={
            "title": "Mittagessen mit Tischrede", "starts_at": START, "ends_at": START + timedelta(hours=2),
            "dress_code": "none", "press": "none", "interpreter_needed": True, "interpreter_language": "en",
            "interpreter_mode": "consecutive", "location": "Rotes Rathaus"})
        db.session.commit()
        return reference, item.id


def _booked_for_anna(app) -> int:
    """A visit's item booked from the visit page, offered to Anna, accepted; returns the item id."""
    from protocol_app.language_service import offers

    reference, item_id = _visit_with_interpreter_need(app)
    post(_client(app, "referent@example.org"), f"/visits/{reference}/programme/{item_id}/interpreting", {})
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        anna = user_by_name("Anna Englisch")
        profile = db.session.scalar(sa.select(TranslatorProfile).where(TranslatorProfile.user_id == anna.id))
        (offer,) = offers.make_offers(assignment, [profile.id], actor=user_by_name("Rainer Referent"))
        offers.answer(offer, actor=anna, accept=True)
        db.session.commit()
    return item_id


def test_booking_from_the_visit_offering_and_answering_until_the_visit_shows_the_interpreter(office):
    with time_machine.travel(NOW, tick=False):
        reference, item_id = _visit_with_interpreter_need(office)
        officer = _client(office, "referent@example.org")
        visit_page = f"/visits/{reference}"
        assert "Dolmetschung buchen" in officer.get(visit_page).get_data(as_text=True)
        booked = post(officer, f"/visits/{reference}/programme/{item_id}/interpreting", {},
                      follow_redirects=True).get_data(as_text=True)
        assert "Mittagessen mit Tischrede" in booked and "Konsekutiv" in booked
        with office.app_context():
            assignment = db.session.scalar(sa.select(Assignment))
            assert (assignment.language, assignment.mode, assignment.needed, assignment.location) == \
                ("en", "consecutive", 1, "Rotes Rathaus")
            profiles = {p.name: p.id for p in db.session.scalars(sa.select(TranslatorProfile))}
        page = f"/translations/{assignment.reference}"
        candidates = officer.get(page).get_data(as_text=True).split('data-testid="candidates"')[1]
        assert candidates.index("Bruno Bilingual") < candidates.index("Anna Englisch")
        post(officer, page, {"profile_id": [str(profiles["Bruno Bilingual"]), str(profiles["Anna Englisch"])]})
        assert "nicht besetzt" in officer.get(visit_page).get_data(as_text=True)
        with office.app_context():
            offer_ids = {o.profile.name: o.id for o in db.session.scalars(sa.select(Offer))}

        bruno = _client(office, "bruno@example.org")
        inbox = bruno.get("/translations/offers").get_data(as_text=True)
        assert assignment.reference in inbox
        own = f"/translations/offers/{offer_ids['Bruno Bilingual']}"
        assert "Rotes Rathaus" in bruno.get(own).get_data(as_text=True)
        assert bruno.get(f"/translations/offers/{offer_ids['Anna Englisch']}").status_code == 404
        forged = post(bruno, f"/translations/offers/{offer_ids['Anna Englisch']}", {"answer": "decline"})
        assert forged.status_code == 404
        post(bruno, own, {"answer": "decline", "reason": "Bin verreist"})
        anna = _client(office, "anna@example.org")
        anna_offer = f"/translations/offers/{offer_ids['Anna Englisch']}"
        post(anna, anna_offer, {"answer": "accept"})
        assert "Zugesagt" in anna.get(anna_offer).get_data(as_text=True)

        visit = officer.get(visit_page).get_data(as_text=True)
        assert "gebucht: Anna Englisch" in visit
        board = officer.get("/translations/").get_data(as_text=True)
        assert 'data-staffing="staffed"' in board
        offers_table = officer.get(page).get_data(as_text=True).split('data-testid="offers"')[1]
        assert "Bin verreist" in offers_table


def test_translators_see_only_their_own_things(office):
    anna = _client(office, "anna@example.org")
    for path in ("/translations/", "/translations/new", "/translations/translators", "/translations/S-2027-0001"):
        assert anna.get(path).status_code == 403, path
    assert anna.get("/translations/offers").status_code == 200
    assert anna.get("/translations/profile").status_code == 200
    officer = _client(office, "referent@example.org")
    assert officer.get("/translations/offers").status_code == 403


def test_translators_keep_their_profile_with_checked_input(office):
    from tests.support import make_user

    make_user(office, "neu@example.org", roles=["translator"], name="Nina Neu")
    nina = _client(office, "neu@example.org")
    assert "Mein Profil anlegen" in nina.get("/translations/profile").get_data(as_text=True)
    post(nina, "/translations/profile", {})
    bad = post(nina, "/translations/profile", {"part": "language", "language": "xx", "level": "B"}, follow_redirects=True).get_data(as_text=True)
    assert "Bitte wählen Sie die Sprache aus der Liste." in bad
    backwards = post(nina, "/translations/profile", {"part": "window", "weekday": "2", "starts": "12:00",
                                                     "ends": "09:00"}, follow_redirects=True).get_data(as_text=True)
    assert "Das Zeitfenster muss nach seinem Beginn enden." in backwards
    post(nina, "/translations/profile", {"part": "language", "language": "pl", "level": "A"})
    post(nina, "/translations/profile", {"modes": ["consecutive", "written"], "specialisations": "Recht",
                                         "employment": "freelance", "rate_day": "650.00"})
    with office.app_context():
        profile = db.session.scalar(sa.select(TranslatorProfile).where(
            TranslatorProfile.user_id == user_by_name("Nina Neu").id))
        assert [(s.language, s.level) for s in profile.languages] == [("pl", "A")]
        assert profile.mode_values == ["consecutive", "written"]
        assert (profile.rate_day, profile.employment) == (None, "in_house")  # the office sets those
        assert profile.windows == []


def test_a_standalone_written_translation_is_booked_with_checked_input_and_its_source_stays_private(office):
    with time_machine.travel(NOW, tick=False):
        officer = _client(office, "referent@example.org")
        form = {"kind": "written", "title": "Grußwort zum Jubiläum", "language": "fr", "mode": "written",
                "venue_id": "0"}
        missing = post(officer, "/translations/new", form).get_data(as_text=True)
        assert "Eine schriftliche Übersetzung braucht eine Frist." in missing
        wrong = post(officer, "/translations/new", {**form, "language": "zz", "deadline": "2027-01-20T12:00"}).get_data(as_text=True)
        assert "Bitte wählen Sie die Sprache aus der Liste." in wrong
        created = post(officer, "/translations/new", {**form, "deadline": "2027-01-20T12:00"}, follow_redirects=True).get_data(as_text=True)
        assert "wurde erfasst" in created
        with office.app_context():
            assignment = db.session.scalar(sa.select(Assignment))
            reference = assignment.reference
        import io

        page = f"/translations/{reference}"
        post(officer, f"{page}/source", {"file": (io.BytesIO(PDF), "grusswort.pdf")}, content_type="multipart/form-data")
        assert officer.get(f"{page}/file/source").status_code == 200
        stranger = _client(office, "anna@example.org")
        assert stranger.get(f"{page}/file/source").status_code == 404  # not offered to her


def test_the_assignment_follows_its_programme_item_and_the_booked_interpreter_is_told(office):
    from protocol_app.core.notifications.models import Notification

    with time_machine.travel(NOW, tick=False):
        item_id = _booked_for_anna(office)
        with office.app_context():
            anna = user_by_name("Anna Englisch")
            item = db.session.get(visit_services.VisitProgrammeItem, item_id)
            visit_services.save_programme_item(item.visit, item, actor=user_by_name("Rainer Referent"), values={
                "title": item.title, "starts_at": START + timedelta(hours=1), "ends_at": START + timedelta(hours=3),
                "dress_code": "none", "press": "none", "interpreter_needed": True, "interpreter_language": "en",
                "interpreter_mode": "consecutive", "golden_book": False, "gift_exchange": False,
                "location": "Rotes Rathaus"}, conflict_reason="Test")
            db.session.commit()
            moved = db.session.scalar(sa.select(Assignment))
            assert (moved.starts_at, moved.ends_at, moved.location) == (
                START + timedelta(hours=1), START + timedelta(hours=3), "Rotes Rathaus")
            told = db.session.scalars(sa.select(Notification.message).where(Notification.user_id == anna.id)).all()
            assert any(f"{moved.reference} wurde geändert" in m and "Rotes Rathaus" in m for m in told), told


def test_a_removed_visit_item_cancels_its_booking_and_the_interpreter_is_told(office):
    from protocol_app.core.notifications.models import Notification

    with time_machine.travel(NOW, tick=False):
        item_id = _booked_for_anna(office)
        with office.app_context():
            anna = user_by_name("Anna Englisch")
            item = db.session.get(visit_services.VisitProgrammeItem, item_id)
            visit_services.delete_programme_item(item, actor=user_by_name("Rainer Referent"))
            db.session.commit()
            gone = db.session.scalar(sa.select(Assignment))
            assert gone.state == "cancelled" and "Mittagessen mit Tischrede" in gone.cancel_reason
            told = db.session.scalars(sa.select(Notification.message).where(Notification.user_id == anna.id)).all()
            assert any(f"{gone.reference} wurde abgesagt" in m for m in told), told


@pytest.mark.parametrize("how", ["cancel", "decline"])
def test_a_visit_that_will_not_take_place_cancels_its_bookings_and_tells_the_interpreter(office, how):
    """Issue 30, item 14: the booking stayed staffed, the offer accepted, the translator untold and
    blocked for that hour."""
    from protocol_app.core.notifications.models import Notification
    from protocol_app.language_service.workflow import OfferState

    with time_machine.travel(NOW, tick=False):
        _booked_for_anna(office)
        with office.app_context():
            visit = db.session.scalar(sa.select(Visit))
            assert visit.state == "requested"  # declining is a step from there, cancelling from any open state
            visit_services.move_visit(visit, how, actor=user_by_name("Rainer Referent"), comment="Reise abgesagt")
            db.session.commit()
            booking = db.session.scalar(sa.select(Assignment))
            assert booking.state == "cancelled" and visit.reference in booking.cancel_reason
            offer = db.session.scalar(sa.select(Offer))
            assert offer.state == OfferState.WITHDRAWN
            anna = user_by_name("Anna Englisch")
            told = db.session.scalars(sa.select(Notification.message).where(Notification.user_id == anna.id)).all()
            assert any(f"{booking.reference} wurde abgesagt" in m for m in told), told


def test_the_team_size_is_proposed_from_the_servers_rule_before_saving(office):
    officer = _client(office, "referent@example.org")
    answer = officer.get("/translations/team-size?mode=simultaneous&starts_at=2027-03-23T09:00"
                         "&ends_at=2027-03-23T14:30").get_json()
    assert answer["needed"] == 3 and "3 je Sprache" in answer["message"]
    assert officer.get("/translations/team-size?mode=simultaneous&starts_at=kaputt").get_json()["needed"] == 1
    assert officer.get("/translations/team-size?mode=consecutive").get_json()["needed"] == 1
    # without script, the form sent back with an error says it for the times given
    page = post(officer, "/translations/new", {"kind": "interpreting", "title": "", "language": "en",
                                               "mode": "simultaneous", "starts_at": "2027-03-23T09:00",
                                               "ends_at": "2027-03-23T10:00"}).get_data(as_text=True)
    assert "schlägt 2 je Sprache vor" in page and 'placeholder="2"' in page
    translator = _client(office, "anna@example.org")
    assert translator.get("/translations/team-size?mode=simultaneous").status_code == 403
