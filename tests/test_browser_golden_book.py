"""The Golden Book in a real browser (issue 20, "Done when", second half): a state visit's
programme item flagged "Golden Book" leads to a planned Golden Book entry with its calligrapher's
task; the same for a ministerial director proposes the Gästebuch, and the Golden Book for him
needs a recorded reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = pytest.mark.browser


def _visit_with_flagged_item(page, *, title, kind, guest, function, country, day):
    page.goto("/visits/new")
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Art des Besuchs").select_option(kind)
    page.get_by_label("Ehrengast").fill(guest)
    page.get_by_label("Funktion des Gastes").fill(function)
    page.locator("#guest_country_code").select_option(country)
    page.locator("#country_code").select_option(country)
    page.locator("#arrival_at").fill(f"{day}T09:00")
    page.locator("#departure_at").fill(f"{day}T18:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    page.get_by_role("link", name="Programmpunkt hinzufügen").click()
    page.get_by_label("Titel", exact=True).fill("Eintragung ins Goldene Buch im Rathaus")
    page.locator("#starts_at").fill(f"{day}T11:00")
    page.locator("#ends_at").fill(f"{day}T11:30")
    page.get_by_label("Eintragung ins Goldene Buch").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Programmpunkt wurde gespeichert.")).to_be_visible()


def test_a_flagged_state_visit_item_plans_the_golden_book_and_a_ministerial_director_the_gaestebuch(page):
    log_in(page, "referent@protokoll.example", expect_success=False)
    _visit_with_flagged_item(page, title="Staatsbesuch der Präsidentin der Republik Finnland", kind="state_visit",
                             guest="Aino Virtanen", function="Präsidentin der Republik Finnland", country="FI",
                             day="2027-09-14")
    entries = page.get_by_test_id("occasion-book-entries")
    expect(entries).to_contain_text("Goldenes Buch: Aino Virtanen, 14.09.2027 · Geplant")
    expect(page.get_by_role("cell", name="Kalligrafie: Seite im Goldenen Buch vorbereitet – Aino Virtanen")).to_be_visible()
    expect(page.get_by_role("row", name="Kalligrafie").first).to_contain_text("09.09.2027")
    entries.get_by_role("link", name="Goldenes Buch").click()
    expect(page.get_by_test_id("entry-rule")).to_contain_text("Die Regel schlägt das Goldene Buch vor: Staatsoberhaupt.")
    expect(page.get_by_test_id("calligrapher-task")).to_contain_text("fällig am 09.09.2027")

    _visit_with_flagged_item(page, title="Arbeitsbesuch aus dem finnischen Außenministerium", kind="working_visit",
                             guest="Dr. Jonas Berg", function="Ministerialdirektor", country="FI", day="2027-09-21")
    entries = page.get_by_test_id("occasion-book-entries")
    expect(entries).to_contain_text("Gästebuch: Dr. Jonas Berg, 21.09.2027 · Geplant")
    expect(page.get_by_role("cell", name="Kalligrafie: Seite im Goldenen Buch vorbereitet – Dr. Jonas Berg")).to_have_count(0)
    entries.get_by_role("link", name="Gästebuch").click()
    expect(page.get_by_test_id("entry-rule")).to_contain_text("Die Regel schlägt das Gästebuch vor")

    # The Golden Book for him only with a reason.
    page.get_by_label("Buch", exact=True).select_option("golden")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#reason-error")).to_contain_text("„Ministerialdirektor“ gehört nicht zu denen")
    page.get_by_label("Begründung für das Goldene Buch").fill("Leiter der Delegation zum Jubiläum, Wunsch der Chefin der Senatskanzlei")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_test_id("entry-status")).to_contain_text("Goldenes Buch")
    expect(page.get_by_test_id("entry-rule")).to_contain_text("Goldenes Buch außerhalb der Regel")
    expect(page.get_by_test_id("calligrapher-task")).to_contain_text("fällig am 16.09.2027")

    page.goto("/golden-book/?year=2027&book=golden")
    table = page.get_by_test_id("book-entries")
    expect(table).to_contain_text("Aino Virtanen")
    expect(table).to_contain_text("Dr. Jonas Berg")
    expect(table).to_contain_text("außerhalb der Regel")
