"""An interpreter booked for a visit's programme item, in a real browser (issue 5, "Done when")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, new_logged_in_page

pytestmark = pytest.mark.browser


def _answer_as(browser, live_server, email: str, reference: str, button: str):
    """The translator opens the offer from their own inbox and answers it."""
    context, page = new_logged_in_page(browser, live_server, email)
    page.get_by_role("link", name="Meine Einsätze").click()
    page.get_by_test_id("my-offers").get_by_role("link", name=re.compile(reference)).click()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text("Vielen Dank, Ihre Antwort wurde gespeichert.")).to_be_visible()
    context.close()


def test_officer_books_an_interpreter_for_a_programme_item(page, browser, live_server):
    log_in(page, "referent@protokoll.example")
    page.get_by_role("link", name="Besuche", exact=True).click()
    page.get_by_role("link", name="Neuer Besuch").click()
    page.get_by_label("Titel", exact=True).fill("Besuch aus Los Angeles")
    page.get_by_label("Art des Besuchs").select_option("partner_city")
    page.get_by_label("Ehrengast").fill("Karen Bass")
    page.locator("#country_code").select_option("US")
    page.locator("#arrival_at").fill("2027-03-16T08:00")  # a Tuesday
    page.locator("#departure_at").fill("2027-03-17T18:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    visit_url = page.url

    # The officer flags the interpreter need on a programme item.
    page.get_by_role("link", name="Programmpunkt hinzufügen").click()
    page.get_by_label("Titel", exact=True).fill("Gespräch mit dem Regierenden Bürgermeister")
    page.locator("#starts_at").fill("2027-03-16T10:00")
    page.locator("#ends_at").fill("2027-03-16T11:30")
    page.get_by_label("Dolmetschung erforderlich").check()
    page.locator("#interpreter_language").select_option("en")
    page.get_by_label("Dolmetschart").select_option("consecutive")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Dolmetschung buchen").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    reference = re.search(r"S-\d{4}-\d{4}", page.url).group(0)

    # The two best candidates get the offer.
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text("Jana Jansen")
    rows = candidates.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Jana Jansen")  # English as A language
    expect(rows.nth(1)).to_contain_text("Dora Dolmetscherin")
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    page.get_by_role("button", name="Den gewählten Personen anbieten").click()
    expect(page.get_by_text("2 Personen angeboten.")).to_be_visible()
    expect(page.get_by_test_id("staffing")).to_have_text("Angeboten")

    # One declines, one accepts, each from their own login.
    _answer_as(browser, live_server, "dolmetscherin@protokoll.example", reference, "Ablehnen")
    _answer_as(browser, live_server, "dolmetscher@protokoll.example", reference, "Annehmen")

    # The visit shows the booked interpreter; the staffing board shows the slot filled.
    page.goto(visit_url)
    expect(page.get_by_text("gebucht: Dora Dolmetscherin")).to_be_visible()
    page.get_by_role("link", name="Sprachendienst", exact=True).click()
    board = page.get_by_test_id("staffing-board")
    expect(board.get_by_role("row", name=re.compile(reference))).to_contain_text("besetzt")
    expect(board.get_by_role("row", name=re.compile(reference))).to_have_attribute("data-staffing", "staffed")


    # The programme item moves by half an hour: the assignment follows and Dora is told.
    page.goto(visit_url)
    page.get_by_role("link", name="Gespräch mit dem Regierenden Bürgermeister").click()
    page.locator("#starts_at").fill("2027-03-16T10:30")
    page.locator("#ends_at").fill("2027-03-16T12:00")
    page.get_by_role("button", name="Speichern").click()
    page.goto(f"/translations/{reference}")
    expect(page.get_by_text("Dienstag, 16. März 2027, 10:30 Uhr")).to_be_visible()
    _expect_told(browser, live_server, "dolmetscher@protokoll.example", f"{reference} wurde geändert")

    # The officer cancels the booked assignment with a reason; Dora is told.
    page.get_by_text("Einsatz absagen").first.click()
    page.get_by_label("Grund der Absage").fill("Termin entfällt")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Einsatz absagen").click()
    expect(page.get_by_text("1 Sprachmittler/in wurde benachrichtigt")).to_be_visible()
    expect(page.get_by_test_id("staffing")).to_have_text("Abgesagt")
    _expect_told(browser, live_server, "dolmetscher@protokoll.example", f"{reference} wurde abgesagt: Termin entfällt")


def _expect_told(browser, live_server, email: str, text: str):
    """The person finds the message in their notifications."""
    context, page = new_logged_in_page(browser, live_server, email)
    page.get_by_test_id("bell").click()
    expect(page.get_by_text(text)).to_be_visible()
    context.close()


def test_a_translator_hands_back_an_accepted_assignment_and_the_officer_is_told(page, browser, live_server):
    log_in(page, "referent@protokoll.example")
    page.goto("/translations/new")
    page.get_by_label("Titel", exact=True).fill("Tischrede beim Partnerschaftsjubiläum")
    page.locator("#language").select_option(label="Englisch")
    page.locator("#kind").select_option("interpreting")
    page.locator("#mode").select_option("consecutive")
    page.locator("#starts_at").fill("2027-03-23T12:00")  # a Tuesday
    page.locator("#ends_at").fill("2027-03-23T13:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("wurde erfasst")).to_be_visible()
    reference = re.search(r"S-\d{4}-\d{4}", page.url).group(0)
    page.get_by_test_id("candidates").get_by_role("checkbox", name="Jana Jansen").check()
    page.get_by_role("button", name="Den gewählten Personen anbieten").click()
    _answer_as(browser, live_server, "dolmetscherin@protokoll.example", reference, "Annehmen")

    context, jana = new_logged_in_page(browser, live_server, "dolmetscherin@protokoll.example")
    jana.get_by_role("link", name="Meine Einsätze").click()
    jana.get_by_test_id("my-offers").get_by_role("link", name=re.compile(reference)).click()
    jana.get_by_text("Einsatz zurückgeben", exact=True).click()
    jana.get_by_label("Warum Sie den Einsatz zurückgeben").fill("Erkrankt")
    jana.once("dialog", lambda dialog: dialog.accept())
    jana.get_by_role("button", name="Zurückgeben").click()
    expect(jana.get_by_text("Sie haben den Einsatz zurückgegeben")).to_be_visible()
    expect(jana.get_by_test_id("offer-state")).to_have_text("Zurückgegeben")
    context.close()

    page.reload()
    expect(page.get_by_test_id("staffing")).to_have_text("Offen")
    page.get_by_test_id("bell").click()
    expect(page.get_by_text(f"Jana Jansen hat {reference} zurückgegeben: Erkrankt")).to_be_visible()


def test_the_office_sets_a_freelancers_rates_and_the_translator_sees_their_own_hours(page, browser, live_server):
    log_in(page, "referent@protokoll.example")
    page.goto("/translations/translators")
    page.get_by_role("row", name=re.compile("Jana Jansen")).get_by_role("link", name="Konditionen").click()
    page.get_by_label("Honorar je Tag (EUR, freiberuflich)").fill("99.999")
    page.get_by_role("button", name="Konditionen speichern").click()
    # A typing error, not a contract: said at the field and in the summary that takes the focus.
    expect(page.locator("#rate_day-error")).to_contain_text("Höchstens 3.500,00 €")
    expect(page.locator("[data-error-summary]")).to_contain_text("Höchstens 3.500,00 €")
    page.get_by_label("Honorar je Tag (EUR, freiberuflich)").fill("650,50")
    page.get_by_role("button", name="Konditionen speichern").click()
    expect(page.get_by_role("row", name=re.compile("Jana Jansen"))).to_contain_text("650,50")

    context, translator = new_logged_in_page(browser, live_server, "dolmetscherin@protokoll.example")
    translator.goto("/translations/profile")
    expect(translator.get_by_label("Honorar je Tag (EUR, freiberuflich)")).to_have_count(0)  # not hers to set
    translator.get_by_role("link", name="Meine Stunden").click()
    expect(translator.get_by_role("heading", name=re.compile("Meine Stunden"))).to_be_visible()
    context.close()


def test_the_request_form_proposes_the_aiic_team_while_the_officer_types(page):
    log_in(page, "referent@protokoll.example")
    page.goto("/translations/new")
    help_text = page.locator("#needed-help")
    page.locator("#kind").select_option("interpreting")
    page.locator("#mode").select_option("simultaneous")
    expect(help_text).to_contain_text("Beginn und Ende angeben")
    page.locator("#starts_at").fill("2027-03-23T09:00")
    page.locator("#ends_at").fill("2027-03-23T14:30")  # five and a half hours: three per language
    expect(help_text).to_contain_text("schlägt 3 je Sprache vor")
    expect(page.locator("#needed")).to_have_attribute("placeholder", "3")
    page.locator("#ends_at").fill("2027-03-23T10:00")  # one hour: two
    expect(help_text).to_contain_text("schlägt 2 je Sprache vor")
    page.locator("#mode").select_option("consecutive")
    expect(help_text).to_contain_text("schlägt 1 je Sprache vor")
