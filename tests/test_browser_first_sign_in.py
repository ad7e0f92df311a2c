"""Every account kind signs in on a fresh production installation (issue 30, item 1): the
`create-admin` account, a manager an admin makes, a manager with a factor whose password was
reset, and a directory account with a role that needs the second factor — each through one
ordered flow (new password, then the second factor, then the page), never a redirect loop.

Production settings (secure cookies, rate limits, the second factor for admin, manager and
emigration team) on an empty PostgreSQL schema: no demo data, only what an installation has."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from config import ProductionConfig
from protocol_app import create_app
from protocol_app.core.time import now_utc
from tests import services
from tests.browser import LiveServer, open_menu, watched_page
from tests.conftest import migrate
from tests.ldap_server import PASSWORD as DIRECTORY_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def installation(tmp_path_factory, directory_server):
    """A fresh production installation (no demo data) that also knows the office directory."""
    services.require("postgresql")
    services.reset_pg_schema("protokoll_fresh")
    folder = tmp_path_factory.mktemp("fresh")
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=services.pg_url("protokoll_fresh"),
                     SECRET_KEY="a-fresh-installation-secret-of-forty-chars!", REDIS_URL=None,
                     UPLOAD_DIR=str(folder / "uploads"), EMBEDDED_BROKER_DIR=str(folder / "broker"),
                     SECOND_FACTOR_ROLES="admin,manager,emigration", OUTBOX_PUBLISH_DISABLED=True,
                     **directory_server.settings())
    migrate(app)
    assert app.test_cli_runner().invoke(args=["seed-reference"]).exit_code == 0
    server = LiveServer(app).start()
    server.app = app
    yield server
    server.stop()


def _sign_in(page, email, password):
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _change_password(page, current, new):
    expect(page.get_by_role("heading", name="Passwort ändern")).to_be_visible()
    page.get_by_label("Bisheriges Passwort").fill(current)
    page.get_by_label("Neues Passwort", exact=True).fill(new)
    page.get_by_label("Neues Passwort wiederholen").fill(new)
    page.get_by_role("button", name="Passwort ändern").click()


def _enrol(page) -> str:
    expect(page.get_by_role("heading", name="Zweiten Faktor einrichten")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name=re.compile("weiter")).click()
    return secret


def _give_code(page, secret):
    expect(page.get_by_role("heading", name="Zweiter Faktor")).to_be_visible()
    # The next step's code: the enrolment took this step's.
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(now_utc() + timedelta(seconds=30)))
    page.get_by_role("button", name="Bestätigen").click()


def _signed_in(page, name):
    expect(page.locator("form[action='/auth/logout']")).to_have_count(1)
    expect(page.locator("body")).to_contain_text(name)


def _log_out(page):
    page.locator("form[action='/auth/logout'] button").first.click()
    expect(page).to_have_url(re.compile(r"/auth/login"))


def _new_account(page, email, name, role_label) -> str:
    open_menu(page, "Administration")
    page.get_by_role("link", name="Konten", exact=True).click()
    page.get_by_role("link", name="Neues Konto").click()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Name").fill(name)
    page.get_by_label(role_label).check()
    page.get_by_role("button", name="Speichern").click()
    temporary = page.get_by_test_id("temporary-password").inner_text()
    page.get_by_role("link", name="Fertig").click()
    return temporary


def test_every_account_kind_signs_in_on_a_fresh_installation(browser, installation):
    created = installation.app.test_cli_runner().invoke(
        args=["create-admin", "--email", "it-admin@land.test", "--name", "Ida Admin"])
    assert created.exit_code == 0, created.output
    temporary = re.search(r"temporary password: (\S+)", created.output).group(1)

    with watched_page(browser, installation.url) as admin:
        # 1. The create-admin account: password, then enrolment, then the start page.
        _sign_in(admin, "it-admin@land.test", temporary)
        _change_password(admin, temporary, "Erstes-Admin-Passwort-2026!")
        _enrol(admin)
        _signed_in(admin, "Ida Admin")

        # 2. A new manager made by the admin.
        manager_password = _new_account(admin, "lotte.leitung@senatskanzlei.berlin.de", "Lotte Leitung",
                                        "Referatsleitung / Abteilungsleitung")
        with watched_page(browser, installation.url) as manager:
            _sign_in(manager, "lotte.leitung@senatskanzlei.berlin.de", manager_password)
            _change_password(manager, manager_password, "Leitung-Eigenes-Pw-2026")
            manager_secret = _enrol(manager)
            _signed_in(manager, "Lotte Leitung")
            _log_out(manager)

        # 3. The manager (with a factor) forgot the password: the admin resets it.
        admin.once("dialog", lambda dialog: dialog.accept())
        admin.get_by_role("button", name="Passwort zurücksetzen").click()
        reset = admin.get_by_test_id("temporary-password").inner_text()
        with watched_page(browser, installation.url) as manager:
            _sign_in(manager, "lotte.leitung@senatskanzlei.berlin.de", reset)
            _change_password(manager, reset, "Leitung-Neues-Pw-2027")
            _give_code(manager, manager_secret)  # the code of the factor she has: no new enrolment
            _signed_in(manager, "Lotte Leitung")

    # 4. A directory account whose group gives a role that needs the second factor.
    with watched_page(browser, installation.url) as staff:
        _sign_in(staff, "lea.leitung@berlin.test", DIRECTORY_PASSWORD)
        _enrol(staff)
        _signed_in(staff, "Lea Leitung")
