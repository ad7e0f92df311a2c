"""City partnerships: the record of each partner city (agreement, fields, contacts, networks,
activities), its page with the whole history read from the other domains, and the round
anniversaries a year ahead."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.notifications.models import Notification
from protocol_app.directory.models import Contact, PartnerCity
from protocol_app.extensions import db
from protocol_app.goldenbook import services as golden_book
from protocol_app.partnerships import services
from protocol_app.partnerships.models import Activity, Partnership
from protocol_app.visits import services as visits
from tests.support import PDF, office_clients, post, sweep_reminders_twice

AGREEMENT = {"agreement_date": "1992-06-01", "agreement_title": "Vereinbarung Berlin–Brüssel",
             "fields_of_cooperation": "Europapolitik\nKultur", "networks": ["eurocities"], "notes": ""}


def _city(app, name="Brüssel") -> int:
    with app.app_context():
        return db.session.scalar(sa.select(PartnerCity.id).where(PartnerCity.name_de == name))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _version(client, path) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', _text(client.get(path))).group(1)


def _partnership(app, city_id) -> tuple | None:
    """(agreement date, networks, contact ids) as stored, or None."""
    with app.app_context():
        found = db.session.scalar(sa.select(Partnership).where(Partnership.partner_city_id == city_id))
        return None if found is None else (found.agreement_date, found.network_codes, [c.id for c in found.contacts])


def test_an_officer_records_the_agreement_and_the_page_shows_it(app):
    clients = office_clients(app)
    officer, city_id = clients["referent"], _city(app)
    with app.app_context():
        contact = Contact(name="Claire Dubois", function="Staatssekretärin")
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    assert post(officer, f"/partnerships/{city_id}/edit", {**AGREEMENT, "contact_ids": [str(contact_id)]}).status_code == 302
    assert _partnership(app, city_id) == (date(1992, 6, 1), ["eurocities"], [contact_id])
    page = _text(clients["leser"].get(f"/partnerships/{city_id}"))
    assert "01.06.1992" in page and "Vereinbarung Berlin–Brüssel" in page and "Eurocities" in page
    assert "Claire Dubois" in page and "Europapolitik, Kultur" in page
    # The signed agreement is kept and served to readers; a viewer cannot replace it.
    upload = {"file": (io.BytesIO(PDF), "vereinbarung.pdf")}
    assert post(officer, f"/partnerships/{city_id}/agreement", upload).status_code == 302
    document = clients["leser"].get(f"/partnerships/{city_id}/agreement")
    assert document.status_code == 200 and document.data == PDF
    assert post(clients["leser"], f"/partnerships/{city_id}/agreement",
                {"file": (io.BytesIO(PDF), "x.pdf")}).status_code == 403


@pytest.mark.parametrize(("changes", "message"), [
    ({"agreement_date": "2099-01-01"}, ("cannot be signed in the future", "nicht in der Zukunft")),
    ({"agreement_date": "1850-01-01"}, ("check the year", "Jahr der Vereinbarung")),
    ({"networks": ["g7"]}, ("choose only from the offered", "nur aus den angebotenen")),
    ({"contact_ids": ["99999"]}, ("choose only from the offered", "nur aus den angebotenen")),
])
def test_wrong_input_says_what_to_fix_and_stores_nothing(app, changes, message):
    clients = office_clients(app)
    city_id = _city(app)
    response = post(clients["referent"], f"/partnerships/{city_id}/edit", {**AGREEMENT, **changes})
    assert response.status_code == 200
    assert any(m in _text(response) for m in message), _text(response)[:2000]
    assert _partnership(app, city_id) is None


def test_activities_are_recorded_changed_and_removed(app):
    clients = office_clients(app)
    officer, city_id = clients["referent"], _city(app)
    activity = {"title": "BerlinDays in Brüssel", "kind": "city_days", "starts_on": "2026-05-20",
                "ends_on": "2026-05-22", "description": "In der Landesvertretung"}
    page = _text(post(officer, f"/partnerships/{city_id}/activities/new", {**activity, "ends_on": "2026-05-01"}))
    assert "The end must not be before the start" in page or "Das Ende darf nicht vor dem Beginn" in page
    assert post(officer, f"/partnerships/{city_id}/activities/new", activity).status_code == 302
    with app.app_context():
        activity_id = db.session.scalar(sa.select(Activity.id))
    path = f"/partnerships/{city_id}/activities/{activity_id}"
    assert "BerlinDays in Brüssel" in _text(clients["leser"].get(f"/partnerships/{city_id}"))
    assert post(officer, path, {**activity, "title": "Alt", "version": "0"}).status_code == 409
    assert post(officer, path, {**activity, "title": "BrusselDays", "version": _version(officer, path)}).status_code == 302
    assert post(clients["leser"], f"{path}/delete", {}).status_code == 403
    assert clients["leser"].get(f"/partnerships/{city_id}/activities/new").status_code == 403
    assert post(officer, f"{path}/delete", {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 0


def test_the_page_shows_the_history_from_the_other_domains_as_each_reader_may_see_it(app):
    clients = office_clients(app)
    city_id = _city(app)
    with app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.email == "referent@example.org"))
        arrival = datetime(2026, 10, 5, 8, tzinfo=UTC)
        common = {"kind": "partner_city", "guest_function": "Ministerpräsident der Region", "country_code": "BE",
                  "arrival_at": arrival, "departure_at": arrival + timedelta(hours=9),
                  "travel_timezone": "Europe/Berlin", "responsible_officer_id": officer.id, "partner_city_id": city_id}
        open_visit = visits.create_visit(actor=officer, values={**common, "title": "Besuch aus Brüssel",
                                                                 "guest_name": "Rudi Vervoort", "is_confidential": False})
        visits.save_gift(open_visit, None, actor=officer, values={
            "direction": "given", "description": "Porzellan mit Berliner Bär", "giver": "RBm",
            "recipient": "Rudi Vervoort", "estimated_value": 90})
        visits.create_visit(actor=officer, values={**common, "title": "Vertrauliche Vorbesprechung Brüssel",
                                                   "guest_name": "N. N.", "is_confidential": True})
        golden_book.save_entry(None, {"signed_on": date(2026, 10, 5), "signatory": "Rudi Vervoort",
                                      "function": "Ministerpräsident der Region Brüssel-Hauptstadt",
                                      "country_code": "BE", "occasion": "Besuch", "book": "guest", "volume": "7",
                                      "page": 3, "reason": None, "notes": None},
                               actor=officer, occasion_scope="visit", occasion_id=open_visit.id)
        db.session.commit()
    post(clients["referent"], "/events/new", {
        "title": "BerlinDays-Empfang", "kind": "reception", "starts_at": "2027-01-20T18:00",
        "ends_at": "2027-01-20T21:00", "venue_id": "0", "host_id": "0", "partner_city_id": str(city_id),
        "responsible_officer_id": "0", "capacity": "", "dress_code": "business", "press": "closed"})
    officer_page = _text(clients["referent"].get(f"/partnerships/{city_id}"))
    viewer_page = _text(clients["leser"].get(f"/partnerships/{city_id}"))
    for page in (officer_page, viewer_page):
        assert "Besuch aus Brüssel" in page and "Porzellan mit Berliner Bär" in page
        assert "BerlinDays-Empfang" in page and "Rudi Vervoort" in page  # the event and the book entry
    assert "Vertrauliche Vorbesprechung Brüssel" in officer_page
    assert "Vertrauliche Vorbesprechung Brüssel" not in viewer_page
    only_events = _text(clients["leser"].get(f"/partnerships/{city_id}?show=event"))
    assert "BerlinDays-Empfang" in only_events and "Besuch aus Brüssel" not in only_events
    # The other city's page tells nothing of Brussels.
    assert "Besuch aus Brüssel" not in _text(clients["leser"].get(f"/partnerships/{_city(app, 'Paris')}"))


def test_an_event_names_only_a_known_partner_city(app):
    clients = office_clients(app)
    response = post(clients["referent"], "/events/new", {
        "title": "Empfang", "kind": "reception", "starts_at": "2027-01-20T18:00", "ends_at": "2027-01-20T21:00",
        "venue_id": "0", "host_id": "0", "partner_city_id": "99999", "responsible_officer_id": "0",
        "dress_code": "business", "press": "closed"})
    assert response.status_code == 200
    assert "Not a valid choice" in _text(response) or "Keine gültige Auswahl" in _text(response)


def test_round_anniversaries_are_listed_a_year_ahead_and_reminded_once(app):
    clients = office_clients(app)
    brussels, beijing = _city(app), _city(app, "Peking")
    post(clients["referent"], f"/partnerships/{brussels}/edit", AGREEMENT)
    post(clients["referent"], f"/partnerships/{beijing}/edit", {**AGREEMENT, "agreement_date": "1994-04-05",
                                                                "agreement_title": "Berlin–Peking"})
    with app.app_context():
        jubilees = [(j.city.name_de, j.years, j.day) for j in services.jubilees_in(2027)]
        assert jubilees == [("Brüssel", 35, date(2027, 6, 1))]
        assert [(j.city.name_de, j.years) for j in services.jubilees_in(2029)] == [("Peking", 35)]
        ahead = [(j.city.name_de, j.years) for j in services.jubilees_ahead(date(2026, 6, 2))]
        assert ahead == [("Brüssel", 35)]
        assert services.jubilees_ahead(date(2026, 5, 1)) == []
    overview = _text(clients["leser"].get("/partnerships/jubilees?year=2027"))
    assert "Brüssel" in overview and "35" in overview and "Peking" not in overview
    assert "Nothing" not in _text(clients["leser"].get("/partnerships/jubilees?year=abc"))  # falls back to next year
    # The reminder: 12 months before, every officer, once.
    sweep_reminders_twice(app, datetime(2026, 6, 2, 9, tzinfo=UTC))
    sweep_reminders_twice(app, datetime(2026, 7, 2, 9, tzinfo=UTC))
    with app.app_context():
        sent = db.session.execute(sa.select(User.email, Notification.link).join(
            Notification, Notification.user_id == User.id).where(Notification.link.like("/partnerships/%"))).all()
    assert sent == [("referent@example.org", f"/partnerships/{brussels}")]


def test_who_may_see_and_change_the_partnerships(app):
    clients = office_clients(app)
    city_id = _city(app)
    assert clients["emigration"].get("/partnerships/").status_code == 403
    assert clients["emigration"].get(f"/partnerships/{city_id}").status_code == 403
    assert clients["leser"].get("/partnerships/").status_code == 200
    assert clients["leser"].get(f"/partnerships/{city_id}/edit").status_code == 403
    assert post(clients["leitung"], f"/partnerships/{city_id}/edit", AGREEMENT).status_code == 403
    assert clients["leser"].get("/partnerships/99999").status_code == 404
    listing = _text(clients["leser"].get("/partnerships/"))
    assert listing.count('href="/partnerships/') >= 18


def test_the_pages_ask_a_bounded_number_of_queries(app, count_queries):
    clients = office_clients(app)
    city_id = _city(app)
    post(clients["referent"], f"/partnerships/{city_id}/edit", AGREEMENT)
    arrival = datetime(2026, 10, 5, 8, tzinfo=UTC)

    def add_visits(start, n):
        with app.app_context():
            officer = db.session.scalar(sa.select(User).where(User.email == "referent@example.org"))
            for i in range(start, start + n):
                visit = visits.create_visit(actor=officer, values={
                    "title": f"Besuch {i}", "kind": "partner_city", "guest_name": "Gast", "country_code": "BE",
                    "arrival_at": arrival + timedelta(days=i), "departure_at": arrival + timedelta(days=i, hours=5),
                    "travel_timezone": "Europe/Berlin", "partner_city_id": city_id, "is_confidential": False})
                visits.save_gift(visit, None, actor=officer, values={
                    "direction": "given", "description": f"Gabe {i}", "giver": "RBm", "recipient": "Gast"})
            db.session.commit()

    add_visits(0, 3)
    with count_queries() as few:
        assert clients["leser"].get(f"/partnerships/{city_id}").status_code == 200
    add_visits(3, 12)
    with count_queries() as many:
        assert clients["leser"].get(f"/partnerships/{city_id}").status_code == 200
    assert len(many) == len(few)


def test_an_english_reader_gets_the_jubilee_reminder_in_english_with_english_dates(app):
    from protocol_app.core.notifications.models import OutboxMail

    clients = office_clients(app)
    prague = _city(app, "Prag")
    post(clients["referent"], f"/partnerships/{prague}/edit", {**AGREEMENT, "agreement_date": "1997-01-26",
                                                              "agreement_title": "Berlin–Prag"})
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == "referent@example.org")).locale = "en"
        db.session.commit()
    sweep_reminders_twice(app, datetime(2026, 2, 1, 9, tzinfo=UTC))
    with app.app_context():
        [message] = db.session.scalars(sa.select(Notification.message).where(
            Notification.link == f"/partnerships/{prague}")).all()
        [subject] = db.session.scalars(sa.select(OutboxMail.subject).where(
            OutboxMail.recipient == "referent@example.org", OutboxMail.subject.like("%30%"))).all()
    assert "30 years of the partnership with Prague on 26 Jan 2027" in message
    assert "Prague" in subject and "Prag " not in subject
