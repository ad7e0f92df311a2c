"""Rotating the app's key as the IT service does it once a year (README "Rotating keys"): the new
key in SECRET_KEY, the old one in SECRET_KEY_FALLBACKS, `flask keys rotate`, later the old key
removed. Nobody signed in is thrown out, no second factor breaks, no mail waiting in the outbox
becomes unreadable, and a reply link sent before still works and is written again."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.notifications import delivery
from protocol_app.core.notifications.models import OutboxMail
from protocol_app.core.notifications.services import queue_mail
from protocol_app.extensions import db
from tests.event_support import invited_guests, officer_client
from tests.support import login, make_user, post
from tests.test_second_factor import _enrol

OLD, NEW = "alter-schluessel-" + "a" * 32, "neuer-schluessel-" + "b" * 32


@pytest.fixture
def app(app, monkeypatch):
    for key in ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "SECOND_FACTOR_ROLES", "OUTBOX_KEY"):
        monkeypatch.setitem(app.config, key, app.config.get(key))
    app.config.update(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[], OUTBOX_KEY=None)
    return app


def _rotate(app, *, keep_old: bool = True) -> None:
    """What the operator changes in the settings (and every process reads at its restart)."""
    app.config.update(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD] if keep_old else [])


def _forget_last_code(app) -> None:
    """A code is taken once: the tests' next code falls in the same 30 s step, so the step is forgotten."""
    with app.app_context():
        db.session.execute(sa.update(User).values(totp_last_step=None))
        db.session.commit()


def _keys_rotate(app) -> str:
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    return result.output


def test_after_a_rotation_the_second_factor_works_and_the_signed_in_stay_signed_in(app):
    app.config["SECOND_FACTOR_ROLES"] = "emigration"
    make_user(app, "emigration@example.org", roles=["emigration"])
    client = app.test_client()
    secret, _ = _enrol(app, client)
    assert client.get("/emigrants/").status_code == 200
    _rotate(app)
    # The session cookie signed with the old key is still taken …
    assert client.get("/emigrants/").status_code == 200
    # … and a new sign-in gives a code of the secret sealed with the old key.
    _forget_last_code(app)
    again = app.test_client()
    assert login(again, "emigration@example.org").headers["Location"].startswith("/auth/second-factor")
    taken = post(again, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert taken.status_code == 302 and again.get("/emigrants/").status_code == 200
    # `flask keys rotate` seals it with the new key; then the old key can go.
    assert "users.totp_secret: 1" in _keys_rotate(app)
    _rotate(app, keep_old=False)
    _forget_last_code(app)
    third = app.test_client()
    login(third, "emigration@example.org")
    assert post(third, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_a_key_removed_too_early_gives_a_clear_message_and_recovery_codes_still_work(app):
    app.config["SECOND_FACTOR_ROLES"] = "emigration"
    make_user(app, "emigration@example.org", roles=["emigration"])
    secret, recovery = _enrol(app, app.test_client())
    _rotate(app, keep_old=False)  # the old key dropped before `flask keys rotate` ran
    _forget_last_code(app)
    client = app.test_client()
    login(client, "emigration@example.org")
    refused = post(client, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 200  # no 500
    assert "der Schlüssel der Anwendung wurde gewechselt" in refused.get_data(as_text=True)
    with app.app_context():  # not counted as a wrong code: it was not the person's fault
        assert db.session.scalar(sa.select(User.failed_logins).where(User.email == "emigration@example.org")) == 0
    assert post(client, "/auth/second-factor", {"code": recovery[0]}).status_code == 302


def test_a_mail_sealed_before_the_rotation_is_sent_after_it(mail_app, smtp_server):
    app = mail_app
    with app.app_context():
        mail = queue_mail("gast@example.org", "Einladung zum Empfang", "Ihr persönlicher Link: https://x/r/geheim")
        db.session.commit()
        mail_id, sealed_before = mail.id, mail.body_sealed
    _rotate(app)
    assert "outbox_mails.body_sealed: 1" in _keys_rotate(app)
    with app.app_context():
        assert db.session.get(OutboxMail, mail_id).body_sealed != sealed_before
    _rotate(app, keep_old=False)
    with app.app_context():
        assert delivery.deliver(mail_id).status == "sent"
        db.session.commit()
    sent = smtp_server.messages[-1]
    plain = [part.get_payload(decode=True).decode() for part in sent.walk() if part.get_content_type() == "text/plain"]
    assert "https://x/r/geheim" in plain[0]


def test_a_reply_link_sent_before_the_rotation_works_and_is_written_again(app):
    from protocol_app.events.invitations import reply_link_of
    from protocol_app.events.models import Guest

    _, officer = officer_client(app)
    tokens = invited_guests(app, officer)
    _rotate(app)
    page = app.test_client().get(f"/events/reply/{tokens['Erste Person']}")
    assert page.status_code == 200
    with app.app_context():
        guest = db.session.scalar(sa.select(Guest).where(Guest.name == "Erste Person"))
        assert reply_link_of(guest).endswith(tokens["Erste Person"])  # the reminder carries the same link
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert reply_link_of(guest) is None  # no key of the ring writes it any more


def test_the_rotation_is_audited(app):
    make_user(app, "admin@example.org", roles=["admin"])
    _rotate(app)
    _keys_rotate(app)
    from protocol_app.core.audit import AuditEvent

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "keys.rotate")) == 1
