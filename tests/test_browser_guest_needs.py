"""A guest tells what they need at the reply, in a real browser; the officer sees it at the door."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = pytest.mark.browser


def _invited(live_server) -> tuple[str, str]:
    """A dinner asking about diet (required) and access, one guest invited; (reference, reply path)."""
    from protocol_app.auth.models import User
    from protocol_app.core.notifications.models import OutboxMail
    from protocol_app.events import invitations
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.services import create_event
    from protocol_app.extensions import db

    with live_server.app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.email == "referent@protokoll.example"))
        event = create_event(actor=officer, values={
            "title": "Abendessen für die Bürgermeisterin von Paris", "kind": "reception",
            "starts_at": datetime(2027, 6, 3, 17, tzinfo=UTC), "ends_at": datetime(2027, 6, 3, 21, tzinfo=UTC),
            "capacity": 20, "dress_code": "business", "press": "none", "responsible_officer_id": officer.id,
            "reply_questions": ["diet", "access"], "reply_required": ["diet"]})
        guest = add_adhoc(event, actor=officer, name="Claire Martin", email="claire.martin@example.org", language="de")
        invitations.send_invitations(event, actor=officer)
        db.session.commit()
        body = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient == guest.email)
                                  .order_by(OutboxMail.id.desc())).first().body_text
        return event.reference, re.search(r"/events/reply/\S+", body).group(0)


def test_the_guest_says_what_she_needs_and_the_officer_sees_it_at_the_door(page, browser, live_server):
    reference, link = _invited(live_server)
    context = browser.new_context(base_url=live_server.url)
    guest = context.new_page()
    guest.goto(link)
    guest.get_by_label("Ich nehme teil").check()
    guest.get_by_role("button", name="Antwort senden").click()
    expect(guest.get_by_text("Bitte beantworten Sie diese Frage.").first).to_be_visible()  # the diet is required
    guest.get_by_label("Vegetarisch").check()
    guest.get_by_label("Rollstuhlgerechter Zugang").check()
    guest.get_by_label("Allergien oder andere Ernährungshinweise (freiwillig)").fill("Keine Nüsse")
    guest.get_by_role("button", name="Antwort senden").click()
    expect(guest.get_by_test_id("reply-done")).to_contain_text("Vielen Dank")
    context.close()

    log_in(page, "referent@protokoll.example")
    page.goto(f"/events/{reference}/checkin")
    expect(page.get_by_test_id("guest-needs")).to_contain_text("Vegetarisch · Rollstuhlgerechter Zugang · Keine Nüsse")
