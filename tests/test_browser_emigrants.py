"""An application of the emigrant programme from the letter to the visit, in a real browser
(issue 6, "Done when"): duplicate warning against an imported participant dismissed with a
reason, waiting list, invitation, travel and hotel, the invitation letter in English, the visit
marked done; an officer gets 403 on every page of it; the subject access export holds it all."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, new_logged_in_page
from tests.support import PDF

pytestmark = pytest.mark.browser



def _step(page, button: str, state: str):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_test_id("application-state")).to_have_text(state)


def _fill(page, values: dict):
    for field, value in values.items():
        control = page.locator(f"#{field}")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def _arrive(live_server, name: str) -> None:
    """The arrival day comes (the live server cannot travel in time: the stay is moved to today)."""
    import sqlalchemy as sa

    from protocol_app.emigrants.models import Application, StayPlan
    from protocol_app.extensions import db

    with live_server.app.app_context():
        plan = db.session.scalar(sa.select(StayPlan).join(Application).where(Application.name == name))
        plan.arrives_on = date.today()
        db.session.commit()


def test_the_team_takes_an_application_from_the_letter_to_the_visit(page, browser, live_server):
    arrival = date.today() + timedelta(days=60)
    log_in(page, "emigration@protokoll.example")
    page.get_by_role("link", name="Emigrantenprogramm").first.click()

    # The historical participants are imported first; one of them is the new applicant as an old card
    # wrote her: first name and surname spelt otherwise, the year of birth only, and a year off.
    page.get_by_role("link", name="Historische Teilnehmende").click()
    csv = "Name;Geburtsname;Geburtsdatum;Geburtsjahr;Besuchsjahr;Land\nMirjam Rozenberg;;;1931;1988;US\n"
    page.locator("#file").set_input_files({"name": "teilnehmer.csv", "mimeType": "text/csv",
                                           "buffer": csv.encode()})
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_text("1 historische Teilnehmende importiert.")).to_be_visible()

    # The application from the letter, with a companion.
    page.get_by_role("link", name="Neuer Antrag").click()
    _fill(page, {"name": "Miriam Rosenberg", "birth_name": "Miriam Blum", "birth_date": "1930-03-12",
                 "birth_place": "Berlin-Charlottenburg", "address": "41 Elm Street, Brookline MA",
                 "language": "en", "berlin_connection": "Grolmanstraße 12, Schule am Savignyplatz 1936–1938",
                 "emigration": "1939 über Hamburg nach New York", "needs_mobility": "Rollstuhl am Flughafen",
                 "companion_name": "Daniel Rosenberg", "companion_relation": "Sohn",
                 "companion_birth_date": "1962-07-01", "berlin_evidence": "Geburtsurkunde",
                 "persecution_evidence": "Entschädigungsakte", "visit_evidence": "Erklärung"})
    page.locator("#country_code").select_option("US")
    for field in ("berlin_born_or_resident", "persecuted_or_forced_labour", "not_visited_before"):
        page.locator(f"#{field}").select_option("yes")
    page.locator("#declaration_signed").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(re.compile(r"Antrag EP-\d{4}-\d{4} wurde erfasst"))).to_be_visible()
    reference = re.search(r"EP-\d{4}-\d{4}", page.url).group(0)
    case_url = page.url

    # The proof document goes with the case.
    page.locator("summary", has_text="Nachweis hinzufügen").click()  # the form opens from its button
    page.locator("#document-kind").select_option("birth_certificate")
    page.locator("#document-file").set_input_files({"name": "geburtsurkunde.pdf", "mimeType": "application/pdf",
                                                    "buffer": PDF})
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_test_id("documents")).to_contain_text("geburtsurkunde.pdf")

    # The duplicate check warns of the imported participant; the team dismisses it with a reason.
    duplicates = page.get_by_test_id("duplicates")
    expect(duplicates).to_contain_text("Mirjam Rozenberg")
    # Not while a match is open: the step is there, refused, with the engine's reason beside it.
    expect(page.get_by_role("button", name="Geprüft: berechtigt")).to_be_disabled()
    expect(page.get_by_test_id("blocked-steps")).to_be_visible()
    duplicates.get_by_label("Grund").fill("Andere Eltern laut Geburtsurkunde")
    duplicates.get_by_role("button", name="Entscheiden").click()
    expect(page.get_by_test_id("duplicates")).to_contain_text("Andere Eltern laut Geburtsurkunde")

    _step(page, "Geprüft: berechtigt", "Geprüft")
    _step(page, "Auf die Warteliste setzen", "Warteliste")
    page.get_by_role("link", name="Emigrantenprogramm").first.click()
    page.get_by_role("link", name="Warteliste").click()
    expect(page.get_by_role("link", name=re.compile("Miriam Rosenberg"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Miriam Rosenberg")).click()
    _step(page, "Einladen", "Eingeladen")

    # The week: hotel and travel of guest and companion.
    _fill(page, {"arrives_on": arrival.isoformat(), "hotel": "Hotel am Gendarmenmarkt", "room_type": "Doppelzimmer",
                 "hotel_cost": "1260.00", "volunteer": "Frau Ehrenamt", "volunteer_email": "ehrenamt@example.org"})
    page.get_by_role("button", name="Aufenthalt speichern").click()
    expect(page.get_by_test_id("stay")).to_contain_text("Hotel am Gendarmenmarkt")
    for traveller, code in (("guest", "LH4X2Q"), ("companion", "LH4X2R")):
        page.get_by_text("Flug oder Zug hinzufügen").click()
        page.locator("#traveller").select_option(traveller)
        _fill(page, {"carrier": "Lufthansa", "number": "LH 423", "departs_at": f"{arrival.isoformat()}T06:10",
                     "arrives_at": f"{arrival.isoformat()}T19:55", "booking_code": code, "cost": "980.00"})
        page.get_by_role("button", name="Buchung hinzufügen").click()
        expect(page.get_by_test_id("bookings")).to_contain_text(code)

    # The programme: the reception with an interpreter, asked of the Sprachendienst.
    page.get_by_text("Programmpunkt hinzufügen").click()
    page.locator("#kind").select_option("reception")
    _fill(page, {"starts_at": f"{(arrival + timedelta(days=1)).isoformat()}T11:00",
                 "ends_at": f"{(arrival + timedelta(days=1)).isoformat()}T12:00", "location": "Rotes Rathaus",
                 "interpreter_language": "en"})
    page.locator("#interpreter_mode").select_option("consecutive")
    page.get_by_role("button", name="Ins Programm aufnehmen").click()
    expect(page.get_by_test_id("programme")).to_contain_text("Empfang beim Regierenden Bürgermeister")
    page.get_by_role("button", name="Beim Sprachendienst anfragen").click()
    expect(page.get_by_test_id("programme")).to_contain_text("angefragt, noch nicht besetzt")

    # The invitation letter, in English (the applicant's language).
    page.get_by_role("button", name="Einladung (PDF)").click()
    expect(page.get_by_text("Der Brief wurde erstellt (en).")).to_be_visible()
    letter_path = page.get_by_test_id("letters").get_by_role("link", name="Einladung (Englisch)").get_attribute("href")
    letter = page.request.get(letter_path)
    letter_bytes = letter.body()
    assert letter.status == 200 and letter_bytes.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter_bytes)).pages)
    assert "Dear Miriam Rosenberg" in text and "Invitation to Berlin" in text

    _step(page, "Einladung angenommen", "Bestätigt")
    _step(page, "Reise gebucht", "Reise gebucht")
    # Before the arrival day the visit cannot be marked as taken place: the step shows the reason.
    expect(page.get_by_role("button", name="Besuch hat stattgefunden", exact=True)).to_be_disabled()
    expect(page.get_by_test_id("blocked-steps")).to_contain_text("Besuch hat stattgefunden")
    _arrive(live_server, "Miriam Rosenberg")  # two months later: the guest has come
    page.reload()
    _step(page, "Besuch hat stattgefunden", "Besucht")

    # Everything entered is in the subject access export.
    with page.expect_download() as export:
        page.get_by_role("link", name="Auskunft nach Art. 15 DSGVO (ZIP)").click()
    archive = zipfile.ZipFile(export.value.path())
    summary = archive.read("zusammenfassung.html").decode()
    data = json.dumps(json.loads(archive.read("daten.json")), ensure_ascii=False)
    for piece in ("Miriam Rosenberg", "Miriam Blum", "41 Elm Street, Brookline MA", "Grolmanstraße 12",
                  "1939 über Hamburg nach New York", "Rollstuhl am Flughafen", "Daniel Rosenberg", "Sohn",
                  "Andere Eltern laut Geburtsurkunde", "Hotel am Gendarmenmarkt", "LH4X2Q", "LH4X2R",
                  "Frau Ehrenamt", "Rotes Rathaus"):
        assert piece in data, piece
    assert "Miriam Rosenberg" in summary and "Hotel am Gendarmenmarkt" in summary
    names = archive.namelist()
    assert any(n.endswith("geburtsurkunde.pdf") for n in names)
    assert any(n.endswith(f"invitation-{reference}-en.pdf") for n in names)

    # An officer without the role gets 403 on every one of those pages.
    context, officer = new_logged_in_page(browser, live_server, "referent@protokoll.example")
    document_path = re.search(r"/emigrants/[^\"']+/documents/\d+", page.content()).group(0)
    for path in ("/emigrants/", "/emigrants/new", "/emigrants/waiting-list", "/emigrants/participants/import",
                 "/emigrants/statistics", "/emigrants/blank-form", case_url.split(live_server.url)[1],
                 f"/emigrants/{reference}/edit", f"/emigrants/{reference}/subject-access.zip", letter_path,
                 document_path, "/emigrants/alumni.xlsx"):
        response = officer.goto(path) if not path.endswith((".zip", ".xlsx")) else None
        status = response.status if response else officer.request.get(path).status
        assert status == 403, (path, status)
    context.close()
