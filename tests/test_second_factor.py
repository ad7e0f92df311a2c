"""The second factor (TOTP and recovery codes) for the roles that see the sensitive data."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.auth.models import RecoveryCode, User, UserSession
from protocol_app.core.audit.models import AuditEvent
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from tests.support import csrf_token, login, make_user, post

EMIGRATION = "emigration@example.org"


@pytest.fixture
def app(app, monkeypatch):
    """The app of conftest, its settings changed by these tests restored afterwards (it
    serves the whole session)."""
    for key in ("SECOND_FACTOR_ROLES", "SESSION_ABSOLUTE_HOURS", "SESSION_IDLE_MINUTES"):
        monkeypatch.setitem(app.config, key, app.config[key])
    return app


def _required(app, roles="admin,manager,emigration"):
    app.config["SECOND_FACTOR_ROLES"] = roles


def _secret(page: str) -> str:
    return re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")


def _codes(page: str) -> list[str]:
    block = page.split('data-testid="recovery-codes">')[1].split("</ul>")[0]
    return re.findall(r"<li>([^<]+)</li>", block)


def _enrol(app, client, email=EMIGRATION) -> tuple[str, list[str]]:
    """Log in, scan (read the key), confirm a code; return (secret, recovery codes)."""
    response = login(client, email)
    assert response.headers["Location"].startswith("/auth/second-factor/setup")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn here
    secret = _secret(page)
    done = post(client, "/auth/second-factor/setup", {"code": pyotp.TOTP(secret).now()})
    return secret, _codes(done.get_data(as_text=True))


def _events(app, action):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _code_at(secret: str, moment) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_an_emigration_team_member_enrols_and_must_give_a_code_at_the_next_login(app):
    _required(app)
    make_user(app, EMIGRATION, roles=["emigration"])
    client = app.test_client()
    login(client, EMIGRATION)
    # Nothing of the app before the factor is set up: the programme's data least of all.
    assert client.get("/emigrants/").headers["Location"].startswith("/auth/second-factor/setup")
    secret, codes = _enrol(app, client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/emigrants/").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 10
        assert all(len(row.code_hash) == 64 and row.code_hash not in codes
                   for row in db.session.scalars(sa.select(RecoveryCode)))
        user = db.session.scalar(sa.select(User).where(User.email == EMIGRATION))
        assert secret not in user.totp_secret  # kept sealed
    assert _events(app, "user.second_factor_enrolled")[-1].summary == "local + totp"

    with time_machine.travel(now_utc() + timedelta(minutes=2)):
        again = app.test_client()
        response = login(again, EMIGRATION)
        assert response.headers["Location"].startswith("/auth/second-factor?")
        assert again.get("/emigrants/").status_code == 302
        wrong = post(again, "/auth/second-factor", {"code": "000000"})
        assert wrong.status_code == 200 and "Dieser Code ist nicht gültig" in wrong.get_data(as_text=True)
        right = post(again, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()})
        assert right.status_code == 302
        assert again.get("/emigrants/").status_code == 200
    assert _events(app, "auth.second_factor")[-1].summary == "local + totp"
    assert _events(app, "auth.second_factor_failed")[-1].summary == "failure 1"


def test_a_code_is_taken_once(app):
    _required(app)
    make_user(app, EMIGRATION, roles=["emigration"])
    secret, _ = _enrol(app, app.test_client())
    with time_machine.travel(now_utc() + timedelta(minutes=2), tick=False):
        code = pyotp.TOTP(secret).now()
        first, second = app.test_client(), app.test_client()
        login(first, EMIGRATION)
        login(second, EMIGRATION)
        assert post(first, "/auth/second-factor", {"code": code}).status_code == 302
        # The same code seen by someone looking over the shoulder: refused.
        replay = post(second, "/auth/second-factor", {"code": code})
        assert "Dieser Code ist nicht gültig" in replay.get_data(as_text=True)


def test_a_recovery_code_works_once(app):
    _required(app)
    make_user(app, EMIGRATION, roles=["emigration"])
    _, codes = _enrol(app, app.test_client())
    client = app.test_client()
    login(client, EMIGRATION)
    used = post(client, "/auth/second-factor", {"code": codes[3].upper()}, follow_redirects=True)
    assert "noch 9" in used.get_data(as_text=True)
    assert _events(app, "auth.second_factor")[-1].summary == "local + recovery code, 9 recovery codes left"
    other = app.test_client()
    login(other, EMIGRATION)
    refused = post(other, "/auth/second-factor", {"code": codes[3]})
    assert "Dieser Code ist nicht gültig" in refused.get_data(as_text=True)


def test_after_eight_hours_the_code_is_asked_again(app):
    _required(app)
    app.config["SESSION_ABSOLUTE_HOURS"] = 10
    app.config["SESSION_IDLE_MINUTES"] = 600
    make_user(app, EMIGRATION, roles=["emigration"])
    client = app.test_client()
    secret, _ = _enrol(app, client)
    with time_machine.travel(now_utc() + timedelta(hours=7, minutes=50)):
        assert client.get("/emigrants/").status_code == 200
    with time_machine.travel(now_utc() + timedelta(hours=8, minutes=5)):
        assert client.get("/emigrants/").headers["Location"].startswith("/auth/second-factor?")
        assert post(client, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
        assert client.get("/emigrants/").status_code == 200


def test_wrong_codes_block_the_account_and_end_the_session(app):
    _required(app)
    make_user(app, EMIGRATION, roles=["emigration"])
    _enrol(app, app.test_client())
    client = app.test_client()
    login(client, EMIGRATION)
    for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
        response = post(client, "/auth/second-factor", {"code": f"12345{attempt}"})
    assert response.headers["Location"].endswith("/auth/login")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMIGRATION))
        assert user.is_locked()
        assert db.session.scalar(sa.select(UserSession.end_reason).where(
            UserSession.user_id == user.id).order_by(UserSession.created_at.desc()).limit(1)) == "locked"
    assert client.get("/emigrants/").status_code == 302
    assert login(app.test_client(), EMIGRATION).status_code == 200  # blocked: the password alone fails now


def test_an_officer_without_a_required_role_signs_in_with_the_password(app):
    _required(app)
    make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    assert login(client, "referent@example.org").headers["Location"] == "/"
    assert client.get("/visits/").status_code == 200


def test_a_role_that_needs_the_factor_is_not_reached_by_a_session_without_it(app):
    _required(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    assert client.get("/visits/").status_code == 200
    with app.app_context():  # the admin gives the officer the manager role meanwhile
        user = db.session.get(User, uid)
        user.set_roles(["officer", "manager"])
        db.session.commit()
    assert client.get("/visits/").headers["Location"].startswith("/auth/second-factor/setup")


def test_an_admin_resets_a_lost_factor(app):
    _required(app, "emigration")
    admin = app.test_client()
    make_user(app, "admin@example.org", roles=["admin"])
    login(admin, "admin@example.org")
    uid = make_user(app, EMIGRATION, roles=["emigration"])
    member = app.test_client()
    _enrol(app, member)
    page = admin.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert "Eingerichtet am" in page
    response = post(admin, f"/admin/users/{uid}/reset-second-factor", {}, follow_redirects=True)
    assert "Nicht eingerichtet" in response.get_data(as_text=True)
    assert _events(app, "user.second_factor_reset")[-1].actor_id is not None
    assert member.get("/emigrants/").status_code == 302  # logged out
    assert login(app.test_client(), EMIGRATION).headers["Location"].startswith("/auth/second-factor/setup")
    # Only an admin may do so.
    assert post(member, f"/admin/users/{uid}/reset-second-factor", {}).status_code in (302, 403)


def test_the_code_step_is_rate_limited(tmp_path):
    from tests.conftest import build_app, migrate

    app = build_app(f"sqlite:///{tmp_path / 'limited.sqlite'}", RATELIMIT_ENABLED=True, UPLOAD_DIR=str(tmp_path / "u"),
                    SECOND_FACTOR_ROLES="emigration", SECOND_FACTOR_RATE_LIMIT="3 per minute", LOGIN_MAX_FAILURES=50)
    migrate(app)
    make_user(app, EMIGRATION, roles=["emigration"])
    _enrol(app, app.test_client())
    client = app.test_client()
    login(client, EMIGRATION)
    statuses = [client.post("/auth/second-factor", data={"code": "111111", "csrf_token": csrf_token(client)}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
