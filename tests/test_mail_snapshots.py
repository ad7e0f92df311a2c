"""Every kind of mail the app sends, in German and English, as the recipient's mail program
reads it: parsed back with Python's mail parser, compared with a committed snapshot (headers,
the plain text, the HTML part, the calendar attachment), and the invitation's calendar file
read by ical.js. `UPDATE_SNAPSHOTS=1` writes the snapshots anew after an intended change.

What varies between runs (Message-ID, Date, MIME boundaries, reply tokens, DTSTAMP) is
replaced by a placeholder; everything a reader sees is compared."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core.notifications.delivery import build_message
from protocol_app.core.notifications.models import OutboxMail
from protocol_app.extensions import db
from tests.documents import read_with_ical_js
from tests.event_support import event_form
from tests.support import ensure_reference_data, login, make_user, post

pytestmark = pytest.mark.one_backend

SNAPSHOTS = Path(__file__).parent / "snapshots" / "mails"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_VOLATILE = [
    (re.compile(r"/events/reply/[A-Za-z0-9_-]+"), "/events/reply/TOKEN"),
    (re.compile(r"/emigrants/volunteer/[A-Za-z0-9_-]+"), "/emigrants/volunteer/TOKEN"),
    (re.compile(r"DTSTAMP:\S+"), "DTSTAMP:NOW"),
    (re.compile(r"(UID:event-)\d+"), r"\g<1>N"),
]


def _snapshot(raw: bytes) -> str:
    """The mail as its reader sees it, part by part, decoded."""
    message = message_from_bytes(raw, policy=policy.default)
    lines = [f"{name}: {message[name]}" for name in ("From", "To", "Subject", "Auto-Submitted")]
    lines.append(f"Content-Type: {message.get_content_type()}")
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        lines.append(f"\n--- {part.get_content_type()}" + (f" ({name})" if name else "")
                     + (f" method={part.get_param('method')}" if part.get_param("method") else ""))
        content = part.get_content().replace("\r\n", "\n").rstrip()
        if part.get_content_type() == "text/calendar":
            content = re.sub(r"\n[ \t]", "", content)  # unfolded, as calendar programs read it
        lines.append(content)
    text = "\n".join(lines) + "\n"
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def _compare(kind: str, raw: bytes) -> None:
    path = SNAPSHOTS / f"{kind}.txt"
    seen = _snapshot(raw)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(seen, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert seen == path.read_text(encoding="utf-8"), f"{kind} differs from {path}"


def _mails(app) -> dict[str, bytes]:
    """{recipient: wire bytes} of the outbox, as the worker would send them."""
    with app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()
        return {m.recipient: build_message(m).as_bytes() for m in mails}


def _check_headers(raw: bytes, app) -> None:
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Date"] and message["Auto-Submitted"] == "auto-generated"
    domain = app.config["MAIL_SENDER"].rsplit("@", 1)[1].rstrip(">")
    assert message["Message-ID"].endswith(f"@{domain}>")
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None, "plain text and an HTML part"
    assert html.get_content().startswith("<!doctype html>")


def test_notifications_in_german_and_english(app):
    from protocol_app.auth.models import User
    from protocol_app.core.notifications.services import notify
    from protocol_app.visits import notices

    ensure_reference_data(app)
    ids = {lang: make_user(app, f"{lang}@example.org", locale=lang, name=f"Nutzer {lang}") for lang in ("de", "en")}
    with time_machine.travel(NOW, tick=False), app.app_context():
        for user_id in ids.values():
            notify(db.session.get(User, user_id), notices.REQUEST_WAITING,
                   {"reference": "V-2026-0007", "title": "Delegation aus Paris"}, link="/visits/V-2026-0007")
        db.session.commit()
    mails = _mails(app)
    for lang in ("de", "en"):
        raw = mails[f"{lang}@example.org"]
        _check_headers(raw, app)
        _compare(f"notification.{lang}", raw)


def _event_with_guests(app):
    """An event with a German and an English guest, one place only; return its reference."""
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.models import Event

    ensure_reference_data(app)
    make_user(app, "officer@example.org", roles=["officer"], name="Olaf Officer")
    officer = app.test_client()
    with time_machine.travel(NOW, tick=False):
        login(officer, "officer@example.org")
        post(officer, "/events/new", event_form(capacity="1", reply_by="2027-01-10"))
        with app.app_context():
            event = db.session.scalar(sa.select(Event))
            actor = db.session.scalar(sa.select(User))
            for name, language, form in (("Marie Dupont", "de", "female"), ("John Smith", "en", "male")):
                add_adhoc(event, actor=actor, name=name, email=f"{name.split()[0].lower()}@example.org",
                          language=language, salutation_form=form)
            db.session.commit()
            return event.reference


def test_invitations_reminders_and_moving_up_in_german_and_english(app):
    from protocol_app.auth.models import User
    from protocol_app.events import invitations
    from protocol_app.events.models import Event, Guest

    _event_with_guests(app)
    with time_machine.travel(NOW, tick=False), app.app_context():
        invitations.send_invitations(db.session.scalar(sa.select(Event)), actor=db.session.scalar(sa.select(User)))
        db.session.commit()
    invited = _mails(app)
    for address, lang in (("marie@example.org", "de"), ("john@example.org", "en")):
        raw = invited[address]
        _check_headers(raw, app)
        _compare(f"invitation.{lang}", raw)
        message = message_from_bytes(raw, policy=policy.default)
        ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        (entry,) = read_with_ical_js(ics.get_content().encode("utf-8"))
        # 20 January 2027, 18:00 in Berlin (CET) is 17:00 UTC, in Thunderbird's parser too.
        assert entry["start"] == "2027-01-20T17:00:00.000Z" and entry["end"] == "2027-01-20T20:00:00.000Z"

    with app.app_context():
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
    # A week before the reply date both are reminded.
    from protocol_app.core.reminders.services import run_all_rules

    with time_machine.travel(datetime(2027, 1, 5, 8, 0, tzinfo=UTC), tick=False), app.app_context():
        run_all_rules()
        db.session.commit()
    reminded = _mails(app)
    for address, lang in (("marie@example.org", "de"), ("john@example.org", "en")):
        _check_headers(reminded[address], app)
        _compare(f"reply-reminder.{lang}", reminded[address])

    # One place: John accepts, Marie waits; John declines after all and Marie moves up (German);
    # then the other way round (English).
    with app.app_context():
        db.session.execute(sa.delete(OutboxMail))
        db.session.commit()
    with time_machine.travel(datetime(2027, 1, 6, 8, 0, tzinfo=UTC), tick=False), app.app_context():
        guests = {g.name: g for g in db.session.scalars(sa.select(Guest))}
        invitations.record_reply(guests["John Smith"], accept=True)
        invitations.record_reply(guests["Marie Dupont"], accept=True)
        invitations.record_reply(guests["John Smith"], accept=False)
        invitations.record_reply(guests["John Smith"], accept=True)
        invitations.record_reply(guests["Marie Dupont"], accept=False)
        db.session.commit()
    moved = _mails(app)
    for address, lang in (("marie@example.org", "de"), ("john@example.org", "en")):
        _check_headers(moved[address], app)
        _compare(f"moved-up.{lang}", moved[address])


def test_the_volunteers_mail_in_german(app):
    """Volunteers are Berliners and their page is German: their mail has no English version."""
    from protocol_app.auth.models import User
    from protocol_app.emigrants import planning, services, volunteer

    ensure_reference_data(app)
    make_user(app, "team@example.org", roles=["emigration"], name="Emil Team")
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = db.session.scalar(sa.select(User))
        application = services.create_application(actor=actor, values={
            "category": "emigrant", "name": "Ruth Goldmann", "birth_date": date(1931, 11, 9),
            "address": "Rehov Herzl 12\nHaifa 3303712", "country_code": "IL", "language": "de",
            "declaration_signed": True})
        application.state = "confirmed"
        plan = planning.save_plan(application, actor=actor, arrives_on=date(2027, 5, 3), hotel="Hotel am Park",
                                  volunteer="Frau Ehrenamt", volunteer_email="ehrenamt@example.org")
        volunteer.send_programme(application, plan, actor=actor)
        db.session.commit()
    raw = _mails(app)["ehrenamt@example.org"]
    _check_headers(raw, app)
    assert "Goldmann" not in raw.decode("utf-8", "replace")  # the volunteer's mail names no guest
    _compare("volunteer.de", raw)
