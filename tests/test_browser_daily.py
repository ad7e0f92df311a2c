"""The daily pages in the browser: the search box of the top bar (folded names, groups, keys,
permissions) and a busy day of the calendar month."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = pytest.mark.browser


def _guest_mueller(live_server) -> None:
    """A guest "Hans Müller" on the demo's flag day (as an officer adds one on the event page)."""
    from protocol_app.auth.models import User
    from protocol_app.events import guests
    from protocol_app.events.models import Event, Guest
    from protocol_app.extensions import db

    with live_server.app.app_context():
        if db.session.scalar(sa.select(Guest).where(Guest.name == "Hans Müller")) is None:
            event = db.session.scalars(sa.select(Event).where(Event.title.like("Flaggentag%")).order_by(Event.id)).first()
            officer = db.session.scalar(sa.select(User).where(User.email == "referent@protokoll.example"))
            guests.add_adhoc(event, actor=officer, name="Hans Müller", function="Bezirksbürgermeister",
                             organisation="Bezirksamt Mitte")
            db.session.commit()


def _until(page, condition: str, seconds: float = 5) -> None:
    for _ in range(int(seconds * 10)):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {condition}")


def _search(page, query: str) -> None:
    box = page.get_by_label("Alles durchsuchen")
    if not box.is_visible():  # a narrow window keeps the bar folded
        page.locator(".navbar-toggler").click()
    box.fill(query)
    box.press("Enter")


def test_typing_muller_finds_the_guest_mueller_and_the_keys_walk_the_hits(page, live_server):
    _guest_mueller(live_server)
    log_in(page, "referent@protokoll.example")
    _search(page, "Muller")
    guests = page.get_by_test_id("results-guests")
    expect(guests).to_contain_text("Hans Müller")
    expect(guests).to_contain_text("Bezirksamt Mitte")
    # From the results page's box the arrow key goes to the first hit, and on — once the page has
    # run its scripts (a key pressed before app.js bound it goes nowhere).
    page.wait_for_load_state("load")
    page.get_by_label("Aktenzeichen, Name, Titel oder Organisation").focus()
    page.keyboard.press("ArrowDown")
    # (Playwright's to_be_focused also wants the window focused, which a headless one is not,
    # and its wait_for_function evaluates a string, which the app's CSP forbids.)
    _until(page, "document.activeElement.matches('[data-search-hit]')")
    assert page.evaluate("document.activeElement.textContent") == page.locator("[data-search-hit]").first.inner_text()
    page.keyboard.press("ArrowDown")
    hits = page.locator("[data-search-hit]").count()
    assert page.evaluate("[...document.querySelectorAll('[data-search-hit]')].indexOf(document.activeElement)") == min(
        1, hits - 1)  # the next hit, or still the last
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/events/E-\d{4}-\d{4}#guests$"))


def test_an_honours_case_is_found_only_by_those_with_an_honours_role(page, browser, live_server):
    log_in(page, "referent@protokoll.example")  # officers prepare honours cases
    _search(page, "Weiss")
    expect(page.get_by_test_id("results-honours")).to_contain_text("Dr. Hannelore Weiß")
    for email in ("leser@protokoll.example", "emigration@protokoll.example", "dolmetscher@protokoll.example"):
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        other = context.new_page()
        log_in(other, email)
        _search(other, "Weiss")
        expect(other.get_by_role("heading", name="Suche")).to_be_visible()
        expect(other.get_by_test_id("results-honours")).to_have_count(0)
        context.close()


def test_a_busy_calendar_day_opens_in_its_cell(page, live_server):
    """The month's "+ n weitere" brings the day's other entries into the cell, in place."""
    from datetime import timedelta

    from protocol_app.extensions import db
    from protocol_app.visits.models import Visit, VisitProgrammeItem

    with live_server.app.app_context():
        visit = db.session.scalars(sa.select(Visit).where(Visit.is_confidential.is_(False))
                                   .order_by(Visit.arrival_at.desc())).first()
        start = visit.arrival_at + timedelta(hours=1)
        if not db.session.scalar(sa.select(VisitProgrammeItem).where(VisitProgrammeItem.title == "Kurztermin 1")):
            for n in range(5):
                db.session.add(VisitProgrammeItem(
                    visit_id=visit.id, title=f"Kurztermin {n}", starts_at=start + timedelta(minutes=10 * n),
                    ends_at=start + timedelta(minutes=10 * n + 5), dress_code="none", press="none"))
            db.session.commit()
        from protocol_app.core.time import BERLIN
        day = start.astimezone(BERLIN).date()
    log_in(page, "referent@protokoll.example")
    page.goto(f"/calendar/?view=month&date={day.isoformat()}")
    cell = page.locator(f".calendar-day[data-date='{day.isoformat()}']")
    expect(cell.locator(".calendar-entry")).to_have_count(3)
    more = cell.locator("[data-day-more]")
    expect(more).to_contain_text("weitere")
    more.click()
    expect(cell.get_by_text("Kurztermin 4")).to_be_visible()
    expect(cell.locator("[data-day-more]")).to_have_count(0)
    assert cell.locator(".calendar-entry").count() >= 6
    assert page.url.endswith(f"date={day.isoformat()}")  # fetched in place, the page stayed
