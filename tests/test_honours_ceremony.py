"""The 1 October ceremony (built on the events module), its documents, the honours
report and the export of the manager's desk."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from protocol_app.directory.models import Contact
from protocol_app.events.models import Guest
from protocol_app.extensions import db
from protocol_app.honours import services
from protocol_app.honours.models import Nomination
from tests.honours_support import award, case_values, proposed_case, setup_people, user
from tests.support import login, post

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _approved_cases(app) -> int:
    with time_machine.travel(NOW, tick=False), app.app_context():
        author = user("autorin@example.org")
        for name in ("Berta Zweite", "Anna Erste"):
            case = proposed_case(nominee_name=name, justification=f"Würdigung von {name}.")
            services.record_decision(case, actor=author, approved=True, decision_date=date(2026, 3, 1),
                                     decision_reference="S-1/2026")
        proposed_case(nominee_name="Noch Offen")  # not approved: not at the ceremony
        services.add_holder(award(), actor=author, name="Frühere Trägerin", awarded_on=date(2015, 10, 1))
        services.add_holder(award(), actor=author, name="Verstorbener Träger", awarded_on=date(2010, 10, 1),
                            died_on=date(2020, 1, 1))
        db.session.add(Contact(name="Ehrenbürgerin Eins", category="honorary_citizens", rank=10))
        db.session.commit()
        return award().id


def test_the_ceremony_lists_approved_cases_builds_the_guest_list_and_orders_the_presentation(app):
    setup_people(app)
    order_id = _approved_cases(app)
    client = app.test_client()
    login(client, "autorin@example.org")
    page = f"/honours/ceremony/{order_id}/2026-10-01"
    html = client.get(page).get_data(as_text=True)
    cases = html.split('data-testid="ceremony-cases"')[1]
    assert "Anna Erste" in cases and "Berta Zweite" in cases and "Noch Offen" not in cases
    refused = post(client, f"{page}/guests", {"family_guests": "2"},
                   follow_redirects=True).get_data(as_text=True)
    assert "Bitte legen Sie zuerst die Veranstaltung der Verleihung an." in refused
    post(client, f"{page}/event", {})
    done = post(client, f"{page}/guests", {"family_guests": "2"},
                follow_redirects=True).get_data(as_text=True)
    assert "2 Ausgezeichnete, 1 frühere Trägerinnen und Träger, 1 Ehrenbürgerinnen und Ehrenbürger" in done
    post(client, f"{page}/guests", {"family_guests": "2"})  # again: nobody twice
    with app.app_context():
        guests = {g.name: g for g in db.session.scalars(sa.select(Guest))}
        ids = {c.nominee_name: c.id for c in db.session.scalars(sa.select(Nomination))}
    assert set(guests) == {"Anna Erste", "Berta Zweite", "Frühere Trägerin", "Ehrenbürgerin Eins"}
    assert guests["Anna Erste"].companions_allowed == 2 and guests["Anna Erste"].rank < guests["Frühere Trägerin"].rank
    assert "Auf der Liste" in client.get(page).get_data(as_text=True)  # the awardee's invitation status
    post(client, f"{page}/order", {f"position-{ids['Berta Zweite']}": "1", f"position-{ids['Anna Erste']}": "2"})
    cases = client.get(page).get_data(as_text=True).split('data-testid="ceremony-cases"')[1]
    assert cases.index("Berta Zweite") < cases.index("Anna Erste")
    post(client, f"{page}/schedule", {})
    with app.app_context():
        states = {c.nominee_name: c.state for c in db.session.scalars(sa.select(Nomination))}
    assert states == {"Anna Erste": "ceremony_scheduled", "Berta Zweite": "ceremony_scheduled",
                      "Noch Offen": "proposed"}
    booklet = client.get(f"{page}/booklet.pdf")
    text = _pdf_text(booklet.data)
    assert booklet.mimetype == "application/pdf" and text.index("Berta Zweite") < text.index("Anna Erste")
    assert "Würdigung von Anna Erste." in text and "Foto" in text


def test_a_certificate_only_for_an_approved_case(app):
    setup_people(app)
    _approved_cases(app)
    client = app.test_client()
    login(client, "referatsleitung@example.org")
    with app.app_context():
        refs = {c.nominee_name: c.reference for c in db.session.scalars(sa.select(Nomination))}
    with app.app_context():
        from protocol_app.core import letters

        letters.save_signatory("honours.certificate", actor=user("referatsleitung@example.org"), name="Karla Beispiel",
                               function_de="Regierende Bürgermeisterin von Berlin", function_en="Governing Mayor")
        db.session.commit()
    certificate = client.get(f"/honours/{refs['Anna Erste']}/certificate.pdf")
    text = _pdf_text(certificate.data)
    assert "Anna Erste" in text and "Verdienstorden des Landes Berlin" in text and "1. Oktober 2026" in text
    refused = client.get(f"/honours/{refs['Noch Offen']}/certificate.pdf", follow_redirects=True)
    assert "Eine Urkunde gibt es nur für einen bewilligten Vorgang." in refused.get_data(as_text=True)


def test_the_report_counts_awards_by_year_gender_and_days_to_decision(app):
    setup_people(app)
    with time_machine.travel(datetime(2025, 11, 3, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        author = user("autorin@example.org")
        for name, gender, year in (("A", "f", 2024), ("B", "m", 2024), ("C", "f", 2025), ("D", "u", 2025)):
            services.add_holder(award(), actor=author, name=name, gender=gender, awarded_on=date(year, 10, 1))
        proposed_case(nominee_name="Schnell")
        db.session.commit()
    with time_machine.travel(datetime(2025, 12, 3, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        case = db.session.scalar(sa.select(Nomination))
        services.record_decision(case, actor=user("pruefer@example.org"), approved=False, decision_date=None,
                                 decision_reference=None, comment="Nicht vorgeschlagen")
        db.session.commit()
    client = app.test_client()
    login(client, "referatsleitung@example.org")
    html = client.get("/honours/report?from=2024&to=2025").get_data(as_text=True)
    table = html.split('data-testid="honours-report"')[1]
    assert re.search(r"<td>2024</td><td>Verdienstorden des Landes Berlin</td>.*?<td class=\"text-end\">2</td>\s*"
                     r"<td class=\"text-end\">50 %</td>", table, re.S)
    assert re.search(r"<td>2025</td>.*?<td class=\"text-end\">30</td></tr>", table, re.S)  # 30 days to decide
    sheet = load_workbook(io.BytesIO(client.get("/honours/report.xlsx?from=2024&to=2025").data)).active
    assert [c.value for c in sheet[1]][:3] == ["Jahr", "Auszeichnung", "Frauen"]
    assert [c.value for c in sheet[2]][:7] == [2024, "Verdienstorden des Landes Berlin", 1, 1, 0, 0, 2]


def test_the_desk_exports_what_waits_for_the_manager(app):
    setup_people(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.submit(case, actor=user("autorin@example.org"))
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        db.session.commit()
    client = app.test_client()
    login(client, "referatsleitung@example.org")
    sheet = load_workbook(io.BytesIO(client.get("/honours/desk.xlsx").data)).active
    assert [c.value for c in sheet[2]][:3] == ["N-2026-0001", "Verdienstorden des Landes Berlin", "Referatsleitung"]
    assert client.get("/honours/desk.csv").data.decode("utf-8-sig").startswith("Aktenzeichen;")


def test_a_report_range_the_wrong_way_round_falls_back_with_a_message(app):
    setup_people(app)
    client = app.test_client()
    login(client, "referatsleitung@example.org")
    page = client.get("/honours/report?from=2030&to=2020", follow_redirects=True).get_data(as_text=True)
    assert "Bitte einen Zeitraum von 1900 bis 2100 angeben, das erste Jahr nicht nach dem letzten." in page


def test_awardees_stay_with_the_honours_team_until_the_announcement(app):
    from protocol_app.events.models import Event
    from tests.support import make_user

    setup_people(app)
    order_id = _approved_cases(app)
    for email, roles in (("leser@example.org", ["viewer"]), ("admin@example.org", ["admin"]),
                         ("dolmetscher@example.org", ["translator"])):
        make_user(app, email, roles=roles)
    with time_machine.travel(NOW, tick=False):
        officer = app.test_client()
        login(officer, "autorin@example.org")
        page = f"/honours/ceremony/{order_id}/2026-10-01"
        post(officer, f"{page}/event", {})
        post(officer, f"{page}/guests", {"family_guests": "1"})
        announced = post(officer, f"{page}/announce", {"announced_on": "2026-09-15"},
                         follow_redirects=True).get_data(as_text=True)
        assert "bis 15.09.2026" in announced
        with app.app_context():
            event = db.session.scalar(sa.select(Event))
            reference, guest_id = event.reference, db.session.scalar(
                sa.select(Guest.id).where(Guest.name == "Anna Erste"))
        guest_routes = [f"/events/{reference}/guests/{guest_id}/invitation.pdf", f"/events/{reference}/seating",
                        f"/events/{reference}/checkin", f"/events/{reference}/attendance",
                        f"/events/{reference}/guests/new", f"/events/{reference}/seating/place-cards.pdf"]
        assert "Anna Erste" in officer.get(f"/events/{reference}").get_data(as_text=True)
        for email in ("leser@example.org", "admin@example.org", "dolmetscher@example.org"):
            other = app.test_client()
            login(other, email)
            detail = other.get(f"/events/{reference}")
            assert detail.status_code in (200, 403), email
            assert "Anna Erste" not in detail.get_data(as_text=True) and "Berta Zweite" not in detail.get_data(
                as_text=True)
            for url in guest_routes:
                assert other.get(url).status_code in (403, 404), (email, url)
    with time_machine.travel(datetime(2026, 9, 15, 8, tzinfo=UTC), tick=False):  # announced: the list opens
        viewer = app.test_client()
        login(viewer, "leser@example.org")
        assert "Anna Erste" in viewer.get(f"/events/{reference}").get_data(as_text=True)


def test_the_embargo_holds_when_the_ceremonys_event_was_made_before(app):
    """Issue 30, item 6: the year's event made beforehand (from the events module) had no embargo,
    and "propose guests" put the awardees on it for every reader of events, the search and the
    admin's audit log."""
    from protocol_app.events import services as event_services
    from protocol_app.events.models import Event, OccasionTemplate
    from protocol_app.honours.models import AwardType
    from tests.support import make_user

    setup_people(app)
    order_id = _approved_cases(app)
    make_user(app, "leser@example.org", roles=["viewer"])
    make_user(app, "admin@example.org", roles=["admin"])
    with time_machine.travel(NOW, tick=False):
        with app.app_context():
            occasion = db.session.get(OccasionTemplate, db.session.get(AwardType, order_id).occasion_id)
            event_services.create_from_occasion(occasion, 2026, actor=user("autorin@example.org"))
            db.session.commit()
        officer = app.test_client()
        login(officer, "autorin@example.org")
        page = f"/honours/ceremony/{order_id}/2026-10-01"
        post(officer, f"{page}/event", {})  # takes the event there is, under the embargo
        assert post(officer, f"{page}/guests", {"family_guests": "1"}).status_code == 302
        with app.app_context():
            event = db.session.scalar(sa.select(Event))
            assert event.embargo_until == date(2026, 10, 1)
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Guest).where(
                Guest.name == "Anna Erste")) == 1
            reference = event.reference
            guest_id = db.session.scalar(sa.select(Guest.id).where(Guest.name == "Anna Erste"))
        for email in ("leser@example.org", "admin@example.org"):
            other = app.test_client()
            login(other, email)
            assert "Anna Erste" not in other.get(f"/events/{reference}").get_data(as_text=True)
            assert other.get(f"/events/{reference}/guests/{guest_id}/invitation.pdf").status_code in (403, 404)
            assert 'data-testid="no-results"' in other.get("/search/?q=Anna+Erste").get_data(as_text=True)
        admin = app.test_client()
        login(admin, "admin@example.org")
        with app.app_context():  # a guest taken off the list under the embargo: not named either
            from protocol_app.events.guests import remove_guest

            remove_guest(db.session.get(Guest, guest_id), actor=user("autorin@example.org"))
            db.session.commit()
        log = admin.get("/admin/audit?action=event.guest").get_data(as_text=True)
        assert "Anna Erste" not in log and "Berta Zweite" not in log
        assert "gast" in log.lower()  # the additions and the removal are logged, without the names


def test_an_awardee_keeps_the_guest_entry_when_the_events_team_corrects_the_name(app):
    """Issue 36: the awardee is linked to the guest by id, not joined by name: a corrected spelling
    on the guest list neither hides the invitation status nor puts the awardee on it twice."""
    setup_people(app)
    order_id = _approved_cases(app)
    client = app.test_client()
    login(client, "autorin@example.org")
    page = f"/honours/ceremony/{order_id}/2026-10-01"
    post(client, f"{page}/event", {})
    post(client, f"{page}/guests", {"family_guests": "1"})
    with app.app_context():
        guest = db.session.scalar(sa.select(Guest).where(Guest.name == "Anna Erste"))
        guest.name = "Dr. Anna Erste"  # as the events team corrects it on the list
        db.session.commit()
    post(client, f"{page}/guests", {"family_guests": "1"})
    with app.app_context():
        names = sorted(g.name for g in db.session.scalars(sa.select(Guest).where(Guest.category == "honour_holders")))
    assert names == ["Berta Zweite", "Dr. Anna Erste", "Frühere Trägerin"]
    cases = client.get(page).get_data(as_text=True).split('data-testid="ceremony-cases"')[1]
    assert cases.count("Auf der Liste") == 2
