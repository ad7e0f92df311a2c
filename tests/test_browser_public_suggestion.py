"""A citizen suggests someone for an honour in a real browser: the page's proof of work runs in
chromium (the widget and its worker served by the app, under the app's Content Security Policy)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_citizen_sends_a_suggestion_and_reads_its_reference(browser, live_server):
    from protocol_app.extensions import db
    from protocol_app.honours.models import Nomination

    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    refused_by_policy = []
    page.on("console", lambda message: refused_by_policy.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/ehrungen/vorschlag")
    page.get_by_label("Welche Ehrung schlagen Sie vor?").select_option(label="Ernst-Reuter-Plakette")
    page.get_by_label("Name der vorgeschlagenen Person").fill("Hans Beispiel")
    page.get_by_label("Warum hat die Person die Ehrung verdient?").fill("Er hat vierzig Jahre lang den Kiezchor geleitet.")
    page.get_by_label("Ihr Name").fill("Erika Muster")
    page.get_by_label("Ihre Postanschrift").fill("Musterstraße 1\n10115 Berlin")
    page.get_by_label("Ihre E-Mail-Adresse (für die Bestätigung)").fill("erika.muster@example.org")
    page.get_by_label("Ich habe gelesen, wie meine Angaben verwendet werden").check()
    # The widget solves its puzzle once the form has the focus; its hidden field then holds the proof.
    expect(page.locator("input[name=altcha]")).to_have_value(re.compile(".{40,}"), timeout=30_000)
    page.get_by_role("button", name="Vorschlag senden").click()
    expect(page.get_by_test_id("suggestion-sent")).to_contain_text("Aktenzeichen")
    reference = re.search(r"N-\d{4}-\d{4}", page.get_by_test_id("suggestion-sent").inner_text()).group(0)
    context.close()
    with live_server.app.app_context():
        case = db.session.scalar(sa.select(Nomination).where(Nomination.received_online_at.is_not(None))
                                 .order_by(Nomination.id.desc()))
        assert case.reference == reference and case.nominee_name == "Hans Beispiel" and case.state == "draft"
    assert refused_by_policy == []
