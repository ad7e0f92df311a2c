"""Helpers for tests: users, login, CSRF tokens."""

from __future__ import annotations

import hashlib
import os
import re

from itsdangerous import URLSafeTimedSerializer

from protocol_app.auth.services import ensure_user
from protocol_app.extensions import db

PASSWORD = "Sicheres-Test-Passwort-2026"

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def ensure_reference_data(app) -> None:
    """The installation's reference data (countries, venues, occasions, award types, letters).

    The rolled-back apps have it from the start of the session (conftest); an app whose
    commits are real, and whose tables are emptied after each test, gets it here."""
    if app.config.get("REFERENCE_DATA_PRELOADED"):
        return
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        db.session.commit()


def make_user(app, email="user@example.org", roles=("officer",), *, name="Test User", locale="de",
              password=PASSWORD, active=True, must_change=False, position=None) -> int:
    """Create and commit a user; return its id."""
    with app.app_context():
        user = ensure_user(email=email, full_name=name, roles=list(roles), password=password,
                           locale=locale, position=position)
        user.is_active_account = active
        user.must_change_password = must_change
        db.session.commit()
        return user.id


#: The office's people of the domain tests: login name → (role, name); mail <login>@example.org.
OFFICE = {"referent": ("officer", "Rainer Referent"), "leitung": ("manager", "Lena Leitung"),
          "leser": ("viewer", "Lea Leser"), "emigration": ("emigration", "Emil Emigration")}


def office_clients(app, *who: str) -> dict:
    """The reference data and a logged-in client for each of `who` (all of OFFICE by default)."""
    ensure_reference_data(app)
    clients = {}
    for login_name in who or OFFICE:
        role, name = OFFICE[login_name]
        make_user(app, f"{login_name}@example.org", roles=[role], name=name)
        clients[login_name] = app.test_client()
        login(clients[login_name], f"{login_name}@example.org")
    return clients


def csrf_token(client, path: str | None = None) -> str:
    """A valid CSRF token of the client's session.

    Signed the way Flask-WTF signs the token it renders into forms, so no page has to be
    fetched for it; with `path`, read from that page instead (for tests of the page itself).
    """
    if path is not None:
        html = client.get(path).get_data(as_text=True)
        match = _TOKEN.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)
    app = client.application
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    with client.session_transaction() as session:
        if field not in session:
            session[field] = hashlib.sha256(os.urandom(64)).hexdigest()  # an opaque random id, as Flask-WTF makes
        raw = session[field]
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def login(client, email, password=PASSWORD, *, follow=False):
    """Sign in through the login form (one request: the token comes from the session)."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=follow,
    )


def post(client, path, data=None, **kwargs):
    """POST with a valid CSRF token of the logged-in session."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client)
    return client.post(path, data=data, **kwargs)


def sweep_reminders_twice(app, when) -> None:
    """Run every reminder rule twice at `when` (the second run must add nothing)."""
    import time_machine

    from protocol_app.core.reminders.services import run_all_rules

    with time_machine.travel(when, tick=False), app.app_context():
        for _ in range(2):
            run_all_rules()
            db.session.commit()


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: A real one-page PDF (uploads are parsed, so a few magic bytes are not enough).
PDF = _blank_pdf()


def account(app, email: str):
    """The account of `email` as stored now (detached: readable after the app context), or None."""
    import sqlalchemy as sa

    from protocol_app.auth.models import User

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def audit_events(app, action: str) -> list:
    """The audit log's entries of `action`, oldest first."""
    import sqlalchemy as sa

    from protocol_app.core.audit.models import AuditEvent

    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).all()
