"""Journeys in a real browser (Playwright + Debian chromium, headless)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from protocol_app.cli import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, email, password=DEMO_PASSWORD):
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_wrong_password_shows_the_german_error(page):
    # The browser asks for English; the office's default is still German.
    _login(page, "referent@protokoll.example", "falsch")
    expect(page.get_by_text("Anmeldung fehlgeschlagen.")).to_be_visible()
    expect(page).to_have_url("/auth/login")


def test_login_switch_language_and_back_then_logout(page):
    _login(page, "referent@protokoll.example")
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
    _login(page, "admin@protokoll.example")
    page.get_by_role("link", name="Konten", exact=True).click()
    page.get_by_role("link", name="Neues Konto").click()
    page.get_by_label("E-Mail-Adresse").fill("neu.referent@protokoll.example")
    page.get_by_label("Name").fill("Nils Neu")
    page.get_by_label("Protokollreferent/in").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("temporary-password")).to_be_visible()
    page.get_by_role("link", name="Fertig").click()
    # Deactivation asks first; dismissing the dialog changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Konto deaktivieren").click()
    expect(page.get_by_text("Das Konto ist aktiv.")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Konto deaktivieren").click()
    expect(page.get_by_text("Das Konto wurde deaktiviert.")).to_be_visible()
