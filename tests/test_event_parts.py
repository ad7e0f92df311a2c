"""Events share the attachments and checklists of visits (core.record_parts), and seat
couples side by side."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from protocol_app.core.checklists.models import ChecklistTemplate, Task
from protocol_app.events.models import Event, Guest
from protocol_app.extensions import db
from tests.event_support import event_form, officer_client, seat_of
from tests.support import PDF, login, make_user, post

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend

DETAIL = "/events/E-2027-0001"


def _upload(client, data, name):
    return post(client, f"{DETAIL}/attachments", {"file": (io.BytesIO(data), name), "description": "Ablauf"}, content_type="multipart/form-data", follow_redirects=True)


def test_event_attachments_upload_download_and_delete(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    page = _upload(client, PDF, "ablauf.pdf").get_data(as_text=True)
    assert "ablauf.pdf" in page
    refused = _upload(client, b"MZ\x90\x00 kein pdf", "virus.pdf").get_data(as_text=True)
    assert "Es werden nur PDF-, Word- (DOCX), PNG- und JPEG-Dateien angenommen" in refused
    from protocol_app.events.models import EventAttachment

    with app.app_context():
        attachment_id = db.session.scalar(sa.select(EventAttachment.id))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EventAttachment)) == 1
    make_user(app, "leser@example.org", roles=["viewer"])
    reader = app.test_client()
    login(reader, "leser@example.org")
    download = reader.get(f"{DETAIL}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    assert post(reader, f"{DETAIL}/attachments/{attachment_id}/delete", {}).status_code == 403
    # An attachment of one event cannot be fetched through another.
    post(client, "/events/new", event_form(title="Zweite"))
    assert client.get(f"/events/E-2027-0002/attachments/{attachment_id}").status_code == 404
    post(client, f"{DETAIL}/attachments/{attachment_id}/delete", {})
    with app.app_context():
        assert db.session.get(EventAttachment, attachment_id) is None
        actions = set(db.session.scalars(sa.text("SELECT action FROM audit_events")))
    assert {"event.attachment_add", "event.attachment_remove"} <= actions


def test_event_checklist_from_an_event_template_with_dated_tasks(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    with app.app_context():
        template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.name == "Veranstaltung – Standard"))
        visit_template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.scope == "visit"))
        template_id, visit_template_id = template.id, visit_template.id
    page = client.get(DETAIL).get_data(as_text=True)
    assert "Veranstaltung – Standard" in page and "Besuch – Standard" not in page  # only event templates
    post(client, f"{DETAIL}/checklist", {"template_id": str(template_id)})
    wrong = post(client, f"{DETAIL}/checklist", {"template_id": str(visit_template_id)},
                 follow_redirects=True).get_data(as_text=True)
    assert "Diese Checkliste passt nicht zu diesem Datensatz." in wrong
    with app.app_context():
        tasks = {t.title: t for t in db.session.scalars(sa.select(Task).where(Task.scope == "event"))}
    # The event starts on 20 January 2027; "Einladungen versenden" is due 35 days before.
    assert str(tasks["Einladungen versenden"].due_on) == "2026-12-16"
    task_id = tasks["Einladungen versenden"].id
    post(client, f"{DETAIL}/tasks/{task_id}/done", {"done": "1"})
    with app.app_context():
        assert db.session.get(Task, task_id).done_at is not None
    post(client, f"{DETAIL}/tasks", {"title": "Blumenschmuck", "due_on": "2027-01-18", "owner_id": "0"})
    assert "Blumenschmuck" in client.get(DETAIL).get_data(as_text=True)
    with app.app_context():
        db.session.scalar(sa.select(Event)).state = "closed"
        db.session.commit()
    assert post(client, f"{DETAIL}/tasks/{task_id}/done", {"done": "0"}).status_code == 403


def test_admins_make_checklists_for_events_as_well_as_visits(app):
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    post(admin, "/admin/checklists", {"name": "Kranzniederlegung Spezial", "applies_to": "event:wreath_laying"})
    with app.app_context():
        made = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.name == "Kranzniederlegung Spezial"))
        assert (made.scope, made.kind) == ("event", "wreath_laying")
    assert "Veranstaltungen · Kranzniederlegung" in admin.get("/admin/checklists").get_data(as_text=True)


def _couple_event(app, client, *, seats=4, together=True):
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc

    post(client, "/events/new", event_form())
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.scalar(sa.select(User))
        for name, rank, companion in (("Rang 1", 1, None), ("Paar", 2, "Partnerin"), ("Rang 3", 3, None)):
            guest = add_adhoc(event, actor=actor, name=name, rank=rank, companions=1 if companion else 0)
            guest.status, guest.companion_name = "accepted", companion
            guest.seat_companion_together = together
        db.session.commit()
    page = f"{DETAIL}/seating"
    post(client, page, {"action": "tables", "count": "2", "seats": str(seats)})
    post(client, page, {"action": "propose"})
    return page


def test_couples_sit_side_by_side_and_the_companion_gets_a_place_card(app):
    _, client = officer_client(app)
    page = _couple_event(app, client)
    # Host's table of four: Rang 1 on the host's right (1); the couple next takes the host's
    # left (4) with the companion beside, further from the host (3); Rang 3 the last seat (2).
    assert seat_of(app, "Rang 1") == (1, 1)
    assert seat_of(app, "Paar") == (1, 4) and seat_of(app, "Paar", companion=True) == (1, 3)
    assert seat_of(app, "Rang 3") == (1, 2)
    assert "Begleitung von Paar" in client.get(page).get_data(as_text=True)
    from pypdf import PdfReader

    cards = PdfReader(io.BytesIO(client.get(f"{DETAIL}/seating/place-cards.pdf").data))
    text = "\n".join(p.extract_text() for p in cards.pages)
    assert "Partnerin" in text and "Paar" in text


def test_companion_moves_and_is_unseated_when_no_longer_coming(app):
    _, client = officer_client(app)
    page = _couple_event(app, client)
    with app.app_context():
        couple_id = db.session.scalar(sa.select(Guest.id).where(Guest.name == "Paar"))
    post(client, page, {"action": "move", "guest_id": f"{couple_id}:companion", "table": "2", "seat": "1"})
    assert seat_of(app, "Paar", companion=True) == (2, 1) and seat_of(app, "Paar") == (1, 4)
    taken = post(client, page, {"action": "move", "guest_id": f"{couple_id}:companion", "table": "1", "seat": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Dieser Platz ist bereits vergeben." in taken
    # The guest now comes alone (a phone call): the companion's seat is freed at once.
    post(client, f"{DETAIL}/guests/{couple_id}/reply", {"answer": "accept", "channel": "phone", "companion": ""})
    assert seat_of(app, "Paar", companion=True) is None and seat_of(app, "Paar") == (1, 4)


def test_couples_who_do_not_wish_to_sit_together_are_seated_by_rank(app):
    _, client = officer_client(app)
    _couple_event(app, client, together=False)
    assert seat_of(app, "Paar") == (1, 4)
    assert seat_of(app, "Rang 3") == (1, 2)
    assert seat_of(app, "Paar", companion=True) == (2, 3)  # the least honoured seat left
