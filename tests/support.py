"""Helpers for tests: users, login, CSRF tokens."""

from __future__ import annotations

import re

from protocol_app.auth.services import ensure_user
from protocol_app.extensions import db

PASSWORD = "Sicheres-Test-Passwort-2026"

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def make_user(app, email="user@example.org", roles=("officer",), *, name="Test User", locale="de",
              password=PASSWORD, active=True, must_change=False) -> int:
    """Create and commit a user; return its id."""
    with app.app_context():
        user = ensure_user(email=email, full_name=name, roles=list(roles), password=password,
                           locale=locale)
        user.is_active_account = active
        user.must_change_password = must_change
        db.session.commit()
        return user.id


def csrf_token(client, path="/auth/login") -> str:
    """Return a CSRF token of the client's current session, read from a page."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, email, password=PASSWORD, *, follow=False):
    token = csrf_token(client, "/auth/login")
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=follow,
    )


def post(client, path, data=None, *, token_from="/", **kwargs):
    """POST with a valid CSRF token of the logged-in session."""
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, token_from)
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
