"""Login, logout, lockout, server-side sessions and password handling."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from config import ProductionConfig, TestingConfig
from protocol_app.auth.models import User, UserSession
from protocol_app.core.audit import AuditEvent
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from tests.support import PASSWORD, csrf_token, login, make_user, post

GERMAN_LOGIN_ERROR = "Anmeldung fehlgeschlagen. Bitte prüfen Sie E-Mail-Adresse und Passwort."
COOKIE = "protokoll_session"


def _is_logged_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_login_page_is_german_by_default(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "Anmeldung bei Protokoll" in html
    assert 'lang="de"' in html


def test_wrong_password_shows_german_error_and_no_login(app, client):
    make_user(app, "a@example.org")
    response = login(client, "a@example.org", "falsches-passwort")
    assert response.status_code == 200
    assert GERMAN_LOGIN_ERROR in response.get_data(as_text=True)
    assert not _is_logged_in(client)


def test_unknown_email_gets_the_same_message_as_a_wrong_password(app, client):
    make_user(app, "a@example.org")
    known = login(client, "a@example.org", "falsch-falsch-1").get_data(as_text=True)
    unknown = login(client, "nobody@example.org", "falsch-falsch-1").get_data(as_text=True)
    assert GERMAN_LOGIN_ERROR in known and GERMAN_LOGIN_ERROR in unknown


def test_correct_login_reaches_dashboard(app, client):
    make_user(app, "a@example.org", name="Frau Beispiel")
    response = login(client, "A@Example.org ")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Willkommen, Frau Beispiel" in client.get("/").get_data(as_text=True)


def test_open_redirect_after_login_is_refused(app, client):
    make_user(app, "a@example.org")
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_inactive_user_cannot_log_in(app, client):
    make_user(app, "gone@example.org", active=False)
    response = login(client, "gone@example.org")
    assert GERMAN_LOGIN_ERROR in response.get_data(as_text=True)
    assert not _is_logged_in(client)


def test_account_locks_after_repeated_failures_and_unlocks_later(app, client):
    make_user(app, "a@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "a@example.org", "falsch-falsch-1")
    # Even the right password is refused while locked, with the same message.
    response = login(client, "a@example.org")
    assert GERMAN_LOGIN_ERROR in response.get_data(as_text=True)
    assert not _is_logged_in(client)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "a@example.org"))
        assert user.is_locked()
    later = now_utc() + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    with time_machine.travel(later, tick=False):
        assert login(client, "a@example.org").status_code == 302
        assert _is_logged_in(client)


def test_an_admin_sees_a_blocked_account_and_lifts_the_block(app, client):
    make_user(app, "a@example.org")
    make_user(app, "admin@example.org", roles=["admin"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "a@example.org", "falsch-falsch-1")
    admin = app.test_client()
    login(admin, "admin@example.org")
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == "a@example.org"))
    assert "gesperrt bis" in admin.get("/admin/users").get_data(as_text=True)  # not "aktiv"
    assert 'data-testid="locked"' in admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    done = post(admin, f"/admin/users/{user_id}/unlock", follow_redirects=True).get_data(as_text=True)
    assert "Die Anmeldesperre wurde aufgehoben" in done
    assert login(client, "a@example.org").status_code == 302 and _is_logged_in(client)
    with app.app_context():
        from protocol_app.core.audit import AuditEvent

        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "user.unlock")) == 1


def test_logout_invalidates_a_captured_session_cookie(app, client):
    make_user(app, "a@example.org")
    login(client, "a@example.org")
    captured = client.get_cookie(COOKIE).value
    assert post(client, "/auth/logout").status_code == 302
    assert not _is_logged_in(client)
    client.set_cookie(COOKIE, captured)
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_session_identifier_changes_at_login(app, client):
    make_user(app, "a@example.org")
    client.get("/auth/login?lang=en")  # anonymous session with data
    before = client.get_cookie(COOKIE).value
    login(client, "a@example.org")
    first = client.get_cookie(COOKIE).value
    post(client, "/auth/logout")
    login(client, "a@example.org")
    second = client.get_cookie(COOKIE).value
    assert len({before, first, second}) == 3
    with app.app_context():
        rows = db.session.scalars(sa.select(UserSession).order_by(UserSession.created_at)).all()
        assert len(rows) == 2 and rows[0].id != rows[1].id
        assert rows[0].end_reason == "logout" and rows[1].ended_at is None


def test_password_change_ends_other_sessions_but_keeps_this_one(app):
    make_user(app, "a@example.org")
    first, second = app.test_client(), app.test_client()
    login(first, "a@example.org")
    login(second, "a@example.org")
    new = "Ein-neues-langes-Passwort-7"
    response = post(
        first,
        "/auth/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert _is_logged_in(first)
    assert not _is_logged_in(second)
    assert login(app.test_client(), "a@example.org", new).status_code == 302


def test_password_change_rejects_wrong_current_and_weak_new(app, client):
    make_user(app, "a@example.org")
    login(client, "a@example.org")
    page = post(
        client,
        "/auth/password",
        {"current_password": "falsch", "new_password": "x" * 20, "confirm": "x" * 20},
    ).get_data(as_text=True)
    assert "Das bisherige Passwort ist nicht korrekt." in page
    page = post(
        client,
        "/auth/password",
        {"current_password": PASSWORD, "new_password": "kurz", "confirm": "kurz"},
    ).get_data(as_text=True)
    assert "mindestens 12 Zeichen" in page
    assert login(app.test_client(), "a@example.org").status_code == 302  # unchanged


def test_idle_timeout_and_absolute_limit(app, client):
    make_user(app, "a@example.org")
    start = now_utc()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "a@example.org")
        traveller.shift(timedelta(minutes=29))
        assert _is_logged_in(client)
        traveller.shift(timedelta(minutes=31))
        assert not _is_logged_in(client)

    client = app.test_client()
    with time_machine.travel(start, tick=False) as traveller:
        login(client, "a@example.org")
        for _ in range(int(10 * 60 / 20)):  # active every 20 minutes for 10 hours
            traveller.shift(timedelta(minutes=20))
            if not _is_logged_in(client):
                break
        traveller.shift(timedelta(minutes=5))
        assert not _is_logged_in(client)
    with app.app_context():
        reasons = set(db.session.scalars(sa.select(UserSession.end_reason)))
        assert {"idle", "expired"} <= reasons


def test_password_hash_is_argon2id_at_least_at_owasp_floor(app):
    with app.app_context():
        app.config.update(
            PASSWORD_HASH_TIME_COST=ProductionConfig.PASSWORD_HASH_TIME_COST,
            PASSWORD_HASH_MEMORY_KIB=ProductionConfig.PASSWORD_HASH_MEMORY_KIB,
        )
        try:
            from protocol_app.auth.passwords import hash_password

            encoded = hash_password("irgendein-passwort")
        finally:
            app.config.update(
                PASSWORD_HASH_TIME_COST=TestingConfig.PASSWORD_HASH_TIME_COST,
                PASSWORD_HASH_MEMORY_KIB=TestingConfig.PASSWORD_HASH_MEMORY_KIB,
            )
    assert encoded.startswith("$argon2id$")
    params = dict(p.split("=") for p in encoded.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2 and int(params["p"]) >= 1


def test_hash_is_upgraded_at_login_when_parameters_rise(app, client):
    make_user(app, "a@example.org")
    app.config["PASSWORD_HASH_TIME_COST"] = 3
    try:
        login(client, "a@example.org")
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == "a@example.org"))
            assert ",t=3," in user.password_hash
    finally:
        app.config["PASSWORD_HASH_TIME_COST"] = TestingConfig.PASSWORD_HASH_TIME_COST


def test_forced_password_change_blocks_other_pages(app, client):
    make_user(app, "new@example.org", must_change=True)
    login(client, "new@example.org")
    response = client.get("/notifications")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/password?next=/notifications"
    new = "Mein-eigenes-Passwort-99"
    post(
        client,
        "/auth/password",
        {"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert client.get("/notifications").status_code == 200


def test_login_and_failures_are_audited_without_passwords(app, client):
    make_user(app, "a@example.org")
    login(client, "a@example.org", "falsch-falsch-1")
    login(client, "a@example.org")
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        actions = [e.action for e in events]
        assert "auth.login_failed" in actions and "auth.login" in actions
        dumped = repr([(e.summary, e.changes) for e in events])
        assert "falsch" not in dumped and PASSWORD not in dumped


def test_session_cookie_flags(app, client):
    make_user(app, "a@example.org")
    response = login(client, "a@example.org")
    header = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith(COOKIE))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_cookie_replayed_from_another_browser_is_refused(app, client):
    make_user(app, "a@example.org")
    login(client, "a@example.org")
    captured = client.get_cookie(COOKIE).value
    thief = app.test_client()
    thief.set_cookie(COOKIE, captured)
    response = thief.get("/", headers={"User-Agent": "Other Browser/1.0"})
    assert response.status_code == 302
    assert _is_logged_in(client)  # the owner is not affected
