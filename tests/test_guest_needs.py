"""What a reception needs to know of its guests, asked at the reply: the office chooses the
questions per event, the guest answers, the event's staff read the answers (every showing
logged), the caterer gets numbers without names, and the answers go with the retention."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.core.reminders.services import run_all_rules
from protocol_app.events.models import Event, Guest
from protocol_app.extensions import db
from tests.event_support import event_form, guest_status, invited_guests, officer_client
from tests.support import audit_events, login, make_user, post

ASKED = {"reply_questions": ["diet", "access", "language"], "reply_required": ["diet"]}


def _ask(app, client, **questions) -> str:
    """The event of `invited_guests` asking the questions; returns its reference."""
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        reference, version = event.reference, event.version
    answer = post(client, f"/events/{reference}/edit", {**event_form(capacity="3", reply_by="2027-01-10"),
                                                        "version": str(version), **(questions or ASKED)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return reference


def _reply(app, token, **data):
    guest = app.test_client()
    return post(guest, f"/events/reply/{token}", {"answer": "accept", **data})


def _sealed(app, name) -> str | None:
    with app.app_context():
        return db.session.scalar(sa.select(Guest.needs_sealed).where(Guest.name == name))


def test_a_guest_answers_the_events_questions_and_only_the_staff_read_them(app):
    _uid, officer = officer_client(app)
    tokens = invited_guests(app, officer)
    reference = _ask(app, officer)
    page = app.test_client().get(f"/events/reply/{tokens['Erste Person']}").get_data(as_text=True)
    assert "Ernährung" in page and "Induktionsschleife" in page and "Die Sprache, die Sie sprechen" in page

    # Accepting without the required answer is refused with its reason, and nothing changes.
    refused = _reply(app, tokens["Erste Person"]).get_data(as_text=True)
    assert "Bitte beantworten Sie diese Frage." in refused and guest_status(app, "Erste Person") == "invited"

    assert _reply(app, tokens["Erste Person"], diet="vegan", diet_note="Nussallergie", access=["wheelchair"],
                  conversation_language="fr").status_code == 200
    assert guest_status(app, "Erste Person") == "accepted"
    sealed = _sealed(app, "Erste Person")
    assert sealed and "vegan" not in sealed and "Nuss" not in sealed  # kept sealed in the database
    # Declining asks nothing.
    _reply(app, tokens["Zweite Person"], answer="decline")
    assert guest_status(app, "Zweite Person") == "declined" and _sealed(app, "Zweite Person") is None

    staff_view = officer.get(f"/events/{reference}").get_data(as_text=True)
    assert "Vegan · Rollstuhlgerechter Zugang · Nussallergie" in staff_view and "spricht Französisch" in staff_view
    for page in (f"/events/{reference}/seating", f"/events/{reference}/checkin"):
        assert "Nussallergie" in officer.get(page).get_data(as_text=True), page
    assert len(audit_events(app, "event.needs_read")) == 3

    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    read_only = viewer.get(f"/events/{reference}").get_data(as_text=True)
    assert "Erste Person" in read_only and "spricht Französisch" in read_only
    assert "Nussallergie" not in read_only and "Vegan" not in read_only
    assert viewer.get(f"/events/{reference}/caterer.xlsx").status_code == 403
    assert len(audit_events(app, "event.needs_read")) == 3  # nothing shown, nothing logged


def test_the_caterer_gets_numbers_and_notes_without_names(app):
    _uid, officer = officer_client(app)
    tokens = invited_guests(app, officer)
    reference = _ask(app, officer)
    _reply(app, tokens["Erste Person"], diet="vegan", diet_note="Nussallergie", companion="Begleitung Eins")
    _reply(app, tokens["Zweite Person"], diet="vegan")
    _reply(app, tokens["Dritte Person"], diet="none")
    download = officer.get(f"/events/{reference}/caterer.xlsx")
    assert download.status_code == 200
    rows = [tuple(r) for r in load_workbook(io.BytesIO(download.data)).active.iter_rows(values_only=True)]
    # Capacity 3: the first with a companion and the second come, the third waits.
    assert ("Erwartete Gäste (mit Begleitung)", 3) in rows and ("Vegan", 2) in rows and ("Hinweis", "Nussallergie") in rows
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "Person" not in flat and "Begleitung Eins" not in flat
    assert [e.summary for e in audit_events(app, "event.export")] == [reference]


def test_a_required_question_must_be_asked(app):
    _uid, officer = officer_client(app)
    invited_guests(app, officer)
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        reference, version = event.reference, event.version
    page = post(officer, f"/events/{reference}/edit", {**event_form(capacity="3", reply_by="2027-01-10"),
                                                       "version": str(version), "reply_questions": ["access"],
                                                       "reply_required": ["diet"]}).get_data(as_text=True)
    assert "Eine Frage kann nur Pflicht sein, wenn sie gestellt wird." in page
    with app.app_context():
        assert db.session.scalar(sa.select(Event.reply_questions)) is None


def test_the_answers_go_with_the_retention_and_the_guest_stays(app):
    _uid, officer = officer_client(app)
    tokens = invited_guests(app, officer)
    _ask(app, officer)
    _reply(app, tokens["Erste Person"], diet="halal", conversation_language="ar")
    with time_machine.travel(datetime(2027, 2, 10, 8, tzinfo=UTC), tick=False), app.app_context():
        run_all_rules()  # 20 days after the event: kept
        db.session.commit()
    assert _sealed(app, "Erste Person")
    with time_machine.travel(datetime(2027, 2, 25, 8, tzinfo=UTC), tick=False), app.app_context():
        run_all_rules()
        db.session.commit()
    with app.app_context():
        guest = db.session.scalar(sa.select(Guest).where(Guest.name == "Erste Person"))
        assert guest.needs_sealed is None and guest.conversation_language is None and guest.needs_erased_at
        assert guest.status == "accepted"
    assert [e.summary for e in audit_events(app, "event.needs_erased")] == ["1 guests"]
