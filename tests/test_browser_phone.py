"""Everyday pages on a phone (390 px) and at the desk (1366 px), in the browser: tables read as
cards with their column names, filters fold on a phone, the month reads as a list, a record
page opens with its summary and its forms closed, and the visit page stays short at the desk."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import log_in

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def _page(browser, live_server, viewport, user="referent"):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="de-DE")
    page = context.new_page()
    log_in(page, f"{user}@protokoll.example")
    return context, page


def test_on_a_phone_a_list_is_cards_with_column_names_and_its_filters_folded(browser, live_server):
    context, page = _page(browser, live_server, PHONE)
    page.goto("/visits/")
    page.wait_for_load_state("load")
    filters = page.locator("details.filter-panel")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("Staat", exact=True)).to_be_hidden()
    filters.locator("summary").click()
    expect(page.get_by_label("Staat", exact=True)).to_be_visible()
    first_row = page.locator("main table tbody tr").first
    cell = first_row.locator("td").first
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Aktenzeichen: "', label
    box, row_box = cell.bounding_box(), first_row.bounding_box()
    assert row_box["width"] <= 390 and box["width"] > 300  # the cell spans the card
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_at_the_desk_a_list_keeps_its_columns_and_its_filters_open(browser, live_server):
    context, page = _page(browser, live_server, DESK)
    page.goto("/visits/")
    page.wait_for_load_state("load")
    expect(page.get_by_label("Staat", exact=True)).to_be_visible()
    expect(page.locator("main table thead th").first).to_be_visible()
    tops = page.locator("main table tbody tr").first.locator("td").evaluate_all(
        "cells => cells.map(c => Math.round(c.getBoundingClientRect().top))")
    assert len(set(tops)) == 1  # one row, side by side
    context.close()


def test_on_a_phone_the_month_is_a_list_of_days_with_whole_titles(browser, live_server):
    context, page = _page(browser, live_server, PHONE)
    page.goto("/calendar/?date=2026-12-01")
    expect(page.locator(".calendar-month")).to_be_hidden()
    listing = page.get_by_test_id("month-list")
    expect(listing).to_be_visible()
    expect(listing.get_by_role("link", name="Staatsbesuch mit Eintragung ins Goldene Buch (V-2026-0009)").first).to_be_visible()
    context.close()
    context, page = _page(browser, live_server, DESK)
    page.goto("/calendar/?date=2026-12-01")
    expect(page.locator(".calendar-month")).to_be_visible()
    expect(page.get_by_test_id("month-list")).to_be_hidden()
    context.close()


def test_the_state_visit_opens_with_its_summary_and_next_step_and_stays_within_two_screens(browser, live_server):
    context, page = _page(browser, live_server, DESK)
    page.goto("/visits/")
    page.get_by_role("link", name="Staatsbesuch mit Eintragung ins Goldene Buch").click()
    summary = page.locator(".record-summary")
    expect(summary.get_by_test_id("visit-state")).to_be_visible()
    steps = summary.get_by_test_id("steps").get_by_role("button")
    primary = steps.first
    assert "btn-primary" in primary.get_attribute("class")
    assert all("btn-primary" not in b.get_attribute("class") for b in steps.all()[1:])
    cancel = summary.get_by_role("button", name="Absagen")
    assert "btn-outline-danger" in cancel.get_attribute("class") and cancel.get_attribute("data-confirm")
    # Forms are closed until wanted; the sections are one click away.
    expect(page.get_by_label("Datei (PDF, DOCX, PNG, JPEG)")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Abschnitte dieser Seite").get_by_role("link", name="Checkliste")).to_be_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * 900, f"the visit page is {height} px tall"
    context.close()


def test_a_destructive_step_asks_first_and_nothing_changes_when_declined(browser, live_server):
    context, page = _page(browser, live_server, DESK)
    page.goto("/visits/")
    page.get_by_role("link", name="Staatsbesuch mit Eintragung ins Goldene Buch").click()
    state = page.get_by_test_id("visit-state").inner_text()
    page.wait_for_load_state("load")  # app.js, which asks, runs at the end of the page
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(".record-summary").get_by_role("button", name="Absagen").click()
    expect(page.get_by_test_id("visit-state")).to_have_text(state)
    assert asked == ["Diesen Schritt wirklich gehen: Absagen?"]
    context.close()
