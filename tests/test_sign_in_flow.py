"""Go-live sign-in findings (issue 30, items 1–4): one ordered sign-in flow, no second account
through an address typed another way, wrong codes that lock, a new session id at every step up."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.auth.lockout import LoginFailed
from protocol_app.auth.models import User, UserSession
from protocol_app.auth.services import normalise_email
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from tests.ldap_server import PASSWORD as DIRECTORY_PASSWORD
from tests.support import PASSWORD, csrf_token, login, make_user, post

MANAGER = "leitung@example.org"


@pytest.fixture
def app(app, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_FACTOR_ROLES", "admin,manager,emigration")
    return app


def _walk(client, location: str, limit: int = 6) -> list[str]:
    """Follow redirects one by one (a loop shows as the same pages again); return the paths seen."""
    seen = []
    for _ in range(limit):
        seen.append(location)
        response = client.get(location)
        if response.status_code != 302:
            return seen
        location = response.headers["Location"]
    return seen


def _path(url: str) -> str:
    return urlsplit(url).path


def _secret(client, location: str) -> str:
    import re

    page = client.get(location).get_data(as_text=True)
    return re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).replace(" ", "")


def _enrolled_manager(app) -> str:
    """A manager who has set up the second factor; returns the authenticator's secret."""
    make_user(app, MANAGER, roles=["manager"])
    client = app.test_client()
    login(client, MANAGER)
    secret = _secret(client, "/auth/second-factor/setup")
    post(client, "/auth/second-factor/setup", {"code": pyotp.TOTP(secret).now()})
    return secret


def _a_minute_later():
    """The authenticator's next codes (a code of the enrolment's step is taken once only)."""
    return time_machine.travel(now_utc() + timedelta(seconds=60))


def _user(app, email) -> User:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_a_new_manager_changes_the_temporary_password_then_enrols_then_reaches_the_page(app):
    """Item 1: before, password change and enrolment sent the browser to each other for ever."""
    make_user(app, MANAGER, roles=["manager"], must_change=True)
    client = app.test_client()
    first = login(client, MANAGER)
    assert _path(first.headers["Location"]) == "/auth/password"
    seen = _walk(client, "/honours/")
    assert [_path(p) for p in seen] == ["/honours/", "/auth/password"]  # a page, then the one step: no loop
    changed = post(client, seen[-1], {"current_password": PASSWORD, "new_password": "Sonnenblume-Brandenburger-Tor-31",
                                      "confirm": "Sonnenblume-Brandenburger-Tor-31"})
    assert changed.status_code == 302
    seen = _walk(client, changed.headers["Location"])
    assert [_path(p) for p in seen] == ["/honours/", "/auth/second-factor/setup"]  # then the enrolment
    secret = _secret(client, seen[-1])
    done = post(client, seen[-1], {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "/honours/" in done.get_data(as_text=True)  # "go on" leads to the page
    assert client.get("/honours/").status_code == 200


def test_a_manager_with_a_factor_whose_password_was_reset_gives_password_then_code(app):
    _enrolled_manager(app)
    with app.app_context():
        from protocol_app.auth.services import reset_password

        manager = db.session.scalar(sa.select(User).where(User.email == MANAGER))
        temporary = reset_password(manager, actor=None)
        db.session.commit()
    again = app.test_client()
    assert _path(login(again, MANAGER, temporary).headers["Location"]) == "/auth/password"
    changed = post(again, "/auth/password", {"current_password": temporary, "new_password": "Kastanienallee-Herbst-2031",
                                            "confirm": "Kastanienallee-Herbst-2031"})
    seen = _walk(again, changed.headers["Location"])
    assert _path(seen[-1]) == "/auth/second-factor"  # the code, not a new enrolment, and no loop


def test_every_page_keeps_the_order_password_before_the_second_factor(app):
    make_user(app, MANAGER, roles=["manager"], must_change=True)
    client = app.test_client()
    login(client, MANAGER)
    # Even the enrolment page, asked for directly, sends to the password first (and back after).
    response = client.get("/auth/second-factor/setup?next=/honours/")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/password?next=/honours/"
    assert client.get("/auth/password").status_code == 200


@pytest.mark.one_backend
def test_a_copied_cookie_does_not_become_a_full_session_when_the_owner_gives_the_code(app):
    """Item 4: the session id is renewed when the code is given."""
    secret = _enrolled_manager(app)
    owner = app.test_client()
    login(owner, MANAGER)  # password given, code not yet
    cookie = owner.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert _path(thief.get("/honours/").headers["Location"]) == "/auth/second-factor"
    with _a_minute_later():
        assert post(owner, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
        assert owner.get("/honours/").status_code == 200
        stolen = thief.get("/honours/")
    assert stolen.status_code == 302 and _path(stolen.headers["Location"]) == "/auth/login"
    with app.app_context():
        reasons = db.session.scalars(sa.select(UserSession.end_reason).where(UserSession.user_id == _user(
            app, MANAGER).id)).all()
    assert "second factor given" in reasons


def test_wrong_codes_lock_although_the_password_is_given_again_in_between(app):
    """Item 3: a right password no longer forgives the wrong codes before it."""
    _enrolled_manager(app)
    limit = app.config["LOGIN_MAX_FAILURES"]
    for attempt in range(limit):
        client = app.test_client()
        assert _path(login(client, MANAGER).headers["Location"]) == "/auth/second-factor"
        post(client, "/auth/second-factor", {"code": f"00000{attempt}"})  # one wrong code per sign-in
    user = _user(app, MANAGER)
    assert user.is_locked()
    assert login(app.test_client(), MANAGER).status_code == 200  # the block stands: the login form again


def test_a_right_code_clears_the_count(app):
    secret = _enrolled_manager(app)
    again = app.test_client()
    login(again, MANAGER)
    post(again, "/auth/second-factor", {"code": "000000"})
    assert _user(app, MANAGER).failed_logins == 1
    with _a_minute_later():
        post(again, "/auth/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert _user(app, MANAGER).failed_logins == 0


@pytest.mark.one_backend
@pytest.mark.parametrize("typed", ["referent@example.org\x00", "referent@example.org\x0b", "refer\x00ent@example.org"])
def test_a_control_character_in_the_address_is_refused_by_the_form(app, typed):
    """Item 2: refused in one place for every form; nothing signs in, nothing is made."""
    make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    response = client.post("/auth/login", data={"email": typed, "password": PASSWORD,
                                                "csrf_token": csrf_token(client)})
    assert response.status_code == 200
    assert "Steuerzeichen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before
    assert client.get("/visits/").status_code == 302


def test_addresses_typed_another_way_share_one_count_and_one_limit_key():
    assert {normalise_email(x) for x in ("Anna@Berlin.test", " anna@berlin.test\x00", "anna@berlin.test\u200b",
                                        "ａｎｎａ@berlin.test")} == {"anna@berlin.test"}


def _enrol_directory_user(app, email):
    client = app.test_client()
    first = login(client, email, DIRECTORY_PASSWORD)
    assert _path(first.headers["Location"]) == "/auth/second-factor/setup"
    secret = _secret(client, "/auth/second-factor/setup")
    post(client, "/auth/second-factor/setup", {"code": pyotp.TOTP(secret).now()})
    return secret


def test_the_directory_entry_has_one_account_whatever_address_is_typed(directory_app):
    """Item 2 against a real slapd: the service (below the form's rule) finds the entry's account
    by its entryUUID, so an address with a NUL leads to the code step, not to a new enrolment."""
    app = directory_app
    app.config["SECOND_FACTOR_ROLES"] = "officer"
    _enrol_directory_user(app, "anna.amtmann@berlin.test")
    anna = _user(app, "anna.amtmann@berlin.test")
    assert anna.directory_uuid  # tied to the entry
    from protocol_app.auth import services

    with app.test_request_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        user, row = services.authenticate("anna.amtmann@berlin.test\x00", DIRECTORY_PASSWORD)
        assert user.id == anna.id and user.has_second_factor
        user, row = services.authenticate("ANNA.AMTMANN@berlin.test ", DIRECTORY_PASSWORD)
        assert user.id == anna.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count
        db.session.rollback()


def test_an_account_found_by_its_entry_keeps_its_block(directory_app):
    app = directory_app
    make_user(app, "someone@example.org")
    app.config["SECOND_FACTOR_ROLES"] = ""
    login(app.test_client(), "anna.amtmann@berlin.test", DIRECTORY_PASSWORD)
    from protocol_app.auth import services

    with app.app_context():
        anna = db.session.scalar(sa.select(User).where(User.email == "anna.amtmann@berlin.test"))
        anna.email = "anna.alt@example.org"  # the account kept an older address
        anna.locked_until = now_utc() + timedelta(minutes=10)
        db.session.commit()
    with app.test_request_context():
        with pytest.raises(LoginFailed):
            services.authenticate("anna.amtmann@berlin.test", DIRECTORY_PASSWORD)
        db.session.rollback()
