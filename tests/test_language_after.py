"""After the booking: written translations delivered before the deadline, confirmation with
hours, the monthly report with the amount due, the reminders, and the translators' calendar."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.core.errors import DomainError, NotAllowed
from protocol_app.core.notifications.models import Notification
from protocol_app.extensions import db
from protocol_app.language_service import delivery, offers, services
from protocol_app.language_service.models import Assignment, TranslatorProfile
from tests.language_support import START, interpreting, setup_translators, user_by_name
from tests.support import PDF, login, post, sweep_reminders_twice

NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def office(app):
    setup_translators(app)
    with app.app_context():
        officer = user_by_name("Rainer Referent")
        for name in ("Bruno Bilingual", "Dora Französisch"):
            profile = db.session.scalar(sa.select(TranslatorProfile).where(
                TranslatorProfile.user_id == user_by_name(name).id))
            services.update_profile(profile, actor=officer, modes=[*profile.mode_values, "written"])
            services.set_terms(profile, actor=officer, employment="freelance", rate_half_day=Decimal("300"),
                               rate_day=Decimal("550"), rate_line=Decimal("1.50"))
        db.session.commit()
    return app


def _profile_id(name):
    return db.session.scalar(sa.select(TranslatorProfile.id).where(TranslatorProfile.user_id == user_by_name(name).id))


def _written(officer) -> Assignment:
    return services.create_assignment(actor=officer, values={
        "kind": "written", "title": "Rede zum Partnerschaftsjubiläum", "language": "fr",
        "mode": "written", "deadline": NOW + timedelta(days=5)})


def test_a_written_translation_from_source_to_receipt_and_the_monthly_report(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = _written(officer)
        delivery.attach_source(assignment, actor=officer, filename="rede.pdf", data=PDF)
        offer = offers.make_offers(assignment, [_profile_id("Dora Französisch")], actor=officer)[0]
        with pytest.raises(NotAllowed):
            delivery.deliver(assignment, actor=user_by_name("Dora Französisch"), filename="x.pdf", data=PDF)
        offers.answer(offer, actor=user_by_name("Dora Französisch"), accept=True)
        with pytest.raises(NotAllowed):
            delivery.deliver(assignment, actor=user_by_name("Bruno Bilingual"), filename="x.pdf", data=PDF)
        delivery.deliver(assignment, actor=user_by_name("Dora Französisch"), filename="discours.pdf", data=PDF)
        with pytest.raises(DomainError, match="eingegangen"):
            delivery.confirm(assignment, actor=officer, lines=120)  # not yet received
        delivery.mark_received(assignment, actor=officer)
        delivery.confirm(assignment, actor=officer, lines=120)
        rows = delivery.month_report(2027, 1)
        assert [(r.profile.name, r.lines, r.amount_due) for r in rows] == [("Dora Französisch", 120, Decimal("180.00"))]
        db.session.commit()
        reference = assignment.reference
    with time_machine.travel(NOW, tick=False):
        client = office.test_client()
        login(client, "referent@example.org")
        sheet = load_workbook(io.BytesIO(client.get("/translations/report.xlsx?month=2027-01").data)).active
        assert [c.value for c in sheet[2]] == ["Dora Französisch", "Freiberuflich", 1, 0, 120, 180]
        assert "discours.pdf" in client.get(f"/translations/{reference}").get_data(as_text=True)


def test_a_late_delivery_is_refused_and_the_file_check_applies(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = _written(officer)
        offer = offers.make_offers(assignment, [_profile_id("Dora Französisch")], actor=officer)[0]
        offers.answer(offer, actor=user_by_name("Dora Französisch"), accept=True)
        db.session.commit()
        assignment_id = assignment.id
    with time_machine.travel(NOW + timedelta(days=6), tick=False), office.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        with pytest.raises(DomainError, match="Frist ist abgelaufen"):
            delivery.deliver(assignment, actor=user_by_name("Dora Französisch"), filename="spaet.pdf", data=PDF)
        assert assignment.delivered_at is None


def test_interpreting_is_confirmed_with_hours_after_it_ended_and_priced_by_half_or_full_day(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        short = services.create_assignment(actor=officer, values=interpreting(mode="consecutive"))
        long_ = services.create_assignment(actor=officer, values=interpreting(
            mode="consecutive", starts_at=START + timedelta(days=7), ends_at=START + timedelta(days=7, hours=6)))
        for assignment in (short, long_):
            offer = offers.make_offers(assignment, [_profile_id("Bruno Bilingual")], actor=officer)[0]
            offers.answer(offer, actor=user_by_name("Bruno Bilingual"), accept=True)
        with pytest.raises(DomainError, match="nach seinem Ende"):
            delivery.confirm(short, actor=officer, hours=Decimal("3"))
        db.session.commit()
        ids = short.id, long_.id
    with time_machine.travel(START + timedelta(days=8), tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        short, long_ = (db.session.get(Assignment, i) for i in ids)
        delivery.confirm(short, actor=officer, hours=Decimal("3"))
        delivery.confirm(long_, actor=officer, hours=Decimal("6.5"))
        (row,) = delivery.month_report(2027, 2)
        assert (row.assignments, row.hours, row.amount_due) == (2, Decimal("9.50"), Decimal("850.00"))


def test_reminders_for_silent_offers_understaffed_assignments_and_deadlines(office):
    from tests.support import make_user

    make_user(office, "leitung@example.org", roles=["manager"], name="Lena Leitung")
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        tuesday = datetime(2027, 1, 19, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, within Bruno's window
        assignment = services.create_assignment(actor=officer, values=interpreting(
            starts_at=tuesday, ends_at=tuesday + timedelta(hours=1)), needed=1, team_reason="Kurz")
        offers.make_offers(assignment, [_profile_id("Bruno Bilingual")], actor=officer)
        written = _written(officer)
        offer = offers.make_offers(written, [_profile_id("Dora Französisch")], actor=officer)[0]
        offers.answer(offer, actor=user_by_name("Dora Französisch"), accept=True)
        db.session.commit()
        reference = assignment.reference

    def messages(name, fragment):
        with office.app_context():
            return [m for m in db.session.scalars(sa.select(Notification.message).where(
                Notification.user_id == user_by_name(name).id)) if fragment in m]

    sweep_reminders_twice(office, NOW + timedelta(hours=47))
    assert messages("Bruno Bilingual", "Bitte beantworten") == []
    sweep_reminders_twice(office, NOW + timedelta(hours=49))
    assert len(messages("Bruno Bilingual", "Bitte beantworten")) == 1
    assert messages("Rainer Referent", "seit drei Tagen") == []
    assert messages("Dora Französisch", "ist fällig am") == []  # due in three days: not yet
    sweep_reminders_twice(office, NOW + timedelta(hours=73))
    assert len(messages("Rainer Referent", "seit drei Tagen")) == 1
    assert messages("Lena Leitung", "nicht vollständig besetzt") == []  # six days ahead: not yet
    # The written translation is due within two days and not delivered: the translator, in Berlin time.
    assert messages("Dora Französisch", "ist fällig am") == ["Die Übersetzung S-2027-0002 ist fällig am 15.01.2027, 10:00."]
    # Five days before the interpreting, still not staffed: officer and manager, once.
    sweep_reminders_twice(office, datetime(2027, 1, 14, 9, 30, tzinfo=UTC))
    sweep_reminders_twice(office, datetime(2027, 1, 14, 10, 30, tzinfo=UTC))
    assert len(messages("Lena Leitung", "nicht vollständig besetzt")) == 1
    assert len(messages("Rainer Referent", "nicht vollständig besetzt")) == 1
    assert len(messages("Dora Französisch", "ist fällig am")) == 1  # once
    with office.app_context():  # every reminder mail's subject names the assignment and what is due
        from protocol_app.core.notifications.models import OutboxMail

        subjects = {m.subject for m in db.session.scalars(sa.select(OutboxMail).where(
            OutboxMail.recipient == "leitung@example.org"))}
        assert subjects == {f"{reference}: in fünf Tagen nicht vollständig besetzt"}
    # Each reminder's link opens a page its reader may see: the manager the read-only board.
    with time_machine.travel(datetime(2027, 1, 14, 10, 30, tzinfo=UTC), tick=False):
        for name, email in (("Lena Leitung", "leitung@example.org"), ("Rainer Referent", "referent@example.org")):
            with office.app_context():
                link = db.session.scalar(sa.select(Notification.link).where(
                    Notification.user_id == user_by_name(name).id, Notification.message.like("%vollständig besetzt%")))
            reader = office.test_client()
            login(reader, email)
            page = reader.get(link.split("#")[0])
            assert page.status_code == 200, (name, link)
            assert reference in page.get_data(as_text=True)
        board = reader.get("/translations/").get_data(as_text=True)
        assert "Neuer Einsatz" in board  # the officer works from the board
        manager = office.test_client()
        login(manager, "leitung@example.org")
        board = manager.get("/translations/").get_data(as_text=True)
        assert "Neuer Einsatz" not in board and f'href="/translations/{reference}"' not in board
        assert manager.get(f"/translations/{reference}").status_code == 403


def test_translators_see_their_assignments_in_their_calendar_and_feed(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting(mode="consecutive"))
        offer = offers.make_offers(assignment, [_profile_id("Bruno Bilingual")], actor=officer)[0]
        offers.answer(offer, actor=user_by_name("Bruno Bilingual"), accept=True)
        other = services.create_assignment(actor=officer, values=interpreting(
            mode="consecutive", title="Anderer Einsatz", starts_at=START + timedelta(days=7),
            ends_at=START + timedelta(days=7, hours=1)))
        offers.make_offers(other, [_profile_id("Anna Englisch")], actor=officer)
        db.session.commit()
    with time_machine.travel(NOW, tick=False):
        bruno = office.test_client()
        login(bruno, "bruno@example.org")
        page = bruno.get("/calendar/?view=month&date=2027-02-16").get_data(as_text=True)
        assert "Mittagessen mit der Delegation" in page and "Anderer Einsatz" not in page
        created = post(bruno, "/calendar/feed", {})
        import re

        url = re.search(r"/calendar/feed/[A-Za-z0-9_\-]+\.ics", created.get_data(as_text=True)).group(0)
        feed = office.test_client().get(url).get_data(as_text=True)
        assert "Mittagessen mit der Delegation" in feed and "Anderer Einsatz" not in feed
    # The officers who staff the service see every assignment, tentative until it is staffed.
    with time_machine.travel(NOW, tick=False):
        staff = office.test_client()
        login(staff, "referent@example.org")
        page = staff.get("/calendar/?view=month&date=2027-02-16").get_data(as_text=True)
        assert "Mittagessen mit der Delegation" in page and "Anderer Einsatz" in page
        created = post(staff, "/calendar/feed", {})
        url = re.search(r"/calendar/feed/[A-Za-z0-9_\-]+\.ics", created.get_data(as_text=True)).group(0)
        import icalendar

        feed = icalendar.Calendar.from_ical(office.test_client().get(url).data)
        status = {str(e["summary"]).split(" (")[0]: str(e["status"]) for e in feed.walk("VEVENT")}
        assert status["Mittagessen mit der Delegation"] == "CONFIRMED" and status["Anderer Einsatz"] == "TENTATIVE"


def test_a_translator_loses_the_source_when_the_offer_is_declined_withdrawn_or_expired(office):
    from protocol_app.core import workflow

    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        assignments = {}
        for case in ("declined", "withdrawn", "expired", "accepted"):
            assignment = _written(officer)
            delivery.attach_source(assignment, actor=officer, filename="rede.pdf", data=PDF)
            offer = offers.make_offers(assignment, [_profile_id("Dora Französisch")], actor=officer)[0]
            if case == "declined":
                offers.answer(offer, actor=user_by_name("Dora Französisch"), accept=False, reason="Urlaub")
            elif case == "withdrawn":
                workflow.apply(offer, "withdraw", actor=officer, comment="anders vergeben")
            elif case == "accepted":
                offers.answer(offer, actor=user_by_name("Dora Französisch"), accept=True)
            assignments[case] = (assignment.reference, offer.id)
        db.session.commit()
    client = office.test_client()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        login(client, "dora@example.org")
        ref, offer_id = assignments["expired"]
        assert client.get(f"/translations/{ref}/file/source").status_code == 200  # still open: may look
    with time_machine.travel(NOW + timedelta(days=6), tick=False):  # after the deadline
        login(client, "dora@example.org")
        codes = {case: client.get(f"/translations/{ref}/file/source").status_code
                 for case, (ref, _) in assignments.items()}
        assert codes == {"declined": 404, "withdrawn": 404, "expired": 404, "accepted": 200}
        page = client.get(f"/translations/offers/{assignments['declined'][1]}").get_data(as_text=True)
        assert "/file/source" not in page


def test_rates_are_the_offices_and_a_translator_sees_their_own_hours_and_fees(office):
    bruno_id = _profile_id_in(office, "Bruno Bilingual")
    translator = office.test_client()
    login(translator, "bruno@example.org")
    own = post(translator, "/translations/profile", {"modes": ["consecutive"], "rate_day": "99999",
                                                     "employment": "in_house"})
    assert own.status_code == 302
    with office.app_context():
        profile = db.session.get(TranslatorProfile, bruno_id)
        assert (profile.rate_day, profile.employment) == (Decimal("550.00"), "freelance")  # not the translator's
        with pytest.raises(NotAllowed):
            services.set_terms(profile, actor=profile.user, employment="freelance", rate_day=Decimal("99999"))
    assert translator.get(f"/translations/translators/{bruno_id}/terms").status_code == 403
    officer = office.test_client()
    login(officer, "referent@example.org")
    terms = f"/translations/translators/{bruno_id}/terms"
    typo = post(officer, terms, {"employment": "freelance", "rate_half_day": "300", "rate_day": "99.999"})
    assert "Höchstens 3.500,00 €" in typo.get_data(as_text=True)
    post(officer, terms, {"employment": "freelance", "rate_half_day": "300", "rate_day": "600,50", "rate_line": "1,5"})
    with office.app_context():
        profile = db.session.get(TranslatorProfile, bruno_id)
        assert (profile.rate_day, profile.rate_line) == (Decimal("600.50"), Decimal("1.50"))
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer_user = user_by_name("Rainer Referent")
        job = services.create_assignment(actor=officer_user, values=interpreting(mode="consecutive"))
        offer = offers.make_offers(job, [bruno_id], actor=officer_user)[0]
        offers.answer(offer, actor=user_by_name("Bruno Bilingual"), accept=True)
        db.session.commit()
        job_id = job.id
    with time_machine.travel(START + timedelta(days=1), tick=False):  # sessions have a lifetime: log in anew
        login(officer, "referent@example.org")
        login(translator, "bruno@example.org")
        page = f"/translations/{_reference(office, job_id)}"
        post(officer, f"{page}/confirm", {"hours": "2,5"})
        mine = translator.get("/translations/my-hours?year=2027").get_data(as_text=True)
    assert "2,5" in mine and "300,00\u00a0€" in mine  # half a day at the agreed rate (babel's no-break space)
    with office.app_context():
        assert db.session.get(Assignment, job_id).actual_hours == Decimal("2.5")  # "2,5" is not 25
    other = office.test_client()
    login(other, "anna@example.org")
    theirs = other.get("/translations/my-hours?year=2027").get_data(as_text=True)
    assert "Keine bestätigten Einsätze" in theirs and "300,00" not in theirs


def test_hours_are_read_the_german_way_and_checked_against_the_booked_time(office):
    with time_machine.travel(NOW, tick=False), office.app_context():
        officer = user_by_name("Rainer Referent")
        job = services.create_assignment(actor=officer, values=interpreting(mode="consecutive"))  # 3 hours
        offer = offers.make_offers(job, [_profile_id("Bruno Bilingual")], actor=officer)[0]
        offers.answer(offer, actor=user_by_name("Bruno Bilingual"), accept=True)
        db.session.commit()
        job_id = job.id
    client = office.test_client()
    page = f"/translations/{_reference(office, job_id)}"
    with time_machine.travel(START + timedelta(days=1), tick=False):
        login(client, "referent@example.org")
        ambiguous = post(client, f"{page}/confirm", {"hours": "1.5"}, follow_redirects=True).get_data(as_text=True)
        assert "1,5" in ambiguous  # the refusal says how to write it
        too_many = post(client, f"{page}/confirm", {"hours": "15"}, follow_redirects=True).get_data(as_text=True)
        assert "höchstens 4" in too_many  # three booked hours and one for overrunning
        with office.app_context():
            assert db.session.get(Assignment, job_id).actual_hours is None
        post(client, f"{page}/confirm", {"hours": "1,5"})
    with office.app_context():
        assert db.session.get(Assignment, job_id).actual_hours == Decimal("1.5")
    with time_machine.travel(START + timedelta(days=1), tick=False):
        csv_text = client.get("/translations/report.csv?month=2027-02").get_data(as_text=True)
    assert ";1,5;" in csv_text  # German numbers in the semicolon file


def _profile_id_in(app, name):
    with app.app_context():
        return _profile_id(name)


def _reference(app, assignment_id):
    with app.app_context():
        return db.session.get(Assignment, assignment_id).reference
