"""A Verdienstorden case from suggestion to certificate, in a real browser (issue 4, "Done when")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, new_logged_in_page

pytestmark = pytest.mark.browser

NOMINEE = "Dr. Klara Browserfeld"


def _as(browser, live_server, email: str):
    """A browser of its own for each person, logged in."""
    return new_logged_in_page(browser, live_server, email)


def _open_case(page, reference: str):
    page.goto(f"/honours/{reference}")
    expect(page.get_by_test_id("case-state")).to_be_visible()


def _step(page, button: str, comment: str = ""):
    if comment:
        page.get_by_label(re.compile("^Kommentar")).fill(comment)
    page.get_by_test_id("decision-panel").get_by_role("button", name=button).click()
    expect(page.get_by_text("Neuer Status")).to_be_visible()


def test_verdienstorden_from_suggestion_to_certificate(page, browser, live_server):
    # The officer records the suggestion, with a merit, and submits it.
    log_in(page, "referent@protokoll.example")
    page.get_by_role("link", name="Ehrungen", exact=True).click()
    page.get_by_role("link", name="Neue Anregung").click()
    page.get_by_label("Auszeichnung", exact=True).select_option(label="Verdienstorden des Landes Berlin")
    page.get_by_label("Name der vorgeschlagenen Person").fill(NOMINEE)
    page.get_by_label("Geburtsdatum", exact=True).fill("1958-02-14")
    page.get_by_label("Angeregt von (Person oder Institution)").fill("Senatorin für Kultur")
    page.get_by_label("Begründung/Würdigung").fill("Gründerin des Kiezchors.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    reference = re.search(r"N-\d{4}-\d{4}", page.url).group(0)
    page.locator("summary", has_text="Verdienst hinzufügen").click()  # the form opens from its button
    page.get_by_label("Verdienst", exact=True).fill("Leitung des Kiezchors")
    page.get_by_label("Von", exact=True).fill("2023-01-01")
    page.get_by_role("button", name="Verdienst hinzufügen").click()
    _step(page, "Einreichen")
    # Its author does not review it: the step is shown, disabled, with the reason.
    expect(page.get_by_role("button", name="Prüfung beginnen")).to_be_disabled()
    expect(page.get_by_test_id("blocked-steps")).to_contain_text("Vier-Augen-Prinzip")

    reviewer_context, reviewer = _as(browser, live_server, "referentin@protokoll.example")
    _open_case(reviewer, reference)
    _step(reviewer, "Prüfung beginnen")
    _step(reviewer, "Prüfung abgeschlossen: zur Mitzeichnung weiterleiten")

    # The head of unit finds it on the desk and returns it with a comment.
    unit_context, unit = _as(browser, live_server, "leitung@protokoll.example")
    unit.goto("/honours/desk")
    unit.get_by_test_id("desk").get_by_role("link", name=reference).click()
    expect(unit.get_by_test_id("rule-check")).to_contain_text("Innerhalb der Obergrenze")
    _step(unit, "An den vorigen Schritt zurückgeben", comment="Bitte die Würdigung ergänzen.")
    expect(unit.get_by_test_id("case-state")).to_contain_text("In Prüfung")

    # The reviewing officer fixes the justification and forwards it again.
    _open_case(reviewer, reference)
    expect(reviewer.get_by_test_id("timeline")).to_contain_text("Bitte die Würdigung ergänzen.")
    reviewer.get_by_role("link", name="Bearbeiten").click()
    reviewer.get_by_label("Begründung/Würdigung").fill("Gründerin des Kiezchors; 300 Konzerte in Pflegeheimen.")
    reviewer.get_by_role("button", name="Speichern").click()
    _step(reviewer, "Prüfung abgeschlossen: zur Mitzeichnung weiterleiten")

    # The author cannot approve it.
    _open_case(page, reference)
    expect(page.get_by_test_id("four-eyes")).to_contain_text("Vier-Augen-Prinzip")
    expect(page.get_by_role("button", name="Diesen Schritt befürworten")).to_have_count(0)

    # Two managers approve their steps.
    _open_case(unit, reference)
    _step(unit, "Diesen Schritt befürworten")
    _open_case(unit, reference)
    # Not a second step: the Abteilungsleitung's step is hers to decide.
    expect(unit.get_by_role("button", name="Diesen Schritt befürworten")).to_be_disabled()
    expect(unit.get_by_test_id("blocked-steps")).to_contain_text("Diesen Schritt entscheidet die Abteilungsleitung.")
    department_context, department = _as(browser, live_server, "abteilungsleitung@protokoll.example")
    _open_case(department, reference)
    _step(department, "Diesen Schritt befürworten")
    expect(department.get_by_test_id("case-state")).to_contain_text("Dem Senat vorgeschlagen")

    # The Senate's decision is recorded; the case is on the 1 October ceremony list; the certificate downloads.
    _open_case(reviewer, reference)
    reviewer.get_by_label("Datum des Senatsbeschlusses").fill("2026-11-17")
    reviewer.get_by_label("Aktenzeichen des Senatsbeschlusses").fill("S-1234/2026")
    _step(reviewer, "Senatsbeschluss (Bewilligung) erfassen")
    expect(reviewer.get_by_test_id("case-state")).to_contain_text("Bewilligt")
    reviewer.get_by_role("link", name="Festakt", exact=True).click()
    expect(reviewer.get_by_role("heading", name=re.compile("01.10.2027"))).to_be_visible()
    expect(reviewer.get_by_test_id("ceremony-cases")).to_contain_text(NOMINEE)
    certificate = reviewer.get_by_test_id("ceremony-cases").get_by_role("row", name=re.compile(NOMINEE)) \
        .get_by_role("link", name="Urkunde (PDF)")
    response = reviewer.request.get(certificate.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    for context in (reviewer_context, unit_context, department_context):
        context.close()
