"""Signing in with the Land's login: a real OpenID provider (node's oidc-provider) started by
the tests, the authorization code flow with PKCE, roles from the groups in the ID token, the
second factor given at the provider, and signing out there ending the session here."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from protocol_app.auth.models import SignIn, User, UserSession
from protocol_app.extensions import db
from tests.login_provider import sign_out_at_provider, through_provider
from tests.support import account, audit_events, csrf_token, login, make_user, post

#: One database: the provider's protocol (PKCE, nonce, tokens, logout) is what these test;
#: the account rows they write are the same on both databases.
pytestmark = pytest.mark.one_backend


def _sign_in(app, login, browser=None):
    """The app's test client through the whole flow; (client, the app's last answer)."""
    client = app.test_client()
    start = client.get("/auth/provider?next=/visits/")
    assert start.status_code == 302
    back = urlsplit(through_provider(start.headers["Location"], login, browser=browser))
    assert back.path == "/auth/provider/callback"
    return client, client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_the_lands_login_only_when_there_is_one(provider_app, app):
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert 'data-testid="provider-sign-in"' in page
    app.config["OIDC_ISSUER"] = None
    assert 'data-testid="provider-sign-in"' not in app.test_client().get("/auth/login").get_data(as_text=True)
    assert app.test_client().get("/auth/provider").status_code == 404


def test_a_first_sign_in_makes_the_account_with_the_roles_of_the_groups(provider_app):
    app = provider_app
    start = app.test_client().get("/auth/provider")
    asked = parse_qs(urlsplit(start.headers["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"] and asked["nonce"]
    assert asked["response_type"] == ["code"] and "openid" in asked["scope"][0].split()

    client, answer = _sign_in(app, "anna")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/visits/")
    anna = account(app, "anna.amt@example.org")
    assert anna.full_name == "Anna Amt" and anna.sign_in == SignIn.PROVIDER.value and anna.provider_subject == "anna"
    assert {r.value for r in anna.roles} == {"officer"}
    assert client.get("/visits/").status_code == 200 and client.get("/admin/users").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.method).where(UserSession.user_id == anna.id)) == "provider"
    assert audit_events(app, "auth.login")[-1].summary == "provider"
    assert audit_events(app, "user.create")[-1].summary == "from the Land's login"

    # The second sign-in finds the same account by its subject and makes no other.
    _sign_in(app, "anna")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.provider_subject == "anna")) == 1


def test_an_answer_not_from_this_browsers_sign_in_lets_nobody_in(provider_app):
    app = provider_app
    client = app.test_client()
    start = client.get("/auth/provider")
    back = urlsplit(through_provider(start.headers["Location"], "anna"))
    # Another browser (no state of this sign-in) brings the code: refused, nobody signed in.
    stranger = app.test_client()
    refused = stranger.get(f"{back.path}?{back.query}")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/auth/login")
    assert stranger.get("/visits/").status_code == 302
    # A forged state in the right browser: refused too.
    forged = back.query.replace("state=", "state=x")
    assert client.get(f"{back.path}?{forged}").headers["Location"].endswith("/auth/login")
    assert account(app, "anna.amt@example.org") is None


def test_a_user_in_no_mapped_group_is_not_let_in(provider_app):
    client, answer = _sign_in(provider_app, "kurt")
    assert answer.headers["Location"].endswith("/auth/login")
    assert "gibt aber keinen Zugang zu Protokoll" in client.get("/auth/login").get_data(as_text=True)
    assert account(provider_app, "kurt.kantine@example.org") is None
    assert audit_events(provider_app, "auth.login_refused")[-1].summary == "provider: in no group mapped to a role"


def test_the_second_factor_given_at_the_provider_counts_and_its_absence_is_asked_here(provider_app):
    app = provider_app
    previous, app.config["SECOND_FACTOR_ROLES"] = app.config["SECOND_FACTOR_ROLES"], "officer,manager"
    try:
        _client, anna = _sign_in(app, "anna")  # password only at the provider
        assert "/auth/second-factor" in anna.headers["Location"]
        client, lea = _sign_in(app, "lea")  # password and one-time code at the provider
        assert lea.headers["Location"].endswith("/visits/")
        visits = client.get("/visits/")
        assert visits.status_code == 200, visits.headers.get("Location")
        assert audit_events(app, "auth.second_factor")[-1].summary == "given at the provider: pwd,otp"
    finally:
        app.config["SECOND_FACTOR_ROLES"] = previous


def test_an_account_with_its_own_password_is_not_taken_over_by_the_same_address(provider_app):
    app = provider_app
    make_user(app, "ilse.intern@example.org", roles=["viewer"], name="Ilse (lokal)")
    client, answer = _sign_in(app, "ilse")
    assert answer.headers["Location"].endswith("/auth/login")
    ilse = account(app, "ilse.intern@example.org")
    assert ilse.provider_subject is None and {r.value for r in ilse.roles} == {"viewer"}
    # Once an admin sets the account to sign in with the Land's login, that sign-in takes it.
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == ilse.id).values(sign_in=SignIn.PROVIDER.value))
        db.session.commit()
    _client, answer = _sign_in(app, "ilse")
    assert answer.headers["Location"].endswith("/visits/")
    ilse = account(app, "ilse.intern@example.org")
    assert ilse.provider_subject == "ilse" and {r.value for r in ilse.roles} == {"officer"}


def test_signing_out_here_signs_out_there_and_signing_out_there_ends_the_session_here(provider_app, login_provider):
    app = provider_app
    browser = requests.Session()
    client, _answer = _sign_in(app, "anna", browser=browser)
    assert client.get("/visits/").status_code == 200

    # Signed out at the provider (another tab, another app): the provider tells this app.
    sign_out_at_provider(f"{login_provider.issuer}/session/end", browser)
    token = login_provider.logouts.wait_for_token(login_provider.output)
    assert app.test_client().post("/auth/provider/logout", data={"logout_token": token + "x"}).status_code == 400
    assert client.get("/visits/").status_code == 200  # a forged token ended nothing
    assert app.test_client().post("/auth/provider/logout", data={"logout_token": token}).status_code == 200
    assert client.get("/visits/").status_code == 302  # the session here is over
    assert audit_events(app, "auth.provider_logout")[-1].summary == "1 sessions ended"

    # Signing out here goes on to the provider's sign-out, which comes back to the login page.
    client, _answer = _sign_in(app, "anna", browser=browser)
    out = client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    location = urlsplit(out.headers["Location"])
    asked = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{login_provider.issuer}/session/end"
    assert asked["post_logout_redirect_uri"] == ["http://localhost/auth/login"] and asked["id_token_hint"]


def test_an_admin_prepares_an_account_for_the_lands_login_which_its_first_sign_in_takes(provider_app):
    app = provider_app
    make_user(app, "admin@example.org", roles=["admin"], name="Anna Admin")
    admin = app.test_client()
    login(admin, "admin@example.org")
    created = post(admin, "/admin/users/new", {"email": "ilse.intern@example.org", "full_name": "Ilse Intern",
                                               "roles": ["viewer"], "locale": "de", "sign_in": "provider"})
    assert 'data-testid="temporary-password"' not in created.get_data(as_text=True)  # no password here
    ilse = account(app, "ilse.intern@example.org")
    assert ilse.sign_in == SignIn.PROVIDER.value and ilse.provider_subject is None
    assert login(app.test_client(), "ilse.intern@example.org", "irgendwas").status_code == 200  # no password sign-in

    _client, answer = _sign_in(app, "ilse")
    assert answer.headers["Location"].endswith("/visits/")
    ilse = account(app, "ilse.intern@example.org")
    assert ilse.provider_subject == "ilse" and {r.value for r in ilse.roles} == {"officer"}  # the groups decide

    app.config["OIDC_ISSUER"] = None  # an installation without the Land's login
    refused = post(admin, "/admin/users/new", {"email": "otto@example.org", "full_name": "Otto", "roles": ["viewer"],
                                               "locale": "de", "sign_in": "provider"}).get_data(as_text=True)
    assert "Es ist kein Landes-Login eingerichtet" in refused and account(app, "otto@example.org") is None


def test_a_logout_token_that_is_no_logout_is_refused_with_its_reason(provider_app, monkeypatch):
    """Signed with a key the provider publishes, but without the logout event or with a malformed
    issue time: refused (400 at the route), never an error page."""
    import time

    from joserfc import jwt
    from joserfc.jwk import RSAKey

    from protocol_app.auth import provider

    key = RSAKey.generate_key(2048, parameters={"kid": "test"})

    class Published:  # the provider's metadata and keys as the app's client reads them
        def load_server_metadata(self):
            return {"issuer": "https://login.example.org", "id_token_signing_alg_values_supported": ["RS256"]}

        def fetch_jwk_set(self, force=False):
            return {"keys": [key.as_dict(private=False)]}

    monkeypatch.setattr(provider, "client", Published)
    claims = {"iss": "https://login.example.org", "aud": "protokoll", "sub": "anna", "iat": int(time.time()),
              "events": {provider.BACKCHANNEL_LOGOUT_EVENT: {}}}

    def token(**changed):
        return jwt.encode({"alg": "RS256", "kid": "test"}, {**claims, **changed}, key)

    with provider_app.test_request_context():
        assert provider.logout_claims(token())["sub"] == "anna"
        for changed, reason in (({"events": None}, "event"), ({"iat": "gestern"}, "age"),
                                ({"aud": "jemand"}, "audience"), ({"nonce": "x"}, "nonce")):
            with pytest.raises(provider.InvalidLogoutToken, match=reason):
                provider.logout_claims(token(**changed))
    assert provider_app.test_client().post("/auth/provider/logout",
                                           data={"logout_token": token(events=None)}).status_code == 400
