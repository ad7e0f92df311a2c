"""The register of honorary graves in a real browser (issue 20, "Done when", first half): an
import with two broken rows named and nothing stored, the fixed file imported, the renewal list
of the next 18 months, a batch prepared, submitted and decided, the terms moved on by 20 years."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from protocol_app.core.time import add_months, add_years, today_berlin
from tests.browser import log_in, new_logged_in_page, open_menu

pytestmark = pytest.mark.browser

HEADER = "Name;Geboren;Gestorben;Gewürdigt für;Friedhof;Grablage;Bezirk;Anerkannt seit;Frist bis;Ehrenbürger"


def _csv(broken: bool) -> bytes:
    today = today_berlin()
    lines = [HEADER]
    for n in range(20):
        # Three of the twenty end within the next 18 months, the others in 2040.
        ends = add_months(today, 3 + n) if n < 3 else add_years(today, 14)
        district = "Mitten" if broken and n == 4 else "Pankow"
        recognised = "01.01.1991" if broken and n == 11 else add_years(ends, -20).strftime("%d.%m.%Y")
        lines.append(f"Browsergrab {n:02d};01.01.1900;01.01.1988;Verdienste;Friedhof Pankow III;Feld {n};{district};"
                     f"{recognised};{ends.strftime('%d.%m.%Y')};nein")
    return ("\n".join(lines) + "\n").encode()


def test_an_officer_imports_the_register_and_a_manager_decides_the_renewal_batch(page, browser, live_server):
    log_in(page, "referent@protokoll.example", expect_success=False)
    open_menu(page, "Register")  # the menu of the top bar
    page.get_by_role("link", name="Ehrengrabstätten", exact=True).click()
    page.get_by_role("link", name="Importieren", exact=True).click()
    upload = page.get_by_label("Ehrengrabstätten (CSV oder XLSX)")
    upload.set_input_files({"name": "ehrengraeber.csv", "mimeType": "text/csv", "buffer": _csv(broken=True)})
    page.get_by_role("button", name="Importieren").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Nichts wurde importiert")
    expect(errors).to_contain_text("2 Zeilen müssen korrigiert werden")
    expect(errors.locator("tr", has_text="Unbekannter Bezirk")).to_contain_text("6")
    expect(errors.locator("tr", has_text="frühestens fünf Jahre")).to_contain_text("13")
    page.goto("/graves/?q=Browsergrab")
    expect(page.get_by_text("Keine Ehrengrabstätten gefunden.")).to_be_visible()

    page.goto("/graves/import")
    page.get_by_label("Ehrengrabstätten (CSV oder XLSX)").set_input_files(
        {"name": "ehrengraeber.csv", "mimeType": "text/csv", "buffer": _csv(broken=False)})
    page.get_by_role("button", name="Importieren").click()
    expect(page.get_by_text("20 Ehrengrabstätten importiert.")).to_be_visible()

    page.get_by_role("link", name="Verlängerungen").click()
    due = page.get_by_test_id("renewals-due")
    for n in range(3):
        expect(due).to_contain_text(f"Browsergrab {n:02d}")
    expect(due).not_to_contain_text("Browsergrab 03")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sammelvorlage mit diesen Gräbern anlegen").click()
    expect(page.get_by_test_id("batch-state")).to_contain_text("In Vorbereitung")
    rows = page.get_by_test_id("batch-entries").locator("tbody tr")
    for index in range(rows.count()):
        row = page.get_by_test_id("batch-entries").locator("tbody tr").nth(index)
        row.get_by_label("Vorschlag").select_option("extend")
        row.get_by_label("Grund").fill("Bleibende Bedeutung für Berlin")
        row.get_by_role("button", name="Vorschlag speichern").click()
        expect(page.get_by_text("Der Vorschlag für")).to_be_visible()
    page.get_by_role("button", name="Dem Senat vorlegen").click()
    expect(page.get_by_test_id("batch-state")).to_contain_text("Dem Senat vorgelegt")
    batch_url = page.url

    context, manager = new_logged_in_page(browser, live_server, "leitung@protokoll.example")
    manager.goto(batch_url)
    manager.get_by_label("Senatsbeschluss vom").fill(today_berlin().isoformat())
    manager.get_by_label("Aktenzeichen des Senatsbeschlusses").fill("S-4711/2026")
    manager.once("dialog", lambda dialog: dialog.accept())
    manager.get_by_role("button", name="Senatsbeschluss erfassen").click()
    expect(manager.get_by_test_id("batch-state")).to_contain_text("Entschieden")
    first = add_months(today_berlin(), 3)
    expect(manager.get_by_test_id("batch-entries").locator("tr", has_text="Browsergrab 00")).to_contain_text(
        add_years(first, 20).strftime("%d.%m.%Y"))
    context.close()
    page.goto("/graves/renewals")
    expect(page.locator("body")).not_to_contain_text("Browsergrab 00")
    assert re.search(r"/graves/batches/\d+$", batch_url)
