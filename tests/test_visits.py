"""Visits: record, validation, confidentiality, process and history."""

from __future__ import annotations

import sqlalchemy as sa

from protocol_app.core.audit import AuditEvent
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.support import login, make_user, post
from tests.visit_support import make_visit, reference_data, visit_form


def _officer(app, email="referent@example.org", name="Rainer Referent"):
    uid = make_user(app, email, roles=["officer"], name=name)
    client = app.test_client()
    login(client, email)
    return uid, client


def _visit(app, reference) -> Visit:
    with app.app_context():
        year, number = int(reference[2:6]), int(reference[7:])
        return db.session.scalar(sa.select(Visit).where(Visit.year == year, Visit.number == number))


def test_officer_records_a_visit_with_a_yearly_reference(app):
    reference_data(app)
    uid, client = _officer(app)
    response = post(client, "/visits/new", visit_form(responsible_officer_id=str(uid)))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/visits/V-2027-0001")
    second = post(client, "/visits/new", visit_form(title="Zweiter Besuch"))
    assert second.headers["Location"].startswith("/visits/V-2027-0002")
    visit = _visit(app, "V-2027-0001")
    assert visit.state == "requested" and visit.languages == "pl,en"
    assert visit.arrival_at.hour == 8  # 10:00 Berlin summer time is 08:00 UTC
    page = client.get("/visits/V-2027-0001").get_data(as_text=True)
    assert "Arbeitsbesuch aus Warschau" in page and "Dienstag, 4. Mai 2027, 10:00 Uhr" in page
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "visit.create"))


def test_travel_times_in_another_time_zone_are_converted(app):
    reference_data(app)
    _, client = _officer(app)
    post(client, "/visits/new", visit_form(travel_timezone="America/New_York",
                                           arrival_at="2027-05-04T10:00"))
    assert _visit(app, "V-2027-0001").arrival_at.hour == 14  # 10:00 EDT is 14:00 UTC


def test_bad_visit_input_gets_german_messages_and_stores_nothing(app):
    reference_data(app)
    _, client = _officer(app)
    cases = [
        (visit_form(departure_at="2027-05-01T10:00"), "Die Abreise darf nicht vor der Ankunft liegen."),
        (visit_form(country_code="XX"), "Keine gültige Auswahl"),
        (visit_form(title="<script>alert(1)</script>"), "Bitte geben Sie reinen Text ohne HTML-Tags ein."),
        (visit_form(languages=["en", "klingonisch"]), "Bitte wählen Sie die Sprache aus der Liste."),
        (visit_form(arrival_at="morgen"), "Kein gültiges Datum mit Zeit."),
    ]
    for data, message in cases:
        page = post(client, "/visits/new", data).get_data(as_text=True)
        assert message in page, message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 0


def test_references_of_other_years_or_malformed_are_404(app):
    reference_data(app)
    uid, client = _officer(app)
    make_visit(app, uid)
    assert client.get("/visits/V-2027-0001").status_code == 200
    for bad in ("V-2026-0001", "V-2027-0002", "X-2027-0001", "V-27-1", "1"):
        assert client.get(f"/visits/{bad}").status_code == 404, bad


def test_confidential_visits_are_hidden_from_viewers(app):
    reference_data(app)
    uid, officer = _officer(app)
    open_ref = make_visit(app, uid, title="Offener Besuch")
    secret_ref = make_visit(app, uid, title="Vertraulicher Besuch", is_confidential=True)
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    listing = viewer.get("/visits/").get_data(as_text=True)
    assert "Offener Besuch" in listing and "Vertraulicher Besuch" not in listing
    assert viewer.get(f"/visits/{secret_ref}").status_code == 404
    assert viewer.get(f"/visits/{open_ref}").status_code == 200
    assert "Vertraulicher Besuch" in officer.get("/visits/").get_data(as_text=True)


def test_translators_and_emigration_team_cannot_open_visits(app):
    reference_data(app)
    uid, _ = _officer(app)
    ref = make_visit(app, uid)
    for role in ("translator", "emigration"):
        make_user(app, f"{role}@example.org", roles=[role])
        client = app.test_client()
        login(client, f"{role}@example.org")
        assert client.get("/visits/").status_code == 403
        assert client.get(f"/visits/{ref}").status_code == 403


def test_stale_form_after_someone_else_changed_the_visit(app):
    reference_data(app)
    uid, client = _officer(app)
    ref = make_visit(app, uid)
    old_version = _visit(app, ref).version
    data = visit_form(title="Erste Änderung", version=str(old_version), country_code="FR",
                      arrival_at="2027-03-10T10:00", departure_at="2027-03-12T17:00")
    assert post(client, f"/visits/{ref}/edit", data).status_code == 302
    data["title"] = "Veraltete Änderung"
    page = post(client, f"/visits/{ref}/edit", data).get_data(as_text=True)
    assert "inzwischen geändert" in page
    assert _visit(app, ref).title == "Erste Änderung"


def test_visit_moves_through_its_process_with_history(app):
    reference_data(app)
    uid, client = _officer(app)
    ref = make_visit(app, uid)

    def step(action, comment=""):
        version = _visit(app, ref).version
        return post(client, f"/visits/{ref}/transition",
                    {"action": action, "comment": comment, "version": str(version)}, follow_redirects=True).get_data(as_text=True)

    assert "Neuer Status: Planung" in step("start_planning")
    assert "Neuer Status: Bestätigt" in step("confirm")
    page = step("complete")
    assert "erst nach der Abreise" in page  # the visit lies in the future
    page = step("cancel")
    assert "Bitte begründen Sie diesen Schritt." in page
    page = step("cancel", "Reise abgesagt")
    assert "Neuer Status: Abgesagt" in page and "Reise abgesagt" in page
    assert "Angefragt → <strong>Planung</strong>" in page  # history in words, not codes
    assert _visit(app, ref).state == "cancelled"
    # A closed visit can no longer be edited; a form still open when it closed is told so.
    assert client.get(f"/visits/{ref}/edit").status_code == 403
    stale = post(client, f"/visits/{ref}/programme/new", {"title": "Nachzügler"})
    assert stale.status_code == 409 and "inzwischen geändert" in stale.get_data(as_text=True)


def test_managers_move_but_do_not_edit_and_viewers_do_neither(app):
    reference_data(app)
    uid, _ = _officer(app)
    ref = make_visit(app, uid)
    make_user(app, "chef@example.org", roles=["manager"])
    manager = app.test_client()
    login(manager, "chef@example.org")
    assert manager.get(f"/visits/{ref}/edit").status_code == 403
    post(manager, f"/visits/{ref}/transition", {"action": "start_planning", "version": "1"})
    assert _visit(app, ref).state == "planning"
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    response = post(viewer, f"/visits/{ref}/transition", {"action": "confirm", "version": "2"})
    assert response.status_code == 403
    assert _visit(app, ref).state == "planning"


def test_list_filters_stay_in_the_url_and_search_finds_guests(app):
    data = reference_data(app)
    uid, client = _officer(app)
    assert data
    make_visit(app, uid, title="Staatsbesuch Japan", kind="state_visit", guest_name="Kaiser Naruhito",
               country_code="JP")
    make_visit(app, uid, title="Delegation Prag", kind="delegation", country_code="CZ",
               responsible_officer_id=None)
    page = client.get("/visits/?kind=state_visit").get_data(as_text=True)
    assert "Staatsbesuch Japan" in page and "Delegation Prag" not in page
    assert 'value="state_visit" selected' in page
    page = client.get("/visits/?q=naruhito").get_data(as_text=True)
    assert "Staatsbesuch Japan" in page and "Delegation Prag" not in page
    page = client.get("/visits/?q=tschech").get_data(as_text=True)  # country name
    assert "Delegation Prag" in page
    page = client.get("/visits/?officer=none").get_data(as_text=True)
    assert "Delegation Prag" in page and "Staatsbesuch Japan" not in page
    page = client.get("/visits/?from=2030-01-01").get_data(as_text=True)
    assert "Keine Besuche entsprechen dem Filter." in page
    assert client.get("/visits/?sort=title&dir=desc&from=kaputt&partner_city=x").status_code == 200
