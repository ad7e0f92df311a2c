"""Helpers for the API's tests: tokens made by the service, and the header a program sends."""

from __future__ import annotations

from protocol_app.auth import access_tokens
from protocol_app.auth.models import User
from protocol_app.extensions import db
from tests.support import make_user


def token_for(app, email: str, roles=("officer",), *, scope: str = "read", days: int = 30, **user) -> str:
    """A committed user of `roles` (made if missing) and a new token of theirs."""
    user_id = make_user(app, email, roles=roles, **user)
    with app.app_context():
        owner = db.session.get(User, user_id)
        _row, token = access_tokens.issue_token(owner, actor=owner, name="Test", scope=scope, days=days)
        db.session.commit()
        return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
