"""Signing in through the browser with the office directory (a real slapd) and the second
factor (issue 19, "Done when")."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from protocol_app.core.time import now_utc
from tests.accessibility import axe_violations, nu_check, prepare
from tests.browser import log_in, watched_page
from tests.ldap_server import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sign_in_server(tmp_path_factory, directory_server):
    """The demo office signing its staff in with the test directory; the admin, manager and
    emigration roles need the second factor."""
    from tests.conftest import serve_demo

    server = serve_demo(tmp_path_factory.mktemp("sign-in"), SECOND_FACTOR_ROLES="admin,manager,emigration",
                        **directory_server.settings())
    yield server
    server.stop()


@pytest.fixture
def sign_in_page(browser, sign_in_server):
    with watched_page(browser, sign_in_server.url) as page:
        yield page


def _audit(app, action) -> list[str]:
    from protocol_app.core.audit.models import AuditEvent
    from protocol_app.extensions import db

    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.summary).where(AuditEvent.action == action)
                                       .order_by(AuditEvent.id)))


def _log_out(page):
    page.locator("form[action='/auth/logout'] button").first.click()
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_a_directory_user_gets_the_roles_of_their_groups_and_a_disabled_one_is_refused(sign_in_page, sign_in_server):
    page = sign_in_page
    log_in(page, "anna.amtmann@berlin.test", PASSWORD)
    expect(page.get_by_role("link", name="Besuche").first).to_be_attached()
    expect(page.locator("body")).to_contain_text("Anna Amtmann")
    assert page.request.get("/admin/users").status == 403  # the officer's group gives no admin role
    _log_out(page)
    log_in(page, "dora.draussen@berlin.test", PASSWORD, expect_success=False)
    expect(page.get_by_text("Anmeldung fehlgeschlagen")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    assert "directory: directory account disabled" in _audit(sign_in_server.app, "auth.login_refused")


def _checked(page, pages: dict) -> None:
    """axe-core on the page as it stands; its HTML kept for the Nu checker."""
    assert axe_violations(page) == [], page.url
    pages[page.url] = page.content()


def test_an_emigration_team_member_enrols_totp_and_a_recovery_code_works_once(sign_in_page, sign_in_server,
                                                                               tmp_path):
    page = sign_in_page
    prepare(page.context)  # axe-core in every page as it opens (the CSP allows no added script)
    pages: dict[str, str] = {}
    log_in(page, "emil.exil@berlin.test", PASSWORD)  # from the directory, in the emigration group
    expect(page.get_by_role("heading", name="Zweiten Faktor einrichten")).to_be_visible()
    _checked(page, pages)
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    page.goto("/emigrants/")  # the programme stays closed until the factor is set up
    expect(page.get_by_role("heading", name="Zweiten Faktor einrichten")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bestätigen").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    _checked(page, pages)
    page.get_by_role("link", name="Ich habe die Codes verwahrt – weiter").click()
    assert page.goto("/emigrants/").status == 200
    _log_out(page)

    # The next login asks for the code (the app's next one: this step's code was taken).
    log_in(page, "emil.exil@berlin.test", PASSWORD)
    expect(page.get_by_role("heading", name="Zweiter Faktor")).to_be_visible()
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_text("Dieser Code ist nicht gültig").first).to_be_visible()
    _checked(page, pages)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(now_utc() + timedelta(seconds=30)))
    page.get_by_role("button", name="Bestätigen").click()
    assert page.goto("/emigrants/").status == 200
    _log_out(page)

    for attempt in ("first", "again"):
        log_in(page, "emil.exil@berlin.test", PASSWORD)
        page.get_by_label("Code", exact=True).fill(codes[0])
        page.get_by_role("button", name="Bestätigen").click()
        if attempt == "first":
            expect(page.get_by_text("es sind noch 9 übrig")).to_be_visible()
            _log_out(page)
        else:
            expect(page.get_by_text("Dieser Code ist nicht gültig").first).to_be_visible()
    assert nu_check(pages, tmp_path / "nu") == []
    summaries = _audit(sign_in_server.app, "auth.second_factor")
    assert summaries[-2:] == ["directory + totp", "directory + recovery code, 9 recovery codes left"]
