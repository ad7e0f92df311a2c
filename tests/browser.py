"""A live server in a thread and Debian's chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.services import CI
from tests.smtp import free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


def require_chromium() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path:
        return path
    if CI:
        pytest.fail("chromium is required in CI (make test installs it)", pytrace=False)
    pytest.skip("chromium not installed")


@contextlib.contextmanager
def watched_page(browser, base_url: str):
    """A page in a fresh browser context on `base_url`; fails the test on any CSP violation
    or JS error."""
    context = browser.new_context(base_url=base_url, locale="en-US")
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == [], f"browser errors: {problems}"


class LiveServer:
    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)


def log_in(page, email: str, password: str | None = None, *, expect_success: bool = True) -> None:
    """Log in through the login form as a person would (demo password unless another is given)."""
    from playwright.sync_api import expect

    from protocol_app.cli import DEMO_PASSWORD

    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    if expect_success:
        # The logout button is there (on a narrow screen inside the closed menu).
        expect(page.locator("form[action='/auth/logout']")).to_have_count(1)


def open_menu(page, name: str) -> None:
    """Open a menu of the top bar once its page has run its scripts: a click on the toggle
    before Bootstrap has bound it opens nothing, which made the journeys flaky."""
    from playwright.sync_api import expect

    toggle = page.get_by_role("button", name=name)
    toggle.wait_for()  # the page that has the menu is the current document from here on
    page.wait_for_load_state("load")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def new_logged_in_page(browser, live_server, email: str):
    """A browser context of its own for a second person, logged in; returns (context, page)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, email)
    return context, page
