"""Directory: officers keep missions, contacts and venues; admins hosts and partner cities."""

from __future__ import annotations

import sqlalchemy as sa

from protocol_app.core.audit import AuditEvent
from protocol_app.directory.models import Contact, Mission, Venue
from protocol_app.extensions import db
from tests.support import ensure_reference_data, login, make_user, post


def _client(app, role):
    ensure_reference_data(app)
    make_user(app, f"{role}@example.org", roles=[role])
    client = app.test_client()
    login(client, f"{role}@example.org")
    return client


def test_officer_adds_a_mission_and_a_contact(app):
    client = _client(app, "officer")
    response = post(client, "/directory/missions/new",
                    {"name": "Botschaft der Französischen Republik", "country_code": "FR", "kind": "embassy",
                     "head_of_mission": "S. E. Herr Botschafter", "email": ""})
    assert response.status_code == 302
    with app.app_context():
        mission = db.session.scalar(sa.select(Mission))
        assert mission.country.name_de == "Frankreich"
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "directory.missions.create"))
    post(client, "/directory/contacts/new",
         {"name": "Marie Dupont", "function": "Protokollchefin", "mission_id": str(mission.id), "language": "en",
          "rank": "500", "category": "diplomatic_corps"})
    with app.app_context():
        assert db.session.scalar(sa.select(Contact)).mission_id == mission.id
    listing = client.get("/directory/contacts?q=dupont").get_data(as_text=True)
    assert "Marie Dupont" in listing


def test_directory_validation_messages(app):
    client = _client(app, "officer")
    page = post(client, "/directory/venues/new", {"name": "Großer Festsaal", "capacity": "0"}).get_data(as_text=True)
    assert "Bitte geben Sie eine Zahl ab 1 ein." in page
    page = post(client, "/directory/venues/new", {"name": "Großer Festsaal", "capacity": "10"}).get_data(as_text=True)
    assert "Ein Eintrag mit diesen Angaben existiert bereits." in page
    page = post(client, "/directory/missions/new", {"name": "X", "country_code": "ZZ", "kind": "embassy"}).get_data(as_text=True)
    assert "Keine gültige Auswahl" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Venue.id))) == 6


def test_hosts_and_partner_cities_are_kept_by_admins_only(app):
    officer = _client(app, "officer")
    assert officer.get("/directory/hosts").status_code == 200
    assert officer.get("/directory/hosts/new").status_code == 403
    assert officer.get("/directory/partner-cities/1").status_code == 403
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    assert post(admin, "/directory/hosts/new",
                {"name": "Dr. Max Mustermann", "function": "Regierender Bürgermeister", "sort_order": "1",
                 "is_active": "y"}).status_code == 302
    assert "Dr. Max Mustermann" in officer.get("/directory/hosts").get_data(as_text=True)


def test_viewers_read_the_directory_but_cannot_edit(app):
    viewer = _client(app, "viewer")
    assert viewer.get("/directory/venues").status_code == 200
    assert viewer.get("/directory/venues/new").status_code == 403
    page = viewer.get("/directory/venues").get_data(as_text=True)
    assert "Neuer Eintrag" not in page
