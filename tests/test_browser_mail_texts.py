"""An admin words the office's invitation in a real browser: the placeholders beside the text, a
preview with example values, a refused placeholder named, the saved version in force."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = pytest.mark.browser


def test_an_admin_words_the_invitation_previews_it_and_puts_it_in_force(page, live_server):
    log_in(page, "admin@protokoll.example")
    page.goto("/admin/mail-texts")
    page.get_by_role("row", name="Platz von der Warteliste bestätigt").get_by_role("link").first.click()
    expect(page.get_by_test_id("placeholders")).to_contain_text("{salutation}")
    body = page.get_by_label("Text")
    body.fill("{salutation},\n\nfür Sie ist ein Platz frei geworden: {event_title} am {event_date}.\n\n{gast}")
    page.get_by_role("button", name="Text speichern").click()
    expect(page.get_by_text("Unbekannter Platzhalter {gast}").first).to_be_visible()  # refused by its name
    body.fill("{salutation},\n\nfür Sie ist ein Platz frei geworden: {event_title} am {event_date}.")
    page.get_by_role("button", name="Vorschau zeigen").click()
    expect(page.get_by_test_id("preview")).to_contain_text("für Sie ist ein Platz frei geworden: Empfang für das "
                                                           "Diplomatische Korps am 20. Januar 2027.")
    page.get_by_role("button", name="Text speichern").click()
    expect(page.get_by_text("Der Text wurde gespeichert")).to_be_visible()
    expect(page.get_by_text("Der Text des Referats gilt (Version 1).")).to_be_visible()
    # Back to the default words, after the question.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Zurück zum Standardtext").click()
    expect(page.get_by_text("Es gilt wieder der Standardtext.")).to_be_visible()


def test_an_admin_words_a_reminder_and_previews_it_inside_the_frame(page, live_server):
    log_in(page, "admin@protokoll.example")
    page.goto("/admin/mail-texts")
    page.get_by_role("row", name="Besuche: eine Anfrage wartet seit einer Woche auf Entscheidung").get_by_role(
        "link").first.click()
    expect(page.get_by_test_id("framed")).to_contain_text("Rahmen")
    page.get_by_label("Text").fill("Die Anfrage {reference} liegt seit einer Woche bei Ihnen: bitte entscheiden.")
    page.get_by_role("button", name="Vorschau zeigen").click()
    preview = page.get_by_test_id("preview")
    # The sentence as the mail will read: inside the greeting, the link and the footer of every notice.
    expect(preview).to_contain_text("Guten Tag,")
    expect(preview).to_contain_text("Die Anfrage V-2027-0007 liegt seit einer Woche bei Ihnen: bitte entscheiden.")
    expect(preview).to_contain_text("In Protokoll öffnen: https://")
    page.get_by_role("link", name="Rahmen ändern").click()
    expect(page.get_by_test_id("placeholders")).to_contain_text("{message}")
