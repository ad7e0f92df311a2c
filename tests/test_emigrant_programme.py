"""Emigrant programme, the week in Berlin: programme items with interpreter needs handed to the
Sprachendienst, the volunteer companion's programme link, proof documents with the shorter
retention, the confirmation letter with the programme, and the companion's date of birth
checked against the return date."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core.audit.models import AuditEvent
from protocol_app.core.errors import DomainError, ValidationFailed
from protocol_app.core.notifications.models import Notification, OutboxMail
from protocol_app.emigrants import letters, planning, programme, services
from protocol_app.emigrants.models import Application, ApplicationDocument, StayProgrammeItem
from protocol_app.extensions import db
from protocol_app.language_service import offers
from protocol_app.language_service.models import Assignment, TranslatorProfile
from tests.language_support import setup_translators, user_by_name
from tests.support import PDF, login, make_user, post, sweep_reminders_twice

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ARRIVAL = date(2027, 2, 15)  # a Monday; the week ends on 22 February


@pytest.fixture
def team(app):
    setup_translators(app)  # reference data, an officer and five translators
    make_user(app, "team@example.org", roles=["emigration"], name="Emil Team")
    client = app.test_client()
    login(client, "team@example.org")
    return client


def _values(**overrides):
    values = {"category": "emigrant", "name": "Ruth Schwarz", "birth_name": "Ruth Weiß",
              "birth_date": date(1931, 4, 2), "birth_place": "Berlin", "address": "12 Herzl St, Haifa",
              "country_code": "IL", "language": "en", "declaration_signed": True,
              "emigration": "1939 über Triest nach Haifa", "companion_name": "David Schwarz",
              "companion_relation": "son", "companion_birth_date": date(1960, 1, 1), "needs_medical": "Rollator"}
    values.update(overrides)
    return values


def _invited(app, **overrides) -> str:
    """An invited applicant with the week planned from ARRIVAL; returns the reference."""
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = user_by_name("Emil Team")
        application = services.create_application(actor=actor, values=_values(**overrides))
        application.state = "invited"  # the process itself is tested in test_emigrants
        planning.save_plan(application, actor=actor, arrives_on=ARRIVAL, hotel="Hotel am Park",
                           volunteer="Frau Ehrenamt", volunteer_email="ehrenamt@example.org")
        db.session.commit()
        return application.reference


def _application(reference) -> Application:
    return db.session.scalar(sa.select(Application).where(Application.number == int(reference[-4:])))


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 2, day, hour - 1, minute, tzinfo=UTC)  # CET is UTC+1 in February


def test_programme_items_lie_within_the_stay_and_bad_input_is_refused_in_german(app, team):
    reference = _invited(app)
    page = f"/emigrants/{reference}"
    added = post(team, f"{page}/programme", {"kind": "reception", "starts_at": "2027-02-16T11:00",
                                             "ends_at": "2027-02-16T12:30", "location": "Rotes Rathaus"}, follow_redirects=True).get_data(as_text=True)
    assert "Der Programmpunkt wurde hinzugefügt." in added
    assert "Empfang beim Regierenden Bürgermeister" in added and "Rotes Rathaus" in added
    outside = post(team, f"{page}/programme", {"kind": "free", "starts_at": "2027-03-01T10:00",
                                               "ends_at": "2027-03-01T18:00"},
                   follow_redirects=True).get_data(as_text=True)
    assert "Der Programmpunkt muss zwischen dem 15.02.2027 und dem 22.02.2027 liegen." in outside
    no_mode = post(team, f"{page}/programme", {"kind": "former_home", "starts_at": "2027-02-17T10:00",
                                               "ends_at": "2027-02-17T12:00", "interpreter_language": "he"}, follow_redirects=True).get_data(as_text=True)
    assert "Bitte simultan, konsekutiv oder Flüsterdolmetschen wählen." in no_mode
    backwards = post(team, f"{page}/programme", {"kind": "school", "starts_at": "2027-02-17T12:00",
                                                 "ends_at": "2027-02-17T10:00"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen." in backwards
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(StayProgrammeItem.id))) == 1
        # Moving the stay away from its programme is refused too.
        application = _application(reference)
        with pytest.raises(ValidationFailed, match="außerhalb der neuen Daten"):
            planning.save_plan(application, actor=user_by_name("Emil Team"), arrives_on=date(2027, 3, 1))
        assert planning.plan_of(application).arrives_on == ARRIVAL


def test_an_interpreter_need_goes_to_the_sprachendienst_by_reference_only_and_shows_who_is_booked(app, team):
    reference = _invited(app)
    page = f"/emigrants/{reference}"
    post(team, f"{page}/programme", {"kind": "former_home", "title": "Besuch in der Grolmanstraße 12",
                                     "starts_at": "2027-02-16T10:00", "ends_at": "2027-02-16T12:00",
                                     "location": "Grolmanstraße 12", "interpreter_language": "en",
                                     "interpreter_mode": "consecutive"})
    with app.app_context():
        item_id = db.session.scalar(sa.select(StayProgrammeItem.id))
    asked = post(team, f"{page}/programme/{item_id}/interpreting", {}, follow_redirects=True)
    again = post(team, f"{page}/programme/{item_id}/interpreting", {}, follow_redirects=True)
    assert "Der Sprachendienst wurde um eine Dolmetschung gebeten" in asked.get_data(as_text=True)
    assert "wurde bereits angefragt" in again.get_data(as_text=True)
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
        # Time, place, language and mode are taken over; the guest's name and story are not.
        assert assignment.title == "Emigrantenprogramm · Besuch des früheren Wohnhauses"
        assert (assignment.starts_at, assignment.ends_at) == (_berlin(16, 10), _berlin(16, 12))
        assert (assignment.language, assignment.mode, assignment.location) == ("en", "consecutive",
                                                                               "Grolmanstraße 12")
        assert assignment.officer_id is None  # the Sprachendienst takes it on
        text = f"{assignment.title}{assignment.notes}"
        for secret in ("Schwarz", "Haifa", "Rollator", "Grolmanstraße", reference):
            assert secret not in text, secret
        told = db.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == user_by_name("Rainer Referent").id)).all()
        assert told == [f"Das Emigrantenprogramm bittet um eine Dolmetschung: {assignment.reference}."]
        # An officer offers it; a translator accepts; the team sees who is booked.
        officer = user_by_name("Rainer Referent")
        profile = db.session.scalar(sa.select(TranslatorProfile).where(
            TranslatorProfile.user_id == user_by_name("Bruno Bilingual").id))
        offer = offers.make_offers(assignment, [profile.id], actor=officer)[0]
        offers.answer(offer, actor=user_by_name("Bruno Bilingual"), accept=True)
        db.session.commit()
        reference_s = assignment.reference
    shown = team.get(page).get_data(as_text=True)
    assert f"{reference_s}: gebucht: Bruno Bilingual" in " ".join(shown.split())
    # The Sprachendienst's officers find the request on their board and open it; the guest stays unnamed.
    officer_client = app.test_client()
    login(officer_client, "referent@example.org")
    assert reference_s in officer_client.get("/translations/").get_data(as_text=True)
    booking_page = officer_client.get(f"/translations/{reference_s}").get_data(as_text=True)
    assert "Emigrantenprogramm · Besuch des früheren Wohnhauses" in booking_page
    assert "Ruth" not in booking_page and reference not in booking_page
    # The booked item cannot be removed or change its language behind the Sprachendienst's back;
    # moved, it moves its booking and the interpreter is told.
    with time_machine.travel(NOW, tick=False), app.app_context():
        application, item = _application(reference), db.session.get(StayProgrammeItem, item_id)
        with pytest.raises(DomainError, match="Sprachendienst"):
            programme.delete_item(application, item, actor=user_by_name("Emil Team"))
        with pytest.raises(DomainError, match="Sprachendienst"):
            programme.save_item(application, actor=user_by_name("Emil Team"), kind="former_home",
                                starts_at=item.starts_at, ends_at=item.ends_at, interpreter_language="fr",
                                interpreter_mode="consecutive", item=item)
        programme.save_item(application, actor=user_by_name("Emil Team"), kind="former_home",
                            starts_at=_berlin(17, 10), ends_at=_berlin(17, 12), interpreter_language="en",
                            interpreter_mode="consecutive", location="Grolmanstraße 12", item=item)
        db.session.commit()
        booking = db.session.get(Assignment, item.assignment_id)
        assert (booking.starts_at, booking.ends_at) == (_berlin(17, 10), _berlin(17, 12))
        told = db.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == user_by_name("Bruno Bilingual").id)).all()
        assert any(f"{reference_s} wurde geändert" in m for m in told)


def test_the_companion_cannot_be_born_after_the_return_date(app, team):
    # A visit that took place before the app: the stay is entered late, from the file.
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = user_by_name("Emil Team")
        application = services.create_application(actor=actor, values=_values())
        application.state = "invited"
        planning.save_plan(application, actor=actor, arrives_on=date(2026, 10, 1))  # back on 8 October
        # A companion born after the return date (a slip of the pen: 1.11.2026 for 1.11.1966) is refused.
        with pytest.raises(ValidationFailed, match="liegt nach dem Rückreisedatum \\(08.10.2026\\)"):
            services.update_application(application, actor=actor, values=_values(
                companion_birth_date=date(2026, 11, 1)))
        db.session.refresh(application)
        assert application.companion_birth_date == date(1960, 1, 1)
        later = services.create_application(actor=actor, values=_values(
            name="Hanna Klein", birth_date=date(1932, 5, 5), companion_birth_date=date(2026, 11, 1)))
        later.state = "invited"
        # The other way round: the stay is planned after the companion was entered.
        with pytest.raises(ValidationFailed, match="nach dem Rückreisedatum"):
            planning.save_plan(later, actor=actor, arrives_on=date(2026, 10, 1))
        assert planning.plan_of(later) is None
        assert planning.save_plan(later, actor=actor, arrives_on=date(2026, 11, 2)).departs_on == date(2026, 11, 9)


def test_the_volunteer_gets_the_programme_three_days_ahead_by_a_link_without_names(app, team):
    reference = _invited(app)
    no_address = _invited(app, name="Hanna Klein", birth_date=date(1932, 5, 5))
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = user_by_name("Emil Team")
        for ref, volunteer_email in ((reference, "ehrenamt@example.org"), (no_address, None)):
            application = _application(ref)
            planning.save_plan(application, actor=actor, arrives_on=ARRIVAL, hotel="Hotel am Park",
                               volunteer="Frau Ehrenamt", volunteer_email=volunteer_email)
            programme.save_item(application, actor=actor, kind="reception", starts_at=_berlin(16, 11),
                                ends_at=_berlin(16, 12), location="Rotes Rathaus")
            application.state = "travel_booked"
        db.session.commit()
    sweep_reminders_twice(app, datetime(2027, 2, 11, 9, 0, tzinfo=UTC))  # four days ahead: nothing yet
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(
            OutboxMail.recipient == "ehrenamt@example.org")) == 0
    sweep_reminders_twice(app, datetime(2027, 2, 12, 9, 0, tzinfo=UTC))  # three days ahead
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient == "ehrenamt@example.org")).all()
        assert len(mails) == 1  # once, however often the sweep runs
        mail = mails[0]
        for secret in ("Ruth", "Schwarz", "Haifa", "Rollator", "Triest"):
            assert secret not in f"{mail.subject}{mail.body_text}", secret
        assert "15. Februar 2027" in mail.body_text
        link = next(word for word in mail.body_text.split() if "/emigrants/volunteer/" in word)
        # The team is told about the case without a volunteer address, by reference only.
        told = db.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == user_by_name("Emil Team").id)).all()
        assert any(no_address in m and "keine E-Mail-Adresse" in m for m in told)
        assert not any("Klein" in m for m in told)
    path = link.split("127.0.0.1:5000", 1)[-1] if "127.0.0.1:5000" in link else "/" + link.split("/", 3)[3]
    anonymous = app.test_client()
    with time_machine.travel(datetime(2027, 2, 13, 9, 0, tzinfo=UTC), tick=False):
        shown = anonymous.get(path)
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Ruth Schwarz" in body and "Empfang beim Regierenden Bürgermeister" in body and "Hotel am Park" in body
    assert "Rollator" not in body and "Triest" not in body and "Haifa" not in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "application.volunteer_read")) == 1
    with time_machine.travel(datetime(2027, 2, 23, 9, 0, tzinfo=UTC), tick=False):
        assert anonymous.get(path).status_code == 404  # after departure the link is dead
    assert anonymous.get("/emigrants/volunteer/guessed-token").status_code == 404
    # Sending again from the case page makes the old link stop working.
    sent = post(team, f"/emigrants/{reference}/volunteer", {},
                follow_redirects=True).get_data(as_text=True)
    assert "ein früherer Link gilt nicht mehr" in sent
    with time_machine.travel(datetime(2027, 2, 13, 9, 0, tzinfo=UTC), tick=False):
        assert anonymous.get(path).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(
            OutboxMail.recipient == "ehrenamt@example.org")) == 2


def test_proof_documents_are_read_by_the_team_only_exported_and_erased_with_the_health_notes(app, team):
    reference = _invited(app)
    page = f"/emigrants/{reference}"
    uploaded = post(team, f"{page}/documents", {"kind": "birth_certificate",
                                                "file": (io.BytesIO(PDF), "Geburtsurkunde Ruth Schwarz.pdf")}, content_type="multipart/form-data", follow_redirects=True)
    assert "Das Dokument wurde beim Antrag abgelegt." in uploaded.get_data(as_text=True)
    not_a_pdf = post(team, f"{page}/documents", {"kind": "other", "file": (io.BytesIO(b"MZ\x90"), "a.pdf")}, content_type="multipart/form-data", follow_redirects=True)
    assert "Es werden nur PDF-, Word- (DOCX), PNG- und JPEG-Dateien angenommen" in not_a_pdf.get_data(as_text=True)
    with app.app_context():
        document = db.session.scalar(sa.select(ApplicationDocument))
        document_id, path = document.id, document.file.path
        assert db.session.scalar(sa.select(sa.func.count(ApplicationDocument.id))) == 1
    assert team.get(f"{page}/documents/{document_id}").data == PDF
    make_user(app, "officer@example.org", roles=["officer"])
    officer = app.test_client()
    login(officer, "officer@example.org")
    assert officer.get(f"{page}/documents/{document_id}").status_code == 403
    assert post(officer, f"{page}/documents/{document_id}/delete", {}).status_code == 403
    with app.app_context():
        actions = db.session.execute(sa.select(AuditEvent.action, AuditEvent.summary, AuditEvent.changes).where(
            AuditEvent.object_type == "emigrant_applications")).all()
        assert ("application.document_read", "birth_certificate") in [(a, s) for a, s, _c in actions]
        assert not any("Schwarz" in f"{s}{c}" for _a, s, c in actions)  # the file name names the person
    archive = zipfile.ZipFile(io.BytesIO(team.get(f"{page}/subject-access.zip").data))
    assert any(name.endswith("Geburtsurkunde Ruth Schwarz.pdf") for name in archive.namelist())
    data = json.loads(archive.read("daten.json"))
    assert data["emigrant_documents"][0]["kind"] == "birth_certificate"
    # The volunteer's address and the link's hash are someone else's data: withheld.
    assert data["emigrant_stays"][0]["volunteer"] == "Frau Ehrenamt"
    assert "ehrenamt@example.org" not in json.dumps(data) and "volunteer_token_hash" not in data["emigrant_stays"][0]
    # The case ends; after the short period the document goes with the health notes, the case stays.
    with time_machine.travel(NOW, tick=False), app.app_context():
        services.move(_application(reference), "withdraw", actor=user_by_name("Emil Team"),
                      comment="Reise gesundheitlich nicht möglich")
        db.session.commit()
    sweep_reminders_twice(app, datetime(2028, 11, 21, 9, 0, tzinfo=UTC))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ApplicationDocument.id))) == 0
        assert _application(reference).name == "Ruth Schwarz"
    assert not path.exists()


def test_erasing_a_case_strips_the_place_from_its_interpreter_booking(app, team):
    reference = _invited(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        application, actor = _application(reference), user_by_name("Emil Team")
        item = programme.save_item(application, actor=actor, kind="former_home", starts_at=_berlin(16, 10),
                                   ends_at=_berlin(16, 12), location="Grolmanstraße 12", interpreter_language="en",
                                   interpreter_mode="consecutive")
        assignment_id = programme.request_interpreting(application, item, actor=actor).id
        services.move(application, "withdraw", actor=actor, comment="abgesagt")
        db.session.commit()
    sweep_reminders_twice(app, datetime(2036, 11, 21, 9, 0, tzinfo=UTC))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
        booking = db.session.get(Assignment, assignment_id)
        assert (booking.title, booking.location, booking.notes) == ("Emigrantenprogramm", None, None)


def test_the_confirmation_letter_carries_the_programme(app, team):
    from pypdf import PdfReader

    reference = _invited(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        letters.load_default_templates()
        application, actor = _application(reference), user_by_name("Emil Team")
        with pytest.raises(ValidationFailed, match="Programm"):
            letters.generate(application, "confirmation", actor=actor)
        programme.save_item(application, actor=actor, kind="reception", starts_at=_berlin(16, 11),
                            ends_at=_berlin(16, 12, 30), location="Rotes Rathaus")
        programme.save_item(application, actor=actor, kind="jewish_sites", title="Neue Synagoge Oranienburger Straße",
                            starts_at=_berlin(17, 10), ends_at=_berlin(17, 13), interpreter_language="en",
                            interpreter_mode="whispered")
        letter = letters.generate(application, "confirmation", actor=actor)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(letter.file.path).pages).split())
    assert letter.language == "en"
    assert "Programme" in text and "Reception by the Governing Mayor" in text and "Rotes Rathaus" in text
    assert "Neue Synagoge Oranienburger Straße" in text and "with an interpreter" in text
    assert "16 Feb 2027, 11:00" in text and "Hotel am Park" in text


def test_the_programme_goes_to_the_volunteer_only_for_a_guest_who_is_coming(app, team):
    reference = _invited(app)  # invited, not yet accepted
    page = team.get(f"/emigrants/{reference}").get_data(as_text=True)
    assert "Programm jetzt an die ehrenamtliche Begleitung senden" not in page
    refused = post(team, f"/emigrants/{reference}/volunteer", {},
                   follow_redirects=True).get_data(as_text=True)
    assert "sobald der Gast die Einladung angenommen hat" in refused
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(
            OutboxMail.recipient == "ehrenamt@example.org")) == 0


def test_other_roles_cannot_touch_the_programme_documents_or_volunteer_link(app, team):
    reference = _invited(app)
    page = f"/emigrants/{reference}"
    make_user(app, "manager@example.org", roles=["manager"])
    manager = app.test_client()
    login(manager, "manager@example.org")
    for path, data in ((f"{page}/programme", {"kind": "free", "starts_at": "2027-02-18T10:00",
                                               "ends_at": "2027-02-18T18:00"}),
                       (f"{page}/volunteer", {}),
                       (f"{page}/documents", {"kind": "other"})):
        assert post(manager, path, data).status_code == 403, path
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(StayProgrammeItem.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(
            OutboxMail.recipient == "ehrenamt@example.org")) == 0


def test_lists_and_the_edit_form_are_reads_too_and_are_logged_by_reference(app, team):
    reference = _invited(app)
    with app.app_context():
        _application(reference).state = "waiting"
        db.session.commit()
    for path in ("/emigrants/", "/emigrants/waiting-list", f"/emigrants/{reference}/edit"):
        assert "Ruth Schwarz" in team.get(path).get_data(as_text=True), path
    with app.app_context():
        rows = db.session.execute(sa.select(AuditEvent.action, AuditEvent.summary, AuditEvent.actor_id).where(
            AuditEvent.action.in_(("emigrants.list_read", "application.read")))).all()
        team_id = user_by_name("Emil Team").id
    assert sorted((action, summary) for action, summary, _actor in rows) == [
        ("application.read", None), ("emigrants.list_read", f"list: {reference}"),
        ("emigrants.list_read", f"waiting list: {reference}")]
    assert {actor for _a, _s, actor in rows} == {team_id}


def test_a_programme_item_is_changed_on_its_own_page_with_clear_errors(app, team):
    reference = _invited(app)
    page = f"/emigrants/{reference}"
    post(team, f"{page}/programme", {"kind": "school", "starts_at": "2027-02-17T10:00",
                                     "ends_at": "2027-02-17T12:00"})
    with app.app_context():
        item_id = db.session.scalar(sa.select(StayProgrammeItem.id))
    edit = f"{page}/programme/{item_id}"
    form = team.get(edit).get_data(as_text=True)
    assert 'value="2027-02-17T10:00"' in form  # Berlin time, as entered
    wrong = post(team, edit, {"kind": "school", "starts_at": "2027-02-17T10:00", "ends_at": "2027-02-17T09:00"}).get_data(as_text=True)
    assert "Das Ende muss nach dem Beginn liegen." in wrong
    saved = post(team, edit, {"kind": "school", "title": "Goethe-Gymnasium", "starts_at": "2027-02-17T11:00",
                              "ends_at": "2027-02-17T13:00"}, follow_redirects=True)
    assert "Der Programmpunkt wurde gespeichert." in saved.get_data(as_text=True)
    with app.app_context():
        item = db.session.get(StayProgrammeItem, item_id)
        assert (item.title, item.starts_at) == ("Goethe-Gymnasium", _berlin(17, 11))
    make_user(app, "viewer@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "viewer@example.org")
    assert viewer.get(edit).status_code == 403


def test_the_reception_room_joins_the_office_wide_double_booking_search_without_the_guests_name(app, team):
    from protocol_app.directory.models import Venue
    from protocol_app.programme import ConflictsFound
    from protocol_app.visits import services as visit_services
    from protocol_app.visits.models import VisitProgrammeItem
    from tests.visit_support import make_visit

    reference = _invited(app)
    page = f"/emigrants/{reference}"
    with app.app_context():
        venue_id = db.session.scalar(sa.select(Venue.id).where(Venue.name == "Wappensaal"))
    saved = post(team, f"{page}/programme", {"kind": "reception", "starts_at": "2027-02-16T11:00",
                                             "ends_at": "2027-02-16T12:30", "venue_id": str(venue_id)}, follow_redirects=True).get_data(as_text=True)
    assert "Der Programmpunkt wurde hinzugefügt." in saved
    with app.app_context():
        from protocol_app.auth.services import users_with_role
        from protocol_app.core.permissions import Role

        officer = users_with_role(Role.OFFICER)[0]
        officer_id = officer.id
    visit_ref = make_visit(app, officer_id, arrival_at=datetime(2027, 2, 16, 8, tzinfo=UTC),
                           departure_at=datetime(2027, 2, 16, 18, tzinfo=UTC))
    with app.app_context():
        from protocol_app.visits.models import Visit

        visit = db.session.scalar(sa.select(Visit).where(Visit.number == int(visit_ref[-4:])))
        values = {"title": "Gespräch", "starts_at": _berlin(16, 12), "ends_at": _berlin(16, 13),
                  "venue_id": venue_id, "dress_code": "business", "press": "open"}
        with pytest.raises(ConflictsFound) as found:
            visit_services.save_programme_item(visit, None, actor=db.session.get(type(officer), officer_id),
                                               values=values)
        (conflict,) = found.value.conflicts
        # The officer learns that the room is taken and by which kind of item — not by whom.
        assert conflict.other_title == "Emigrantenprogramm · Empfang beim Regierenden Bürgermeister"
        assert conflict.link == "" and "Schwarz" not in conflict.other_title and reference not in conflict.other_title
        visit_services.save_programme_item(visit, None, actor=db.session.get(type(officer), officer_id),
                                           values=values, conflict_reason="Empfang im Anschluss, abgestimmt")
        db.session.commit()
        assert db.session.scalar(sa.select(VisitProgrammeItem.conflict_reason)) == "Empfang im Anschluss, abgestimmt"
    # The team, in turn, learns only that an appointment of the protocol office uses the room.
    warned = post(team, f"{page}/programme", {"kind": "former_home", "starts_at": "2027-02-16T12:00",
                                              "ends_at": "2027-02-16T12:45", "venue_id": str(venue_id)}).get_data(as_text=True)
    assert "Termin des Protokolls" in warned and "Gespräch" not in warned and visit_ref not in warned
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(StayProgrammeItem.id))) == 1


def test_flights_are_entered_and_shown_in_the_local_time_of_departure_and_arrival(app, team):
    from protocol_app.emigrants.models import TravelBooking

    reference = _invited(app, needs_mobility="Rollstuhl am Flughafen", needs_diet="Koscher",
                         needs_medical=None)
    page = f"/emigrants/{reference}"
    form = team.get(page).get_data(as_text=True)
    assert '<option selected value="Asia/Jerusalem">' in form or 'value="Asia/Jerusalem" selected' in form
    post(team, f"{page}/travel", {"traveller": "guest", "mode": "flight", "carrier": "El Al", "number": "LY 2371",
                                  "departs_at": "2027-02-15T06:10", "departs_tz": "Asia/Jerusalem",
                                  "arrives_at": "2027-02-15T10:05", "arrives_tz": "Europe/Berlin",
                                  "cost": "900.00"})
    with app.app_context():
        booking = db.session.scalar(sa.select(TravelBooking))
        # 06:10 in Tel Aviv (UTC+2 in February) and 10:05 in Berlin (UTC+1).
        assert booking.departs_at.isoformat() == "2027-02-15T04:10:00+00:00"
        assert booking.arrives_at.isoformat() == "2027-02-15T09:05:00+00:00"
    shown = team.get(page).get_data(as_text=True)
    bookings = shown.split('data-testid="bookings"')[1].split("</table>")[0]
    assert "15.02.2027, 06:10" in bookings and "15.02.2027, 10:05" in bookings  # as on the ticket
    needs = shown.split('data-testid="needs"')[1].split("</dd>\n")[0]
    assert "Mobilität" in needs and "Rollstuhl am Flughafen" in needs and "Ernährung" in needs
    assert "Medizinische Bedürfnisse" not in needs  # nothing entered, no empty label
    wrong = post(team, f"{page}/travel", {"traveller": "guest", "mode": "flight", "carrier": "El Al",
                                          "departs_at": "2027-02-15T06:10", "departs_tz": "Mond/Basis",
                                          "arrives_at": "2027-02-15T10:05", "arrives_tz": "Europe/Berlin",
                                          "cost": "100"}, follow_redirects=True)
    assert "Zeitzone" in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(TravelBooking.id))) == 1


def test_the_team_sees_the_stays_in_its_calendar_by_reference_only(app, team):
    import icalendar

    from protocol_app.auth.models import User
    from protocol_app.calendar.services import render_feed

    reference = _invited(app)
    month = team.get("/calendar/?view=month&date=2027-02-15").get_data(as_text=True)
    assert f"Emigrantenprogramm · {reference}" in month and "Ruth Schwarz" not in month
    with app.app_context():
        member = db.session.scalar(sa.select(User).where(User.email == "team@example.org"))
        with time_machine.travel(NOW, tick=False):
            cal = icalendar.Calendar.from_ical(render_feed(member, base_url="http://localhost"))
    (stay,) = [e for e in cal.walk("VEVENT") if reference in str(e["SUMMARY"])]
    assert str(stay["STATUS"]) == "TENTATIVE"  # invited, not yet confirmed
    assert "Schwarz" not in cal.to_ical().decode()
    make_user(app, "referent2@example.org", roles=["officer"])
    officer = app.test_client()
    login(officer, "referent2@example.org")
    assert reference not in officer.get("/calendar/?view=month&date=2027-02-15").get_data(as_text=True)
