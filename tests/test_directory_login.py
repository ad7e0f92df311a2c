"""Signing in with the office directory: a real OpenLDAP (slapd) over StartTLS."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import SignIn, User, UserSession
from protocol_app.extensions import db
from tests.ldap_server import PASSWORD
from tests.support import account, audit_events, login, make_user, post

#: One database: the directory's protocol (StartTLS, binds, groups) is what these test; the
#: account rows they write are the same on both databases.
pytestmark = pytest.mark.one_backend

ANNA = "anna.amtmann@berlin.test"


def _roles(app, email) -> set[str]:
    with app.app_context():
        return {r.value for r in db.session.scalar(sa.select(User).where(User.email == email)).roles}


def test_first_directory_login_creates_the_account_with_the_roles_of_its_groups(directory_app):
    app = directory_app
    client = app.test_client()
    response = login(client, ANNA.upper(), PASSWORD)  # typed in capitals: the address is the same
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    user = account(app, ANNA)
    assert user.full_name == "Anna Amtmann" and user.sign_in == SignIn.DIRECTORY.value
    assert user.directory_dn == "uid=anna,ou=people,dc=protokoll,dc=test"
    assert _roles(app, ANNA) == {"officer"}
    assert client.get("/visits/").status_code == 200  # an officer's page
    assert client.get("/admin/users").status_code == 403
    with app.app_context():
        row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == user.id))
        assert row.method == "directory"
    assert audit_events(app, "auth.login")[-1].summary == "directory"
    assert audit_events(app, "user.create")[-1].summary == "from the directory"


def test_roles_follow_the_groups_at_every_login(directory_app):
    app = directory_app
    login(app.test_client(), "lea.leitung@berlin.test", PASSWORD)
    assert _roles(app, "lea.leitung@berlin.test") == {"manager", "officer"}
    mapping = json.loads(app.config["LDAP_GROUP_ROLES"])
    del mapping["cn=protokoll-leitung,ou=groups,dc=protokoll,dc=test"]  # the group no longer gives a role
    app.config["LDAP_GROUP_ROLES"] = json.dumps(mapping)
    login(app.test_client(), "lea.leitung@berlin.test", PASSWORD)
    assert _roles(app, "lea.leitung@berlin.test") == {"officer"}
    change = audit_events(app, "user.update")[-1]
    assert change.changes["roles"] == [["manager", "officer"], ["officer"]]


def test_a_disabled_directory_account_is_refused_and_its_open_sessions_end(directory_app):
    app = directory_app
    active_filter = app.config["LDAP_ACTIVE_FILTER"]
    app.config["LDAP_ACTIVE_FILTER"] = "(objectClass=*)"  # before she left: every entry counts as active
    earlier = app.test_client()
    assert login(earlier, "dora.draussen@berlin.test", PASSWORD).status_code == 302
    assert earlier.get("/visits/").status_code == 200
    app.config["LDAP_ACTIVE_FILTER"] = active_filter  # now her entry is disabled
    response = login(app.test_client(), "dora.draussen@berlin.test", PASSWORD)
    assert response.status_code == 200 and "Anmeldung fehlgeschlagen" in response.get_data(as_text=True)
    assert audit_events(app, "auth.login_refused")[-1].summary == "directory: directory account disabled"
    assert earlier.get("/visits/").status_code == 302  # the session she still had is over too


def test_a_directory_user_in_no_mapped_group_gets_no_account(directory_app):
    app = directory_app
    response = login(app.test_client(), "kurt.kantine@berlin.test", PASSWORD)
    assert response.status_code == 200 and "Anmeldung fehlgeschlagen" in response.get_data(as_text=True)
    assert account(app, "kurt.kantine@berlin.test") is None
    assert audit_events(app, "auth.login_refused")[-1].summary == "directory: in no group mapped to a role"


def test_wrong_directory_passwords_count_towards_the_block(directory_app):
    app = directory_app
    login(app.test_client(), ANNA, PASSWORD)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(app.test_client(), ANNA, "falsch").status_code == 200
    assert account(app, ANNA).is_locked()
    # Blocked: even the right directory password does not sign in now.
    assert login(app.test_client(), ANNA, PASSWORD).status_code == 200
    assert audit_events(app, "auth.login_refused")[-1].summary == "locked"


def test_an_empty_password_is_no_anonymous_bind(directory_app):
    """LDAP takes a bind with a name and no password as anonymous: it must not sign in."""
    from protocol_app.auth import ldap_directory

    with directory_app.app_context():
        assert ldap_directory.check(ANNA, "").outcome is ldap_directory.Outcome.WRONG_PASSWORD


def test_a_directory_that_does_not_answer_says_so_and_changes_nothing(directory_app):
    app = directory_app
    app.config["LDAP_URL"] = "ldap://127.0.0.1:9"  # nothing listens there
    response = login(app.test_client(), ANNA, PASSWORD)
    assert response.status_code == 200
    assert "Verzeichnisdienst ist im Moment nicht erreichbar" in response.get_data(as_text=True)
    assert account(app, ANNA) is None


def test_ldaps_works_as_well_as_starttls(directory_app, directory_server):
    app = directory_app
    app.config["LDAP_URL"] = f"ldaps://127.0.0.1:{directory_server.ldaps_port}"
    assert login(app.test_client(), ANNA, PASSWORD).status_code == 302
    assert _roles(app, ANNA) == {"officer"}


def test_a_directory_that_accepts_but_never_answers_does_not_hang_the_login(directory_app):
    """A directory under load or half down: the login waits LDAP_TIMEOUT_SECONDS, then says so."""
    import socket

    app = directory_app
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # takes the connection, never speaks TLS or LDAP
        app.config["LDAP_URL"] = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        app.config["LDAP_TIMEOUT_SECONDS"] = 1
        response = login(app.test_client(), ANNA, PASSWORD)  # answered at all: it did not hang
    assert response.status_code == 200
    assert "Verzeichnisdienst ist im Moment nicht erreichbar" in response.get_data(as_text=True)
    assert account(app, ANNA) is None


def test_without_the_directory_s_certificate_authority_there_is_no_login(directory_app):
    app = directory_app
    app.config["LDAP_CA_FILE"] = None  # the system's CAs do not know the test directory's
    response = login(app.test_client(), ANNA, PASSWORD)
    assert "Verzeichnisdienst ist im Moment nicht erreichbar" in response.get_data(as_text=True)


def test_freelancers_keep_their_local_password_and_staff_have_none_here(directory_app):
    app = directory_app
    make_user(app, "freie.dolmetscherin@example.org", roles=["translator"])
    assert login(app.test_client(), "freie.dolmetscherin@example.org").status_code == 302
    login(app.test_client(), ANNA, PASSWORD)
    assert login(app.test_client(), ANNA, "!directory").status_code == 200  # no password of this app works


def test_an_admin_moves_an_account_to_the_directory(directory_app):
    app = directory_app
    admin = app.test_client()
    make_user(app, "admin@example.org", roles=["admin"])
    login(admin, "admin@example.org")
    uid = make_user(app, ANNA, roles=["officer"], name="Anna A.")
    assert login(app.test_client(), ANNA).status_code == 302  # the local password, for now
    page = admin.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert "Verzeichnis" in page
    response = post(admin, f"/admin/users/{uid}", {"full_name": "Anna A.", "roles": ["officer"], "locale": "de",
                                                  "position": "", "sign_in": "directory"})
    assert response.status_code == 302
    assert login(app.test_client(), ANNA).status_code == 200  # the old local password is gone
    assert login(app.test_client(), ANNA, PASSWORD).status_code == 302
    assert account(app, ANNA).full_name == "Anna Amtmann"  # the directory's name from now on
    change = [e for e in audit_events(app, "user.update") if e.actor_id is not None][-1]
    assert change.changes["sign_in"] == ["local", "directory"]
    # Its password is the directory's: the admin cannot reset it here.
    response = post(admin, f"/admin/users/{uid}/reset-password", {}, follow_redirects=True)
    assert "mit dem Verzeichnisdienst an" in response.get_data(as_text=True)


def _recheck(app) -> dict:
    from protocol_app.auth.directory_accounts import recheck_directory_accounts

    with app.app_context():
        result = recheck_directory_accounts()
        db.session.commit()
        return result


def test_the_recheck_ends_the_session_of_someone_who_left_before_they_sign_in_again(directory_app):
    app = directory_app
    active_filter = app.config["LDAP_ACTIVE_FILTER"]
    app.config["LDAP_ACTIVE_FILTER"] = "(objectClass=*)"
    dora, anna = app.test_client(), app.test_client()
    login(dora, "dora.draussen@berlin.test", PASSWORD)
    login(anna, ANNA, PASSWORD)
    assert _recheck(app) == {"checked": 2, "ended": 0}
    app.config["LDAP_ACTIVE_FILTER"] = active_filter  # meanwhile her account was disabled
    assert _recheck(app) == {"checked": 2, "ended": 1}
    assert dora.get("/visits/").status_code == 302 and anna.get("/visits/").status_code == 200
    assert audit_events(app, "auth.directory_access_ended")[-1].summary == "directory account disabled"
    assert _recheck(app) == {"checked": 1, "ended": 0}  # her sessions are over: nothing more to do


def test_the_recheck_takes_new_roles_and_changes_nothing_while_the_directory_is_down(directory_app):
    app = directory_app
    client = app.test_client()
    login(client, "lea.leitung@berlin.test", PASSWORD)
    mapping = json.loads(app.config["LDAP_GROUP_ROLES"])
    del mapping["cn=protokoll-leitung,ou=groups,dc=protokoll,dc=test"]
    app.config["LDAP_GROUP_ROLES"] = json.dumps(mapping)
    url = app.config["LDAP_URL"]
    app.config["LDAP_URL"] = "ldap://127.0.0.1:9"
    assert _recheck(app) == {"checked": 0, "ended": 0}  # an outage ends nobody's work
    assert _roles(app, "lea.leitung@berlin.test") == {"manager", "officer"}
    app.config["LDAP_URL"] = url
    assert _recheck(app) == {"checked": 1, "ended": 0}
    assert _roles(app, "lea.leitung@berlin.test") == {"officer"}
    assert client.get("/visits/").status_code == 200


def test_the_beat_rechecks_the_directory(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule["directory-recheck"]["task"] == "protocol_app.auth.tasks.recheck_directory"
    import celery_worker

    assert "protocol_app.auth.tasks.recheck_directory" in celery_worker.celery.tasks
