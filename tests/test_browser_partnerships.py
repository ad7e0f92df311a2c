"""Partner cities and press notes in a real browser (issue 21, "Done when"): the Brussels
partnership page shows its agreement of 1 June 1992, its visits and an activity; the jubilee
overview lists next year's round anniversaries; an officer drafts a note about the held
Brussels delegation visit, a manager approves it, and the public feed (read with feedparser)
carries it in German and English."""

from __future__ import annotations

import feedparser
import pytest
import requests
from playwright.sync_api import expect

from protocol_app.core.time import today_berlin
from tests.browser import log_in, new_logged_in_page, open_menu

pytestmark = pytest.mark.browser

NOTE = {
    "Titel (Deutsch)": "Brüsseler Delegation zu Gast im Roten Rathaus",
    "Vorspann (Deutsch)": "Die Staatssekretärin für Europa der Region Brüssel-Hauptstadt besuchte Berlin.",
    "Text (Deutsch)": "Beide Hauptstädte vereinbarten neue BerlinDays und BrusselDays.",
    "Titel (Englisch)": "Brussels delegation at the Rotes Rathaus",
    "Vorspann (Englisch)": "The Brussels-Capital Region's State Secretary for Europe visited Berlin.",
    "Text (Englisch)": "Both capitals agreed on new BerlinDays and BrusselDays.",
}


def test_the_brussels_partnership_its_jubilee_and_a_press_note_from_its_delegation(page, browser, live_server):
    log_in(page, "referent@protokoll.example", expect_success=False)
    open_menu(page, "Register")
    page.get_by_role("link", name="Städtepartnerschaften", exact=True).click()
    page.get_by_test_id("partnerships").get_by_role("link", name="Brüssel", exact=True).click()
    expect(page.get_by_role("heading", name="Partnerschaft mit Brüssel")).to_be_visible()
    expect(page.get_by_test_id("agreement")).to_contain_text("01.06.1992")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Delegation der Region Brüssel-Hauptstadt")
    expect(history).to_contain_text("BerlinDays in Brüssel")
    expect(history).to_contain_text("Porzellanschale KPM mit Berliner Bär")  # the visit's gift

    # the page's own link back (the menu's, hidden while the menu is closed, is not the one meant)
    page.locator("main").get_by_role("link", name="Städtepartnerschaften", exact=True).click()
    page.get_by_role("link", name="Jubiläen", exact=True).click()
    next_year = today_berlin().year + 1
    expect(page.get_by_role("heading", name=f"Runde Jubiläen der Partnerschaften {next_year}")).to_be_visible()
    jubilees = page.get_by_test_id("jubilees")
    expect(jubilees.locator("tr", has_text="Brüssel")).to_contain_text(f"{next_year - 1992} Jahre")
    expect(jubilees.locator("tr", has_text="Paris")).to_contain_text(f"{next_year - 1987} Jahre")

    # The held delegation visit: a press note is drafted from its page.
    page.goto(page.url.split("/partnerships")[0] + "/partnerships/")
    page.get_by_test_id("partnerships").get_by_role("link", name="Brüssel", exact=True).click()
    page.get_by_test_id("history").get_by_role("link", name="Delegation der Region Brüssel-Hauptstadt").click()
    page.get_by_role("link", name="Pressemeldung entwerfen").click()
    expect(page.get_by_label("Titel (Deutsch)")).to_have_value("Delegation der Region Brüssel-Hauptstadt")
    for label, text in NOTE.items():
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Entwurf wurde gespeichert.")).to_be_visible()
    page.get_by_role("button", name="Zur Freigabe senden").click()
    expect(page.get_by_test_id("note-state")).to_contain_text("In Prüfung")
    note_url = page.url

    context, manager = new_logged_in_page(browser, live_server, "leitung@protokoll.example")
    manager.goto(note_url)
    expect(manager.get_by_test_id("note-en")).to_contain_text(NOTE["Titel (Englisch)"])
    manager.get_by_role("button", name="Freigeben und veröffentlichen").click()
    expect(manager.get_by_test_id("note-state")).to_contain_text("Veröffentlicht")
    context.close()

    # The public website reads it without a login, in both languages.
    german = feedparser.parse(requests.get(f"{live_server.url}/public/news/de/feed.atom", timeout=30).content)
    english = feedparser.parse(requests.get(f"{live_server.url}/public/news/en/feed.atom", timeout=30).content)
    assert german.bozo == 0 and english.bozo == 0
    assert NOTE["Titel (Deutsch)"] in [e.title for e in german.entries]
    [entry] = [e for e in english.entries if e.title == NOTE["Titel (Englisch)"]]
    assert entry.summary == NOTE["Vorspann (Englisch)"]
    listing = requests.get(f"{live_server.url}/public/news/de/news.json?section=aktuelles", timeout=30).json()
    assert NOTE["Titel (Deutsch)"] in [item["title"] for item in listing["items"]]
