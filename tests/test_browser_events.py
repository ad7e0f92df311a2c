"""The flag day from template to door, in a real browser (issue 7, "Done when")."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = pytest.mark.browser


def _reply_link(live_server, email: str) -> str:
    """The personal link from the invitation mail in the outbox (the guest's inbox in real life)."""
    from protocol_app.core.notifications.models import OutboxMail
    from protocol_app.extensions import db

    with live_server.app.app_context():
        body = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient == email)
                                  .order_by(OutboxMail.id.desc())).first().body_text
    return re.search(r"/events/reply/\S+", body).group(0)


def _answer(browser, live_server, email: str, *, accept: bool, companion: str = "") -> str:
    """A guest answers through their link in a browser of their own, without an account."""
    context = browser.new_context(base_url=live_server.url)
    guest_page = context.new_page()
    guest_page.goto(_reply_link(live_server, email))
    guest_page.get_by_label("Ich nehme teil" if accept else "Ich kann leider nicht teilnehmen").check()
    if companion:
        guest_page.get_by_label("Name Ihrer Begleitung (freiwillig)").fill(companion)
    guest_page.get_by_role("button", name="Antwort senden").click()
    text = guest_page.get_by_test_id("reply-done").inner_text()
    context.close()
    return text


def test_flag_day_from_template_to_check_in(page, browser, live_server):
    log_in(page, "referent@protokoll.example")

    # The demo has next year's occasions already; the officer makes the year after from its template.
    page.goto("/events/occasions?year=2028")
    page.get_by_role("row", name=re.compile("Flaggentag der Mayors for Peace")).get_by_role(
        "button", name="Veranstaltung anlegen").click()
    expect(page.get_by_role("heading", name="Flaggentag der Mayors for Peace 2028")).to_be_visible()
    expect(page.get_by_text("Gästeliste abstimmen")).to_be_visible()  # the occasion's checklist
    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("Kapazität (Gäste)").fill("3")
    page.get_by_role("button", name="Speichern").click()

    # Guest list from two categories, one guest per category with a companion allowed.
    for category in ("Senat", "Diplomatisches Korps"):
        page.locator("summary", has_text="Gäste hinzufügen").click()  # the forms open from their button
        page.get_by_label("Gästekategorie").select_option(label=category)
        page.locator("#category-companions").fill("1")
        page.get_by_role("button", name="Kategorie hinzufügen").click()
    expect(page.get_by_test_id("guest-count")).to_have_text("6")
    rows = page.get_by_test_id("guest-list").locator("tbody tr")
    expect(rows.first).to_contain_text("Sabine Senatorin")  # highest rank first

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Einladungen versenden").click()
    expect(page.get_by_text("6 Einladungen versandt.")).to_be_visible()

    # Replies through the personal links: capacity 3.
    assert "freuen uns" in _answer(browser, live_server, "senatorin@example.org", accept=True,
                                   companion="Dr. Paul Partner")  # 2 places
    _answer(browser, live_server, "senator@example.org", accept=True)  # 3 places: full
    assert "Warteliste" in _answer(browser, live_server, "dupont@example.org", accept=True)
    _answer(browser, live_server, "senator@example.org", accept=False)  # declines: a place is free
    # Reopening the link shows the answer given, with the form to change it until the deadline.
    context = browser.new_context(base_url=live_server.url)
    again = context.new_page()
    again.goto(_reply_link(live_server, "senator@example.org"))
    expect(again.get_by_test_id("answer-given")).to_contain_text("Abgesagt")
    expect(again.get_by_label("Ich kann leider nicht teilnehmen")).to_be_checked()
    context.close()
    page.reload()
    guest_list = page.get_by_test_id("guest-list")
    expect(guest_list.get_by_role("row", name=re.compile("Jean Dupont"))).to_contain_text("Zugesagt")
    expect(guest_list.get_by_role("row", name=re.compile("Thomas Senator"))).to_contain_text("Abgesagt")

    # Seating: the highest-ranking guest beside the host, the companion next to her.
    page.get_by_role("link", name="Sitzordnung", exact=True).click()
    page.get_by_label("Tische", exact=True).fill("2")
    page.get_by_label("Plätze je Tisch").fill("6")
    page.get_by_role("button", name="Tische anlegen").click()
    page.get_by_role("button", name="Sitzordnung nach Rangfolge vorschlagen").click()
    host_table = page.get_by_test_id("table-1")
    expect(host_table.locator('li[data-seat="1"]')).to_have_text("Sabine Senatorin")
    expect(host_table.locator('li[data-seat="2"]')).to_contain_text("Dr. Paul Partner")
    expect(host_table.locator('li[data-seat="6"]')).to_have_text("Jean Dupont")

    # Place cards as PDF, with the browser's own session.
    cards = page.get_by_role("link", name="Tischkarten (PDF)")
    response = page.request.get(cards.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")

    # At the door.
    page.get_by_role("link", name=re.compile(r"^E-2028-\d+ Flaggentag")).click()
    page.get_by_role("link", name="Einlass", exact=True).click()
    page.get_by_label("Nach Namen suchen").fill("Senatorin")
    page.get_by_label("Nach Namen suchen").press("Enter")
    page.get_by_role("button", name="Angekommen").click()
    expect(page.get_by_test_id("present-count")).to_have_text("1 von 2 anwesend")


def test_a_wreath_laying_without_guests_is_held_and_closed(page, live_server):
    from datetime import timedelta

    from protocol_app.auth.models import User
    from protocol_app.core.time import now_utc
    from protocol_app.events import services
    from protocol_app.extensions import db

    with live_server.app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.email == "referent@protokoll.example"))
        event = services.create_event(actor=officer, values={
            "title": "Kranzniederlegung am Gedenkstein", "kind": "wreath_laying", "starts_at": now_utc(),
            "ends_at": now_utc() + timedelta(hours=1), "responsible_officer_id": officer.id})
        db.session.commit()
        reference = event.reference
    log_in(page, "referent@protokoll.example")
    page.goto(f"/events/{reference}")
    page.get_by_role("button", name="Als durchgeführt markieren").click()
    expect(page.get_by_text("Neuer Status: Durchgeführt")).to_be_visible()
    page.get_by_role("button", name="Abschließen").click()
    expect(page.get_by_text("Neuer Status: Abgeschlossen")).to_be_visible()
