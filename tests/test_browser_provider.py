"""Signing in through the browser with the Land's login: chromium goes from the app to a real
OpenID provider (node's oidc-provider), signs in there and comes back signed in with the roles
of its groups; signing out goes through the provider, which tells the app back-channel."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser import watched_page
from tests.login_provider import PASSWORD, LoginProvider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider_server(tmp_path_factory):
    """The demo office with the Land's login as its provider; managers need a second factor."""
    from tests import services
    from tests.conftest import serve_demo

    services.require("oidc-provider")
    server = serve_demo(tmp_path_factory.mktemp("provider"), SECOND_FACTOR_ROLES="admin,manager")
    provider = LoginProvider(app_base=server.url, backchannel=f"{server.url}/auth/provider/logout").start()
    server.app.config.update(provider.settings())
    server.provider = provider
    yield server
    provider.stop()
    server.stop()


def _open_sessions(app, email) -> int:
    from protocol_app.auth.models import User, UserSession
    from protocol_app.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(UserSession).join(User).where(
            User.email == email, UserSession.ended_at.is_(None)))


def test_a_manager_signs_in_at_the_lands_login_and_out_again(browser, provider_server):
    with watched_page(browser, provider_server.url) as page:
        page.goto("/visits/")
        page.get_by_role("link", name="Mit dem Landes-Login anmelden").click()
        expect(page.get_by_role("heading", name="Landes-Login")).to_be_visible()
        page.get_by_label("Kennung").fill("lea")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()

        # Back in the app on the page asked for: her code was given at the provider (amr), so
        # the second factor a manager needs is not asked again; her groups made her a manager.
        expect(page).to_have_url(f"{provider_server.url}/visits/")
        expect(page.get_by_text("Lea Leitung").first).to_be_attached()
        assert page.request.get("/honours/desk").status == 200  # the managers' desk
        assert page.request.get("/admin/users").status == 403
        assert _open_sessions(provider_server.app, "lea.leitung@example.org") == 1

        # Signing out goes on to the provider, which asks, signs her out there and tells the app.
        page.goto("/")
        page.get_by_role("button", name="Abmelden").click()
        expect(page.get_by_role("heading", name="Beim Landes-Login abmelden?")).to_be_visible()
        page.get_by_role("button", name="Ja, abmelden").click()
        expect(page).to_have_url(re.compile(re.escape(f"{provider_server.url}/auth/login") + r"(\?state=.*)?$"))
        expect(page.get_by_role("alert")).to_contain_text("Sie wurden abgemeldet.")
        assert _open_sessions(provider_server.app, "lea.leitung@example.org") == 0


def test_an_officer_without_a_code_at_the_provider_gives_the_apps_own_second_factor_only_if_the_role_needs_it(
        browser, provider_server):
    with watched_page(browser, provider_server.url) as page:
        page.goto("/auth/login")
        page.get_by_role("link", name="Mit dem Landes-Login anmelden").click()
        page.get_by_label("Kennung").fill("anna")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        expect(page).to_have_url(f"{provider_server.url}/")  # an officer: no second factor asked
        assert page.request.get("/visits/").status == 200
        assert page.request.get("/honours/desk").status == 403
