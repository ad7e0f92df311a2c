"""Programme with conflict warnings, delegation, gifts, attachments, checklist, print."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa

from protocol_app.core.audit import AuditEvent
from protocol_app.core.checklists.models import ChecklistTemplate, Task
from protocol_app.directory.models import Venue
from protocol_app.extensions import db
from protocol_app.visits.models import Visit, VisitProgrammeItem
from tests.support import PDF, login, make_user, post
from tests.visit_support import make_visit, reference_data

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend


def _setup(app):
    data = reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    client = app.test_client()
    login(client, "referent@example.org")
    ref = make_visit(app, uid)
    with app.app_context():
        data["venue_id"] = db.session.scalar(sa.select(Venue.id).where(Venue.name == "Wappensaal"))
    return uid, client, ref, data


def _item_form(**overrides):
    data = {"title": "Empfang im Wappensaal", "starts_at": "2027-03-10T12:00", "ends_at": "2027-03-10T13:00",
            "venue_id": "0", "dress_code": "business", "press": "open", "interpreter_mode": ""}
    data.update(overrides)
    return data


def _add_item(client, ref, **overrides):
    return post(client, f"/visits/{ref}/programme/new", _item_form(**overrides))


def test_programme_item_is_saved_and_shown(app):
    _, client, ref, data = _setup(app)
    response = _add_item(client, ref, venue_id=str(data["venue_id"]), golden_book="y",
                         host_ids=str(data["host_id"]), interpreter_needed="y",
                         interpreter_language="fr", interpreter_mode="consecutive")
    assert response.status_code == 302
    page = client.get(f"/visits/{ref}").get_data(as_text=True)
    assert "Empfang im Wappensaal" in page and "Goldenes Buch" in page and "Konsekutiv" in page
    printed = client.get(f"/visits/{ref}/print").get_data(as_text=True)
    assert "12:00 – 13:00" in printed and "Eintragung in das Goldene Buch der Stadt Berlin" in printed


def test_programme_item_outside_the_visit_or_ending_before_start_is_refused(app):
    _, client, ref, _ = _setup(app)
    page = _add_item(client, ref, starts_at="2027-03-14T12:00", ends_at="2027-03-14T13:00").get_data(as_text=True)
    assert "muss zwischen dem 10.03.2027 und dem 12.03.2027 liegen" in page
    page = _add_item(client, ref, ends_at="2027-03-10T11:00").get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen." in page
    page = _add_item(client, ref, interpreter_needed="y", interpreter_language="").get_data(as_text=True)
    assert "Bitte wählen Sie die Sprache der Dolmetschung." in page
    page = _add_item(client, ref, interpreter_needed="y", interpreter_language="xx").get_data(as_text=True)
    assert "Bitte wählen Sie die Sprache aus der Liste." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProgrammeItem.id))) == 0


def test_overlapping_venue_warns_with_link_and_saves_only_with_a_reason(app):
    uid, client, ref, data = _setup(app)
    other = make_visit(app, uid, title="Delegation aus Tokio", country_code="JP")
    _add_item(client, other, title="Gespräch Tokio", venue_id=str(data["venue_id"]),
              starts_at="2027-03-10T12:30", ends_at="2027-03-10T14:00")
    response = _add_item(client, ref, venue_id=str(data["venue_id"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mögliche Doppelbelegung" in page and "Gleicher Veranstaltungsort" in page
    assert f'href="/visits/{other}#item-' in page and "Gespräch Tokio" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProgrammeItem.id))) == 1
    response = _add_item(client, ref, venue_id=str(data["venue_id"]),
                         conflict_reason="Saal wird geteilt, abgestimmt mit Frau X")
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(VisitProgrammeItem).where(VisitProgrammeItem.title == "Empfang im Wappensaal"))
        assert item.conflict_reason == "Saal wird geteilt, abgestimmt mit Frau X"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "visit.programme_create",
                                                              AuditEvent.object_id == str(item.id)))
        assert "conflict" in event.summary


def test_same_host_and_same_officer_are_conflicts_too(app):
    uid, client, ref, data = _setup(app)
    other = make_visit(app, uid, title="Zweiter Besuch")
    _add_item(client, other, title="Termin mit RBm", host_ids=str(data["host_id"]))
    page = _add_item(client, ref, host_ids=str(data["host_id"])).get_data(as_text=True)
    assert "Gleiche/r Gastgeber/in" in page and "Gleiche Federführung" in page
    # A cancelled visit no longer occupies anyone.
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit).where(Visit.title == "Zweiter Besuch"))
        from protocol_app.auth.models import User
        from protocol_app.visits.services import move_visit

        move_visit(visit, "cancel", actor=db.session.get(User, uid), comment="abgesagt")
        db.session.commit()
    assert _add_item(client, ref, host_ids=str(data["host_id"])).status_code == 302


def test_changing_visit_dates_cannot_strand_programme_items(app):
    _, client, ref, _ = _setup(app)
    _add_item(client, ref)
    from tests.visit_support import visit_form

    data = visit_form(arrival_at="2027-03-11T09:00", departure_at="2027-03-12T17:00", version="1")
    page = post(client, f"/visits/{ref}/edit", data).get_data(as_text=True)
    assert "läge außerhalb der neuen Besuchsdaten" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Visit.arrival_at)).day == 10


def test_delegation_members_are_listed_by_precedence(app):
    _, client, ref, _ = _setup(app)
    post(client, f"/visits/{ref}/delegation", {"name": "Zweiter Gast", "precedence": "2"})
    post(client, f"/visits/{ref}/delegation", {"name": "Delegationsleiterin", "precedence": "1",
                                               "function": "Stellv. Bürgermeisterin"})
    page = client.get(f"/visits/{ref}").get_data(as_text=True)
    assert page.index("Delegationsleiterin") < page.index("Zweiter Gast")
    bad = post(client, f"/visits/{ref}/delegation", {"name": "X", "precedence": "0"}, follow_redirects=True).get_data(as_text=True)
    assert "Bitte geben Sie eine Zahl von 1 bis 999 ein." in bad


def test_checklist_creates_dated_tasks_once_and_tasks_can_be_ticked(app):
    uid, client, ref, _ = _setup(app)
    with app.app_context():
        template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.name == "Besuch – Standard"))
        template_id = template.id
    post(client, f"/visits/{ref}/checklist", {"template_id": str(template_id)})
    post(client, f"/visits/{ref}/checklist", {"template_id": str(template_id)})
    with app.app_context():
        tasks = {t.title: t for t in db.session.scalars(sa.select(Task))}
        assert len(tasks) == 5
        assert tasks["Flaggen bestellen"].due_on == date(2027, 2, 28)  # 10 days before 10 March
        assert tasks["Dankschreiben"].due_on == date(2027, 3, 15)  # 3 days after 12 March
        assert tasks["Flaggen bestellen"].owner_id == uid  # no deputy: the responsible officer
        flag_id = tasks["Flaggen bestellen"].id
    post(client, f"/visits/{ref}/tasks/{flag_id}/done", {"done": "1"})
    with app.app_context():
        assert db.session.get(Task, flag_id).done_at is not None
    post(client, f"/visits/{ref}/tasks", {"title": "Blumenschmuck", "due_on": "2027-03-09", "owner_id": str(uid)})
    page = client.get(f"/visits/{ref}").get_data(as_text=True)
    assert "Blumenschmuck" in page and "<s>Flaggen bestellen</s>" in page


def test_task_reassignment_with_a_stale_form_is_refused(app):
    uid, client, ref, _ = _setup(app)
    other = make_user(app, "zweite@example.org", roles=["officer"], name="Zweite Referentin")
    post(client, f"/visits/{ref}/tasks", {"title": "Blumen", "due_on": "2027-03-09", "owner_id": str(uid)})
    with app.app_context():
        task_id = db.session.scalar(sa.select(Task.id))
    url = f"/visits/{ref}/tasks/{task_id}"
    assert post(client, url, {"title": "Blumen", "due_on": "2027-03-08", "owner_id": str(other), "version": "1"}).status_code == 302
    page = post(client, url, {"title": "Blumen", "due_on": "2027-03-07", "owner_id": str(uid), "version": "1"}).get_data(as_text=True)
    assert "inzwischen geändert" in page
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.owner_id == other and task.due_on == date(2027, 3, 8)


def test_gifts_and_the_yearly_register(app):
    _, client, ref, _ = _setup(app)
    for description, value in (("Porzellanvase KPM", "350.00"), ("Bildband Paris", "45.50")):
        post(client, f"/visits/{ref}/gifts/new",
             {"direction": "given", "description": description, "giver": "Regierender Bürgermeister",
              "recipient": "Bürgermeisterin von Paris", "estimated_value": value})
    bad = post(client, f"/visits/{ref}/gifts/new",
               {"direction": "given", "description": "X", "giver": "A", "recipient": "B", "estimated_value": "-5"}).get_data(as_text=True)
    assert "Bitte geben Sie einen Wert ab 0 ein." in bad
    page = client.get("/visits/gifts?year=2027").get_data(as_text=True)
    assert "Porzellanvase KPM" in page and 'data-testid="gift-total">395,50\xa0€<' in page
    assert "keine Geschenke erfasst" in client.get("/visits/gifts?year=2026").get_data(as_text=True)


def test_the_gifts_register_is_exported_for_the_yearly_compliance_report(app):
    from openpyxl import load_workbook

    _, client, ref, _ = _setup(app)
    post(client, f"/visits/{ref}/gifts/new",
         {"direction": "received", "description": "Bildband Paris", "giver": "Bürgermeisterin von Paris",
          "recipient": "Regierender Bürgermeister", "estimated_value": "45.50", "kept_at": "Protokoll, Schrank 2"})
    page = client.get("/visits/gifts?year=2027").get_data(as_text=True)
    assert "/visits/gifts.xlsx?year=2027" in page and "/visits/gifts.csv?year=2027" in page
    sheet = load_workbook(io.BytesIO(client.get("/visits/gifts.xlsx?year=2027").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Besuch" and "Geschätzter Wert (EUR)" in rows[0]
    assert rows[1][0] == ref and rows[1][4] == "Bildband Paris" and rows[1][7] == 45.5
    assert rows[1][8] == "Protokoll, Schrank 2" and rows[1][3] == "Erhalten"
    csv_text = client.get("/visits/gifts.csv?year=2027").data.decode("utf-8-sig")
    assert "Bildband Paris" in csv_text and ref in csv_text
    assert client.get("/visits/gifts.pdf?year=2027").status_code == 404




def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    return buffer.getvalue()


def _upload(client, ref, name, data):
    return post(client, f"/visits/{ref}/attachments",
                {"file": (io.BytesIO(data), name), "description": "Einladung"}, content_type="multipart/form-data", follow_redirects=True)


def test_attachments_are_checked_by_content_and_served_only_to_readers(app):
    _, client, ref, _ = _setup(app)
    assert "Die Datei wurde angehängt." in _upload(client, ref, "einladung.pdf", PDF).get_data(as_text=True)
    assert "Die Datei wurde angehängt." in _upload(client, ref, "biografie.docx", _docx()).get_data(as_text=True)
    fake = _upload(client, ref, "falsch.pdf", b"<html>no pdf</html>").get_data(as_text=True)
    assert "Es werden nur PDF-, Word- (DOCX), PNG- und JPEG-Dateien angenommen" in fake
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        attachment = visit.attachments[0]
        path, attachment_id = attachment.file.path, attachment.id
        assert "static" not in str(path) and path.exists()
    download = client.get(f"/visits/{ref}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    assert "einladung.pdf" in download.headers["Content-Disposition"]
    make_user(app, "t@example.org", roles=["translator"])
    translator = app.test_client()
    login(translator, "t@example.org")
    assert translator.get(f"/visits/{ref}/attachments/{attachment_id}").status_code == 403
    post(client, f"/visits/{ref}/attachments/{attachment_id}/delete", {})
    assert not path.exists()


def test_oversized_upload_gets_the_german_413_page_and_stores_nothing(app):
    _, client, ref, _ = _setup(app)
    big = PDF + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = post(client, f"/visits/{ref}/attachments", {"file": (io.BytesIO(big), "gross.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Datei zu groß" in response.get_data(as_text=True)
    limit = app.config["MAX_UPLOAD_FILE_MB"] * 1024 * 1024
    just_over = PDF + b"0" * limit
    page = _upload(client, ref, "gross.pdf", just_over).get_data(as_text=True)
    assert "Die Datei ist größer als 20 MB." in page
    with app.app_context():
        assert db.session.scalar(sa.select(Visit)).attachments == []


def test_programme_prints_in_german_and_english_and_as_pdf(app):
    _, client, ref, _ = _setup(app)
    _add_item(client, ref, golden_book="y")
    german = client.get(f"/visits/{ref}/print?lang=de").get_data(as_text=True)
    english = client.get(f"/visits/{ref}/print?lang=en").get_data(as_text=True)
    assert "Programm" in german and "Mittwoch" in german and "Eintragung in das Goldene Buch" in german
    assert "Programme" in english and "Wednesday" in english and "Golden Book of Berlin" in english
    pdf = client.get(f"/visits/{ref}/programme.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Empfang im Wappensaal" in text and "Wednesday" in text


def test_the_programme_prints_in_english_with_host_press_interpreter_and_travel(app):
    _, client, ref, data = _setup(app)
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        visit.hotel, visit.arrival_place = "Hotel Adlon", "Flughafen BER"
        db.session.commit()
    _add_item(client, ref, title_en="Reception in the Hall of Arms", host_ids=str(data["host_id"]),
              interpreter_needed="y", interpreter_language="fr", interpreter_mode="consecutive")
    german = client.get(f"/visits/{ref}/print?lang=de").get_data(as_text=True)
    english = client.get(f"/visits/{ref}/print?lang=en").get_data(as_text=True)
    assert "Empfang im Wappensaal" in german and "Reception in the Hall of Arms" not in german
    assert "Reception in the Hall of Arms" in english and "Empfang im Wappensaal" not in english
    for page, host, press, interpreter, french in ((german, "Gastgeber", "Presse", "Dolmetschung", "Französisch"),
                                                   (english, "Host", "Press", "Interpreter", "French")):
        assert host in page and press in page and interpreter in page and french in page
        assert "Hotel Adlon" in page and "Flughafen BER" in page
    pdf = client.get(f"/visits/{ref}/programme.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_recurring_delegations_visit_is_copied_with_programme_delegation_and_checklist(app):
    from protocol_app.auth.models import User
    from protocol_app.core.checklists import services as checklists

    uid, client, ref, data = _setup(app)
    _add_item(client, ref, host_ids=str(data["host_id"]))
    post(client, f"/visits/{ref}/delegation", {"name": "Anne Hidalgo", "function": "Maire de Paris", "precedence": "1"})
    with app.app_context():
        original = db.session.scalar(sa.select(Visit))
        checklists.add_task(scope="visit", subject_id=original.id, title="Gastgeschenk wählen",
                            due_on=date(2027, 3, 1), owner_id=uid, actor=db.session.get(User, uid))
        db.session.commit()
        original_id, arrival = original.id, original.arrival_at
    past = post(client, f"/visits/{ref}/copy", {"arrival_at": "2020-03-10T10:00"}, follow_redirects=True)
    assert "Die Ankunft der Kopie muss in der Zukunft liegen." in past.get_data(as_text=True)
    done = post(client, f"/visits/{ref}/copy", {"arrival_at": "2028-03-10T10:00"}, follow_redirects=True)
    assert f"Besuch {ref} wurde nach V-2028-0001 kopiert." in done.get_data(as_text=True)
    with app.app_context():
        copy = db.session.scalar(sa.select(Visit).where(Visit.id != original_id))
        shift = copy.arrival_at - arrival
        assert copy.state == "requested" and copy.reference == "V-2028-0001"
        assert [i.title for i in copy.programme] == ["Empfang im Wappensaal"]
        assert copy.programme[0].starts_at - db.session.get(Visit, original_id).programme[0].starts_at == shift
        assert [h.id for h in copy.programme[0].hosts] == [data["host_id"]]
        assert [m.name for m in copy.delegation] == ["Anne Hidalgo"]
        task = db.session.scalar(sa.select(Task).where(Task.subject_id == copy.id))
        assert task.title == "Gastgeschenk wählen" and task.done_at is None and task.due_on.year == 2028
        assert db.session.get(Visit, original_id).state == "requested"  # the original is untouched
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "visit.copied")) is not None


def test_an_item_posted_from_a_page_opened_before_the_visit_was_cancelled_says_what_changed(app):
    """The form was open while a colleague cancelled the visit: 409 "changed meanwhile" with the
    reason in words (not a bare refusal), and nothing is stored."""
    _, client, ref, _data = _setup(app)
    with app.app_context():
        db.session.scalar(sa.select(Visit)).state = "cancelled"
        db.session.commit()
    answer = _add_item(client, ref)
    assert answer.status_code == 409
    assert "Dieser Besuch wurde inzwischen abgesagt oder abgeschlossen" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProgrammeItem.id))) == 0
