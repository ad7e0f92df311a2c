"""The office's own mail texts: an admin changes the words of a kind of mail (placeholders checked
by name, a preview with example values, versions kept, the default back), and the mails follow —
each keeping the words it was written with."""

from __future__ import annotations

import re

import sqlalchemy as sa

from protocol_app.core.mail_texts.models import MailTextVersion
from protocol_app.core.notifications.models import OutboxMail
from protocol_app.events import invitations
from protocol_app.events.guests import add_adhoc
from protocol_app.events.models import Event
from protocol_app.extensions import db
from tests.event_support import make_event
from tests.support import audit_events, ensure_reference_data, login, make_user, post

PAGE = "/admin/mail-texts/events.invitation/de"
OFFICE_WORDS = {"subject": "Einladung der Senatskanzlei: {event_title}",
                "body": "{salutation},\n\nwir laden Sie herzlich ein: {event_title} am {event_date} um {event_time}.\n"
                        "Kleiderordnung: {dress_code}\nIhre Antwort: {reply_link}\n\nIhr Protokoll"}


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(MailTextVersion.id)))


def _admin(app):
    ensure_reference_data(app)
    make_user(app, "admin@example.org", roles=["admin"])
    client = app.test_client()
    login(client, "admin@example.org")
    return client


def _save(client, version: int, **words):
    return post(client, PAGE, {**OFFICE_WORDS, **words, "version": str(version), "submit": "1"})


def _invite(app, name: str) -> dict:
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = event.responsible_officer or db.session.scalar(sa.select(Event)).responsible_officer
        add_adhoc(event, actor=actor, name=name, email=f"{name.split()[-1].lower()}@example.org", salutation_form="female")
        invitations.send_invitations(event, actor=actor)
        db.session.commit()
        mail = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id.desc())).first()
        return {"id": mail.id, "subject": mail.subject, "body": mail.body_text, "version": mail.mail_text_version}


def test_an_admin_words_the_invitation_and_the_next_mails_use_it_while_earlier_ones_keep_theirs(app):
    client = _admin(app)
    make_event(app, responsible_officer_id=make_user(app, "referent@example.org"))
    before = _invite(app, "Marie Dupont")
    assert before["subject"].startswith("Einladung: ") and before["version"] == 0

    page = client.get(PAGE).get_data(as_text=True)
    assert "{reply_link}" in page and "Der Standardtext gilt." in page
    preview = post(client, PAGE, {**OFFICE_WORDS, "version": "0", "preview": "1"}).get_data(as_text=True)
    assert "Sehr geehrte Frau Botschafterin" in preview and "Kleiderordnung: Dunkler Anzug" in preview
    assert _versions(app) == 0  # a preview saves nothing

    assert _save(client, 0).status_code == 302
    after = _invite(app, "Anna Schmidt")
    assert after["subject"].startswith("Einladung der Senatskanzlei: ") and after["version"] == 1
    assert "wir laden Sie herzlich ein" in after["body"] and "Sehr geehrte Frau Schmidt" in after["body"]
    # No dress code for this reception? The line is left out rather than sent blank.
    assert ("Kleiderordnung:" in after["body"]) == ("Kleiderordnung:" in before["body"])
    with app.app_context():
        kept = db.session.get(OutboxMail, before["id"])
        assert (kept.subject, kept.body_text) == (before["subject"], before["body"])
    assert [e.summary for e in audit_events(app, "mail_text.update")] == ["events.invitation de v1"]

    # Back to the default: a version of its own, the office's words kept in the history.
    assert post(client, PAGE + "/reset", {"version": "1"}).status_code == 302
    assert _invite(app, "Eva Meier")["subject"].startswith("Einladung: ")
    assert len(re.findall(r"<li>Version", client.get(PAGE).get_data(as_text=True))) == 2


def test_words_a_mail_cannot_be_written_with_are_refused_by_name_and_nothing_is_saved(app):
    client = _admin(app)
    cases = {"{gast_name}": "gast_name", "{event_title.__class__}": "event_title.__class__",
             "{event_title:>30}": "event_title:&gt;30", "Klammer { offen": "geschweifte Klammer ist nicht geschlossen"}
    for body, named in cases.items():
        page = _save(client, 0, body=body).get_data(as_text=True)
        assert named in page, body
    too_long = _save(client, 0, subject="x" * 151).get_data(as_text=True)
    assert "150" in too_long
    assert _versions(app) == 0


def test_two_admins_saving_at_once_the_second_is_told_it_changed_meanwhile(app):
    client = _admin(app)
    assert _save(client, 0).status_code == 302
    assert _save(client, 0, subject="Andere Worte {event_title}").status_code == 409
    assert _versions(app) == 1


def test_only_admins_word_the_mails(app):
    ensure_reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"])
    officer = app.test_client()
    login(officer, "referent@example.org")
    assert officer.get("/admin/mail-texts").status_code == 403
    assert _save(officer, 0).status_code == 403


def test_a_translators_offer_is_written_in_the_offices_words(app):
    from datetime import UTC, datetime

    import time_machine

    from protocol_app.core.notifications.models import Notification
    from protocol_app.language_service import offers, services
    from protocol_app.language_service.models import TranslatorProfile
    from tests.language_support import interpreting, setup_translators, user_by_name

    setup_translators(app)
    client = _admin(app)
    page = "/admin/mail-texts/language_service.offer/de"
    # The link belongs to the frame every notice shares, not to the offer's own sentence.
    refused = post(client, page, {"subject": "{reference}", "body": "Antworten Sie hier: {link}", "version": "0",
                                  "submit": "1"}).get_data(as_text=True)
    assert "Unbekannter Platzhalter {link}" in refused and _versions(app) == 0
    assert post(client, page, {"subject": "Sprachendienst {reference}: Ihr Angebot wartet", "version": "0",
                               "submit": "1", "body": "Für {title} ({reference}) brauchen wir Sie."}).status_code == 302
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=UTC), tick=False), app.app_context():
        officer = user_by_name("Rainer Referent")
        assignment = services.create_assignment(actor=officer, values=interpreting(), needed=1, team_reason="Nur Begrüßung")
        anna = db.session.scalar(sa.select(TranslatorProfile).where(TranslatorProfile.user.has(full_name="Anna Englisch")))
        offers.make_offers(assignment, [anna.id], actor=officer)
        db.session.commit()
        sentence = f"Für Mittagessen mit der Delegation ({assignment.reference}) brauchen wir Sie."
        mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.recipient == "anna@example.org"))
        assert mail.subject == f"Sprachendienst {assignment.reference}: Ihr Angebot wartet"
        assert mail.body_text.startswith(f"Guten Tag,\n\n{sentence}\n\nIn Protokoll öffnen: http")
        assert "/translations/offers/" in mail.body_text
        assert (mail.mail_kind, mail.mail_text_version) == ("language_service.offer", 1)
        # The bell says what the mail says.
        assert db.session.scalar(sa.select(Notification.message).where(Notification.user_id == anna.user_id)) == sentence


def test_a_reminder_is_sent_in_the_offices_words_and_frame(app):
    from datetime import UTC, datetime

    import time_machine

    from tests.support import sweep_reminders_twice
    from tests.visit_support import make_visit

    client = _admin(app)
    officer = make_user(app, "referent@example.org", roles=["officer"])
    assert post(client, "/admin/mail-texts/visits.request_waiting/de", {
        "subject": "Bitte entscheiden: {reference}", "version": "0", "submit": "1",
        "body": "Die Anfrage „{title}“ ({reference}) liegt seit acht Tagen bei Ihnen."}).status_code == 302
    assert post(client, "/admin/mail-texts/core.notice/de", {
        "subject": "[Protokoll] {subject}", "version": "0", "submit": "1",
        "body": "Liebe Kollegin, lieber Kollege,\n\n{message}\n\n{link}\n\nReferat Protokoll"}).status_code == 302
    with time_machine.travel(datetime(2027, 1, 4, tzinfo=UTC), tick=False):
        reference = make_visit(app, officer, title="Delegation aus Paris")
    sweep_reminders_twice(app, datetime(2027, 1, 12, tzinfo=UTC))
    with app.app_context():
        [mail] = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient == "referent@example.org"))
        assert mail.subject == f"[Protokoll] Bitte entscheiden: {reference}"
        assert mail.body_text == (f"Liebe Kollegin, lieber Kollege,\n\nDie Anfrage „Delegation aus Paris“ ({reference}) "
                                  f"liegt seit acht Tagen bei Ihnen.\n\n{app.config['BASE_URL']}/visits/{reference}\n\n"
                                  "Referat Protokoll")
        assert (mail.mail_kind, mail.mail_text_version) == ("visits.request_waiting", 1)
    # Every kind of notice is on the admins' list, in German.
    listing = client.get("/admin/mail-texts").get_data(as_text=True)
    assert "Besuche: eine Anfrage wartet seit einer Woche auf Entscheidung" in listing
    assert "Sprachendienst: ein Einsatz wurde abgesagt" in listing and "Office text, version" not in listing
