"""Guest lists: the forms-of-address table, personalised invitations (mail and PDF
letters), the usual guests of an occasion, and importing a list from CSV/XLSX."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import sqlalchemy as sa
import time_machine
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from protocol_app.directory.models import AddressForm, Contact
from protocol_app.events.models import Event, Guest
from protocol_app.extensions import db
from tests.event_support import event_form, officer_client
from tests.support import login, make_user, post

DETAIL = "/events/E-2027-0001"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _address_form(app, name) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(AddressForm.id).where(AddressForm.name == name))


def _new_event(client, **overrides):
    post(client, "/events/new", event_form(**overrides))


def _guests(app) -> dict[str, Guest]:
    with app.app_context():
        return {g.name: g for g in db.session.scalars(sa.select(Guest))}


# --- forms of address -------------------------------------------------------------------


def test_admins_maintain_the_forms_of_address_and_officers_only_read_them(app):
    officer_id, officer = officer_client(app)
    listing = officer.get("/directory/forms-of-address").get_data(as_text=True)
    assert "Botschafterin" in listing and "Ihre Exzellenz" in listing
    assert officer.get("/directory/forms-of-address/new").status_code == 403
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = "/directory/forms-of-address/new"
    post(admin, page, {"name": "Generalkonsulin", "address_de": "Frau Generalkonsulin",
                       "address_en": "Consul General", "salutation_de": "Sehr geehrte Frau Generalkonsulin",
                       "salutation_en": "Dear Consul General", "sort_order": "15"})
    missing = post(admin, page, {"name": "Ohne Anrede", "salutation_de": "", "salutation_en": "",
                                 "sort_order": "1"}).get_data(as_text=True)
    assert "Dieses Feld wird benötigt." in missing
    with app.app_context():
        names = set(db.session.scalars(sa.select(AddressForm.name)))
    assert "Generalkonsulin" in names and "Ohne Anrede" not in names


def test_invitations_use_the_tables_salutation_in_the_guests_language(app):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        ambassador, woman = _address_form(app, "Botschafterin"), _address_form(app, "Frau")
        with app.app_context():
            db.session.add_all([
                Contact(name="Dr. Amara Okafor", category="diplomatic_corps", rank=100, email="okafor@example.org",
                        language="en", address_form_id=ambassador),
                Contact(name="Anna Müller", category="diplomatic_corps", rank=200, email="mueller@example.org",
                        address_form_id=woman),
                Contact(name="Ohne Anrede", category="diplomatic_corps", rank=300, email="ohne@example.org"),
            ])
            db.session.commit()
        _new_event(client)
        post(client, f"{DETAIL}/guests/category", {"category": "diplomatic_corps", "companions": "0"})
        page = client.get(DETAIL).get_data(as_text=True)
        assert "Ihre Exzellenz" in page  # the line above the name, from the table
        post(client, f"{DETAIL}/invitations", {})
        from protocol_app.core.notifications.models import OutboxMail

        with app.app_context():
            mails = {m.recipient: m.body_text for m in db.session.scalars(sa.select(OutboxMail))}
    assert mails["okafor@example.org"].startswith("Dear Ambassador,")
    assert "has the honour to invite you" in mails["okafor@example.org"]
    assert mails["mueller@example.org"].startswith("Sehr geehrte Frau Müller,")
    assert mails["ohne@example.org"].startswith("Guten Tag Ohne Anrede,")  # a named person: by name, not "Damen und Herren"


def test_guests_without_e_mail_get_a_printed_letter_kept_with_the_event(app):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        _new_event(client)
        post(client, f"{DETAIL}/guests/new", {"name": "Sir Peter Post", "rank": "10", "companions": "1",
                                              "language": "en", "category": "other",
                                              "address_form_id": str(_address_form(app, "Herr"))})
        post(client, f"{DETAIL}/guests/new", {"name": "Mit Mail", "rank": "20", "companions": "0",
                                              "language": "de", "category": "other",
                                              "email": "mit.mail@example.org"})
        guest_id = _guests(app)["Sir Peter Post"].id
        single = client.get(f"{DETAIL}/guests/{guest_id}/invitation.pdf")
        assert single.status_code == 200 and single.mimetype == "application/pdf"
        assert "Dear Mr Post" in _pdf_text(single.data)
        post(client, f"{DETAIL}/invitations", {})
        page = client.get(DETAIL).get_data(as_text=True)
    assert "einladungen-post-E-2027-0001" in page
    from protocol_app.events.models import EventAttachment

    with app.app_context():
        attachment = db.session.scalar(sa.select(EventAttachment))
        text = _pdf_text(attachment.file.path.read_bytes())
    # Only the guest without e-mail gets a letter, in English, with a personal reply link.
    assert "Dear Mr Post" in text and "/events/reply/" in text and "companion" in text
    assert "Mit Mail" not in text


# --- occasions ----------------------------------------------------------------------------


def test_flag_day_from_its_occasion_gets_its_checklist_and_usual_guests_in_one_click(app):
    _, client = officer_client(app)
    with app.app_context():
        db.session.add_all([
            Contact(name="Senatorin Eins", category="senate", rank=20),
            Contact(name="Pressevertreter", category="press", rank=700),
            Contact(name="Botschafter Zwei", category="diplomatic_corps", rank=100),
        ])
        db.session.commit()
        from protocol_app.events.models import OccasionTemplate

        flag_day = db.session.scalar(sa.select(OccasionTemplate).where(OccasionTemplate.name.like("Flaggentag%")))
        flag_day_id, items = flag_day.id, len(flag_day.checklist_template.items)
    post(client, f"/events/occasions/{flag_day_id}/create", {"year": "2027"})
    detail = client.get(DETAIL).get_data(as_text=True)
    assert "Flaggentag der Mayors for Peace 2027" in detail
    assert "Gästeliste abstimmen" in detail  # a task of the occasion's checklist
    from protocol_app.core.checklists.models import Task

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == items
    assert "Senat, Presse" in detail
    done = post(client, f"{DETAIL}/guests/usual", {"companions": "0"},
                follow_redirects=True).get_data(as_text=True)
    assert "2 Gäste hinzugefügt" in done
    assert set(_guests(app)) == {"Senatorin Eins", "Pressevertreter"}


def test_admins_maintain_recurring_occasions_with_checked_dates(app):
    _, officer = officer_client(app)
    assert officer.get("/events/occasion-templates/new").status_code == 403
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = "/events/occasion-templates/new"
    data = {"name": "Tag der Deutschen Einheit", "kind": "ceremony", "month": "2", "day": "30",
            "start_time": "11:00", "duration_minutes": "60", "venue_id": "0",
            "guest_categories": ["senate", "diplomatic_corps"], "checklist_template_id": "0", "is_active": "y"}
    refused = post(admin, page, data).get_data(as_text=True)
    assert "Diesen Tag gibt es in diesem Monat nicht." in refused
    post(admin, page, {**data, "month": "10", "day": "3"})
    from protocol_app.events.models import OccasionTemplate

    with app.app_context():
        made = db.session.scalar(sa.select(OccasionTemplate).where(OccasionTemplate.name == "Tag der Deutschen Einheit"))
        assert (made.month, made.day) == (10, 3)
        assert made.category_values == ["senate", "diplomatic_corps"]
    listing = officer.get("/events/occasions?year=2027").get_data(as_text=True)
    assert "Tag der Deutschen Einheit" in listing and "Senat, Diplomatisches Korps" in listing


# --- import ---------------------------------------------------------------------------------


def _csv(rows: list[str]) -> bytes:
    return ("\ufeff" + "\n".join(rows) + "\n").encode("utf-8")


def _import(client, data: bytes, name: str):
    page = f"{DETAIL}/guests/import"
    return post(client, page, {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data", follow_redirects=True)


HEADER = "Name;Anrede;Funktion;Organisation;Kategorie;Rang;Im Amt seit;E-Mail;Sprache;Begleitpersonen"


def test_a_valid_csv_guest_list_is_imported_whole(app):
    _, client = officer_client(app)
    _new_event(client)
    response = _import(client, _csv([
        HEADER,
        "Dr. Erika Beispiel;Frau;Generalkonsulin;Generalkonsulat;Diplomatisches Korps;120;01.09.2024;"
        "erika@example.org;de;1",
        "John Example;Herr;Director;British Council;other;300;;john@example.org;en;0",
        "Nur Name;;;;;;;;;",
    ]), "gaeste.csv").get_data(as_text=True)
    assert "3 Gäste importiert." in response
    guests = _guests(app)
    assert set(guests) == {"Dr. Erika Beispiel", "John Example", "Nur Name"}
    erika = guests["Dr. Erika Beispiel"]
    assert (erika.category, erika.rank, erika.companions_allowed, erika.in_office_since.isoformat()) == \
        ("diplomatic_corps", 120, 1, "2024-09-01")
    assert guests["John Example"].language == "en" and guests["Nur Name"].rank == 500
    with app.app_context():
        assert db.session.get(Guest, erika.id).salutation() == "Sehr geehrte Frau Beispiel"


def test_a_guest_list_with_broken_rows_stores_nothing_and_names_every_row(app):
    _, client = officer_client(app)
    _new_event(client)
    post(client, f"{DETAIL}/guests/new", {"name": "Schon Da", "rank": "5", "companions": "0",
                                          "email": "da@example.org", "language": "de", "category": "other"})
    page = _import(client, _csv([
        HEADER,
        "Gute Zeile;;;;;100;;gut@example.org;de;0",
        "Falscher Rang;;;;;null;;;;",
        "Falsche Mail;;;;;;;keine-adresse;;",
        "Gute Zeile;;;;;100;;gut@example.org;de;0",
        "Zu viele;;;;;;;;;9",
        "Unbekannt;Majestät;;;Königshaus;;31.02.2024;;fr;",
        "Schon Da;;;;;;;da@example.org;;",
        ";Frau;;;;;;;;",
    ]), "gaeste.csv").get_data(as_text=True)
    assert 'data-testid="import-errors"' in page and "Nichts wurde importiert." in page
    for fragment in ("Bitte eine ganze Zahl von 1 bis 9999 eingeben.", "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
                     "steht schon in Zeile 2", "Bitte eine ganze Zahl von 0 bis 5 eingeben.",
                     "Anrede „Majestät“ ist unbekannt", "Gästekategorie „Königshaus“ ist unbekannt",
                     "Bitte das Datum als TT.MM.JJJJ eingeben.", "Sprache „fr“ ist unbekannt",
                     "steht bereits auf der Gästeliste", "Dieses Feld wird benötigt."):
        assert fragment in page, fragment
    for row in range(3, 10):
        assert f"<td>{row}</td>" in page, row
    assert set(_guests(app)) == {"Schon Da"}  # nothing of the file was stored


def test_unreadable_import_files_are_refused_with_a_message(app):
    _, client = officer_client(app)
    _new_event(client)
    no_name = _import(client, _csv(["Funktion;Rang", "Botschafter;3"]), "x.csv").get_data(as_text=True)
    assert "Die Spalte „Name“ fehlt in der ersten Zeile." in no_name
    header_only = _import(client, _csv([HEADER]), "x.csv").get_data(as_text=True)
    assert "keine Datenzeilen" in header_only
    fake_xlsx = _import(client, b"PK\x03\x04 kaputt", "x.xlsx").get_data(as_text=True)
    assert "nicht als Excel-Arbeitsmappe" in fake_xlsx
    assert _guests(app) == {}


def test_an_xlsx_guest_list_and_the_downloadable_template(app):
    _, client = officer_client(app)
    _new_event(client)
    template = client.get("/events/guest-import-template.xlsx")
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.data)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Name", "Anrede", "Funktion"] and "Begleitpersonen" in headers
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append(["Excel Gast", "Herr", "Konsul", None, "Presse", 40, datetime(2023, 4, 1), None, "de", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "1 Gast importiert." in _import(client, buffer.getvalue(), "liste.xlsx").get_data(as_text=True)
    guest = _guests(app)["Excel Gast"]
    assert (guest.category, guest.rank, guest.companions_allowed, str(guest.in_office_since)) == \
        ("press", 40, 2, "2023-04-01")


def test_a_closed_event_takes_no_import(app):
    _, client = officer_client(app)
    _new_event(client)
    with app.app_context():
        db.session.scalar(sa.select(Event)).state = "closed"
        db.session.commit()
    assert client.get(f"{DETAIL}/guests/import").status_code == 403


def test_a_long_guest_list_pages_by_precedence_and_can_be_searched_and_filtered(app):
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc

    _, client = officer_client(app)
    _new_event(client)
    with app.app_context():
        event, actor = db.session.scalar(sa.select(Event)), db.session.scalar(sa.select(User))
        for i in range(30):
            add_adhoc(event, actor=actor, name=f"Gast {i:02d}", rank=100 + i,
                      organisation="Botschaft Chile" if i == 27 else None).status = \
                "declined" if i % 10 == 0 else "listed"
        db.session.commit()
    first = client.get(DETAIL).get_data(as_text=True)
    assert 'data-testid="guest-count">30<' in first and "Gast 00" in first and "Gast 29" not in first
    assert "Seite 1 von 2" in first
    second = client.get(f"{DETAIL}?page=2").get_data(as_text=True)
    assert "Gast 29" in second and "<td>30</td>" in second  # place 30 in the order of precedence
    found = client.get(f"{DETAIL}?q=chile").get_data(as_text=True).split('data-testid="guest-list"')[1]
    assert "Gast 27" in found and "Gast 26" not in found
    declined = client.get(f"{DETAIL}?status=declined").get_data(as_text=True).split('data-testid="guest-list"')[1]
    assert [n for n in ("Gast 00", "Gast 10", "Gast 20", "Gast 01") if n in declined] == ["Gast 00", "Gast 10",
                                                                                             "Gast 20"]


def test_a_guests_replies_are_steps_of_its_process_with_the_history_to_show(app):
    from protocol_app.core import workflow
    from protocol_app.events.workflow import GUEST_WORKFLOW
    from tests.event_support import answer_invitation, invited_guests

    _, client = officer_client(app)
    tokens = invited_guests(app, client, capacity="2")  # "Erste Person" may bring a companion
    answer_invitation(app, tokens["Erste Person"], "accept", companion="Begleitung")
    answer_invitation(app, tokens["Zweite Person"], "accept")  # full: waiting list
    answer_invitation(app, tokens["Erste Person"], "decline")  # frees two places: the second moves up
    with app.app_context():
        guests = {g.name: g for g in db.session.scalars(sa.select(Guest))}
        second = [(h.action, h.to_state, h.actor_id) for h in workflow.history(GUEST_WORKFLOW, guests["Zweite Person"].id)]
        first = [(h.action, h.to_state) for h in workflow.history(GUEST_WORKFLOW, guests["Erste Person"].id)]
    assert first == [("create", "listed"), ("invite", "invited"), ("accept", "accepted"), ("decline", "declined")]
    assert [(a, s) for a, s, _ in second] == [("create", "listed"), ("invite", "invited"), ("wait", "waiting"),
                                              ("move_up", "accepted")]
    assert second[2][2] is None  # answered through the personal link, by no account


def test_a_guest_list_longer_than_the_room_holds_is_pointed_out(app):
    _, client = officer_client(app)
    _new_event(client, capacity="3")
    for name, companions in (("Erster Gast", "1"), ("Zweiter Gast", "0")):
        page = post(client, f"{DETAIL}/guests/new", {"name": name, "rank": "10", "companions": companions, "language": "de", "category": "other"},
                    follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="over-capacity"' not in page  # three places for three seats
    page = post(client, f"{DETAIL}/guests/new", {"name": "Dritter Gast", "rank": "10", "companions": "0", "language": "de", "category": "other"},
                follow_redirects=True).get_data(as_text=True)
    warning = "Die Gästeliste sieht 4 Plätze vor, 1 mehr als die 3 Plätze der Veranstaltung"
    assert page.count(warning) == 2  # the message after adding, and the notice on the list
    assert len(_guests(app)) == 3  # a warning, not a refusal: some will decline


def test_the_import_takes_the_category_names_the_app_shows_and_leaves_out_the_example_row(app):
    _, client = officer_client(app)
    _new_event(client)
    template = client.get("/events/guest-import-template.csv").get_data(as_text=True)
    example = template.splitlines()[1]  # the template's example, left in the file by the office
    response = _import(client, _csv([
        HEADER, example,
        "Hanna Ehren;;;;Ehrenbürgerinnen und Ehrenbürger;;;;;",
        "Dan Diplomat;;;;Diplomatic corps;;;;;",
    ]), "gaeste.csv").get_data(as_text=True)
    assert "2 Gäste importiert." in response
    guests = _guests(app)
    assert set(guests) == {"Hanna Ehren", "Dan Diplomat"}
    assert (guests["Hanna Ehren"].category, guests["Dan Diplomat"].category) == ("honorary_citizens",
                                                                                 "diplomatic_corps")


def test_month_13_is_a_message_and_notes_may_say_less_and_more_than(app):
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    page = post(admin, "/events/occasion-templates/new", {"name": "Gedenktag", "kind": "commemoration",
                                                          "month": "13", "day": "31", "start_time": "10:00",
                                                          "duration_minutes": "60", "venue_id": "0",
                                                          "checklist_template_id": "0"})
    assert page.status_code == 200 and "Bitte einen Monat von 1 bis 12 eingeben." in page.get_data(as_text=True)
    _, client = officer_client(app)
    _new_event(client)
    notes = "Einlass < 18 Uhr, Gäste > 100"
    done = post(client, f"{DETAIL}/programme/new", {
        "title": "Empfang", "starts_at": "2027-01-20T18:00", "ends_at": "2027-01-20T19:00", "venue_id": "0",
        "dress_code": "none", "press": "none", "notes": notes})
    assert done.status_code == 302
    with app.app_context():
        from protocol_app.events.models import EventProgrammeItem

        assert db.session.scalar(sa.select(EventProgrammeItem.notes)) == notes
    shown = client.get(f"{DETAIL}/programme/{_item_id(app)}").get_data(as_text=True)
    assert "Einlass &lt; 18 Uhr, Gäste &gt; 100" in shown  # escaped where it is shown
    refused = post(client, f"{DETAIL}/programme/new", {
        "title": "<b>Empfang</b>", "starts_at": "2027-01-20T18:00", "ends_at": "2027-01-20T19:00",
        "venue_id": "0", "dress_code": "none", "press": "none"}).get_data(as_text=True)
    assert "reinen Text ohne HTML-Tags" in refused


def _item_id(app):
    with app.app_context():
        from protocol_app.events.models import EventProgrammeItem

        return db.session.scalar(sa.select(EventProgrammeItem.id))
