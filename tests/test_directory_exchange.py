"""The directory in and out: missions, contacts and venues from the office's spreadsheets;
contacts as vCard 4.0 (read back by vobject, the parser address books build on) and every list
as a spreadsheet that the import reads again."""

from __future__ import annotations

import io

import sqlalchemy as sa
import vobject
from openpyxl import load_workbook

from protocol_app.core.audit import AuditEvent
from protocol_app.directory.models import Contact, Mission, Venue
from protocol_app.extensions import db
from tests.support import ensure_reference_data, login, make_user, post

MISSIONS = ("Staat;Art;Name;Anschrift;Missionschef/in;Amtsbezeichnung;Telefon;E-Mail\n"
            "Frankreich;Botschaft;Botschaft der Französischen Republik;Pariser Platz 5, 10117 Berlin;"
            "S. E. François Delattre;Botschafter;+49 30 590039000;info@amb-allemagne.example\n"
            "PL;Embassy;Botschaft der Republik Polen;Jägerstraße 59, 10117 Berlin;;;;\n")

CONTACTS = ("Name;Funktion;Organisation;Vertretung;E-Mail;Sprache;Kategorie;Rang;Im Amt seit;"
            "Postanschrift;Land der Anschrift\n"
            "Marie Dupont;Protokollchefin;;Botschaft der Französischen Republik;marie.dupont@example.org;en;"
            "Diplomatisches Korps;120;01.09.2024;Pariser Platz 5 / 10117 Berlin;Deutschland\n"
            "Jan Kowalski;Gesandter;Botschaft der Republik Polen;;;de;diplomatic_corps;130;;"
            "ul. Długa 1 / 00-950 Warszawa;Polen\n")


def _officer(app):
    ensure_reference_data(app)
    make_user(app, "officer@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "officer@example.org")
    return client


def _import(client, table: str, text: str, name: str = "liste.csv"):
    return post(client, f"/directory/{table}/import", {"file": (io.BytesIO(text.encode("utf-8")), name)},
                content_type="multipart/form-data", follow_redirects=True)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_missions_and_contacts_come_in_from_a_spreadsheet_and_known_ones_are_left_out(app):
    client = _officer(app)
    page = _import(client, "missions", MISSIONS).get_data(as_text=True)
    assert "2 Einträge hinzugefügt." in page
    page = _import(client, "contacts", CONTACTS).get_data(as_text=True)
    assert "2 Einträge hinzugefügt." in page
    with app.app_context():
        dupont = db.session.scalar(sa.select(Contact).where(Contact.name == "Marie Dupont"))
        assert dupont.mission.name == "Botschaft der Französischen Republik" and dupont.category == "diplomatic_corps"
        assert dupont.postal_address == "Pariser Platz 5\n10117 Berlin" and dupont.postal_country_code == "DE"
        assert db.session.scalar(sa.select(Mission).where(Mission.country_code == "PL")).kind == "embassy"
        logged = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("directory.%_import")))
        assert sorted(logged) == ["directory.contacts_import", "directory.missions_import"]

    grown = CONTACTS + "Anna Nowak;Attachée;Botschaft der Republik Polen;;;de;;;;;\n"
    page = _import(client, "contacts", grown).get_data(as_text=True)
    assert "1 Eintrag hinzugefügt." in page and "2 Einträge waren schon im Verzeichnis" in page
    assert _count(app, Contact) == 3


def test_a_file_with_a_broken_row_stores_nothing_and_says_what_to_fix_where(app):
    client = _officer(app)
    broken = CONTACTS.replace("marie.dupont@example.org", "marie.dupont-at-example.org").replace(
        ";diplomatic_corps;", ";Kaiserhof;")
    response = _import(client, "contacts", broken)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert "2 Zeilen müssen korrigiert werden" in page and "Kaiserhof" in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in page
    assert _count(app, Contact) == 0
    twice = CONTACTS + CONTACTS.splitlines()[1] + "\n"
    assert "steht schon in Zeile 2" in _import(client, "contacts", twice).get_data(as_text=True)
    assert _count(app, Contact) == 0


def test_contacts_go_out_as_vcards_an_address_book_reads(app):
    client = _officer(app)
    _import(client, "missions", MISSIONS)
    _import(client, "contacts", CONTACTS)

    response = client.get("/directory/contacts.vcf")
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    cards = {card.fn.value: card for card in vobject.readComponents(response.get_data(as_text=True))}
    assert set(cards) == {"Marie Dupont", "Jan Kowalski"}
    dupont = cards["Marie Dupont"]
    assert dupont.version.value == "4.0" and dupont.n.value.family == "Dupont" and dupont.n.value.given == "Marie"
    assert dupont.org.value == ["Botschaft der Französischen Republik"] and dupont.title.value == "Protokollchefin"
    address = dupont.adr.value
    assert (address.street, address.code, address.city, address.country) == (
        "Pariser Platz 5", "10117", "Berlin", "Deutschland")
    assert dupont.email.value == "marie.dupont@example.org"
    kowalski = cards["Jan Kowalski"].adr.value
    assert (kowalski.street, kowalski.code, kowalski.city, kowalski.country) == (
        "ul. Długa 1", "00-950", "Warszawa", "Polen")

    searched = client.get("/directory/contacts.vcf?q=kowalski").get_data(as_text=True)
    assert [card.fn.value for card in vobject.readComponents(searched)] == ["Jan Kowalski"]
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id).where(Contact.name == "Marie Dupont"))
    one = list(vobject.readComponents(client.get(f"/directory/contacts/{contact_id}.vcf").get_data(as_text=True)))
    assert [card.uid.value for card in one] == [f"urn:protokoll:contact:{contact_id}"]
    assert f'href="/directory/contacts/{contact_id}.vcf"' in client.get(f"/directory/contacts/{contact_id}").get_data(
        as_text=True)  # the contact's page offers its card


def test_a_list_exported_as_a_spreadsheet_is_read_again_by_the_import(app):
    client = _officer(app)
    _import(client, "missions", MISSIONS)
    _import(client, "contacts", CONTACTS)
    post(client, "/directory/venues/new", {"name": "Wappensaal", "building": "Rotes Rathaus", "capacity": "120"})

    for table, model in (("contacts", Contact), ("missions", Mission), ("venues", Venue)):
        response = client.get(f"/directory/{table}.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet.max_row == _count(app, model) + 1
        page = post(client, f"/directory/{table}/import", {"file": (io.BytesIO(response.data), f"{table}.xlsx")},
                    content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
        # Every row is known: the export's columns are the import's.
        assert "0 Einträge hinzugefügt." in page and 'data-testid="import-errors"' not in page, table
        assert sheet.max_row == _count(app, model) + 1


def test_readers_export_but_only_editors_import(app):
    ensure_reference_data(app)
    make_user(app, "viewer@example.org", roles=["viewer"])
    reader = app.test_client()
    login(reader, "viewer@example.org")
    assert reader.get("/directory/contacts.xlsx").status_code == 200
    assert reader.get("/directory/contacts.vcf").status_code == 200
    assert reader.get("/directory/contacts/import").status_code == 403
    assert _import(reader, "contacts", CONTACTS).status_code == 403
    assert _count(app, Contact) == 0
    assert reader.get("/directory/hosts.xlsx").status_code == 404  # only the three lists go out
