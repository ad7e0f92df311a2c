"""Journeys in a real browser (Playwright + Debian chromium, headless)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, open_menu

pytestmark = pytest.mark.browser


def test_wrong_password_shows_the_german_error(page):
    # The browser asks for English; the office's default is still German.
    log_in(page, "referent@protokoll.example", "falsch", expect_success=False)
    expect(page.get_by_text("Anmeldung fehlgeschlagen.")).to_be_visible()
    expect(page).to_have_url("/auth/login")


def test_login_switch_language_and_back_then_logout(page):
    log_in(page, "referent@protokoll.example", expect_success=False)
    expect(page.get_by_role("heading", name="Willkommen, Rainer Referent")).to_be_visible()
    page.get_by_test_id("switch-language").click()
    expect(page.get_by_role("heading", name="Welcome, Rainer Referent")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.reload()  # remembered
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_test_id("switch-language").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_text("Sie wurden abgemeldet.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url("/auth/login?next=%2F")


def test_admin_creates_a_user_after_confirming_nothing_destructive(page):
    log_in(page, "admin@protokoll.example", expect_success=False)
    open_menu(page, "Administration")  # the menu of the top bar
    page.get_by_role("link", name="Konten", exact=True).click()
    page.get_by_role("link", name="Neues Konto").click()
    page.get_by_label("E-Mail-Adresse").fill("neu.referent@protokoll.example")
    page.get_by_label("Name").fill("Nils Neu")
    page.get_by_label("Protokollreferent/in").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("temporary-password")).to_be_visible()
    page.get_by_role("link", name="Fertig").click()
    # Deactivation asks first; dismissing the dialog changes nothing. (The question comes from
    # app.js, at the end of the page: a click before the page has loaded would not be asked.)
    page.wait_for_load_state("load")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Konto deaktivieren").click()
    expect(page.get_by_text("Das Konto ist aktiv.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Konto deaktivieren").click()
    expect(page.get_by_text("Das Konto wurde deaktiviert.")).to_be_visible()


def test_officer_plans_a_visit_end_to_end(page, live_server):
    log_in(page, "referent@protokoll.example", expect_success=False)
    page.get_by_role("link", name="Besuche", exact=True).click()
    page.get_by_role("link", name="Neuer Besuch").click()
    page.get_by_label("Titel", exact=True).fill("Besuch der Partnerstadt Budapest")
    page.get_by_label("Art des Besuchs").select_option("partner_city")
    page.get_by_label("Ehrengast").fill("Gergely Karácsony")
    page.locator("#country_code").select_option("HU")
    page.locator("#arrival_at").fill("2027-06-15T10:00")
    page.locator("#departure_at").fill("2027-06-16T18:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    reference = page.url.rsplit("/", 1)[-1]

    # Delegation: the form opens from its button
    expect(page.get_by_label("Name", exact=True)).to_be_hidden()
    page.locator("summary", has_text="Mitglied hinzufügen").click()
    page.get_by_label("Name", exact=True).fill("Anna Kovács")
    page.get_by_label("Funktion").fill("Vizebürgermeisterin")
    page.get_by_role("button", name="Mitglied hinzufügen").click()
    expect(page.get_by_role("cell", name="Anna Kovács")).to_be_visible()

    # Programme, then a double booking of the same room
    for title in ("Empfang im Wappensaal", "Pressegespräch"):
        page.get_by_role("link", name="Programmpunkt hinzufügen").click()
        page.get_by_label("Titel", exact=True).fill(title)
        page.locator("#starts_at").fill("2027-06-15T12:00")
        page.locator("#ends_at").fill("2027-06-15T13:00")
        page.get_by_label("Veranstaltungsort").select_option(label="Wappensaal")
        page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("conflicts")).to_contain_text("Gleicher Veranstaltungsort")
    page.get_by_label("Begründung für das Speichern trotz Überschneidung").fill("Pressegespräch im Saal nebenan")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Überschneidung bewusst gespeichert")).to_be_visible()

    # Checklist
    page.locator("summary", has_text="Checkliste anwenden").click()
    page.get_by_label("Checklisten-Vorlage").select_option(label="Besuch – Standard")
    page.get_by_role("button", name="Checkliste anwenden").click()
    expect(page.get_by_text("5 Aufgaben aus der Checkliste angelegt.")).to_be_visible()
    expect(page.get_by_role("cell", name="Flaggen bestellen")).to_be_visible()

    # Process
    page.get_by_role("button", name="Planung beginnen").click()
    expect(page.get_by_test_id("visit-state")).to_have_text("Planung")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_test_id("visit-state")).to_have_text("Bestätigt")
    expect(page.locator("#history")).to_be_visible()

    # Print view and PDF
    page.get_by_role("link", name="Programm drucken").click()
    expect(page.get_by_text("Empfang im Wappensaal")).to_be_visible()
    pdf = page.request.get(f"/visits/{reference}/programme.pdf?lang=en")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")

    # Calendar feed
    page.goto("/calendar/feed")
    page.get_by_role("button", name="Neue Abonnement-Adresse erzeugen").click()
    feed_url = page.get_by_test_id("feed-url").inner_text()
    feed = page.context.request.get(feed_url.replace("http://localhost", live_server.url))
    assert feed.ok and "Besuch der Partnerstadt Budapest" in feed.text()

    # Year's report, exported
    page.goto("/visits/reports?year=2027")
    expect(page.get_by_test_id("report-country")).to_contain_text("Ungarn")
    with page.expect_download() as download:
        page.locator(".table-scroll:has([data-testid=report-country]) ~ p").get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "besuche-2027-country.xlsx"
