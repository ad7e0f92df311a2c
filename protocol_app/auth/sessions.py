"""Server-side login sessions: created at login, checked on every request,
ended on logout, password change, reset and deactivation."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g

from ..core.backup import after_restore
from ..core.time import now_utc
from ..extensions import db
from .models import User, UserSession

#: Writing last_seen_at on every request would be wasteful; once a minute is enough
#: for a 30-minute idle timeout.
TOUCH_INTERVAL = timedelta(seconds=60)


def start_session(user: User, *, user_agent: str | None = None, method: str = "local") -> UserSession:
    """Create a new server-side session for `user` (signed in by `method`) and return it."""
    row = UserSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        user_agent=(user_agent or "")[:300] or None,
        method=method,
    )
    db.session.add(row)
    return row


def renew_session(row: UserSession, reason: str) -> UserSession:
    """Replace the session by one with a new id at a step up (a second factor given, a password
    changed): a cookie copied before the step dies with the old id instead of being raised to a
    full session. The new one keeps the old one's start (the absolute limit counts from the login)."""
    new = UserSession(id=secrets.token_urlsafe(32), user_id=row.user_id, user_agent=row.user_agent,
                      method=row.method, created_at=row.created_at, second_factor_at=row.second_factor_at)
    db.session.add(new)
    end_session(row, reason)
    g.login_session = new
    return new


def validate_session(session_id: str | None, user_id: int) -> User | None:
    """Return the user if the session is open, recent and not past its limit (the session's
    row is then `g.login_session`, for the second-factor check).

    Ends the session (idle or expired) when it is not.
    """
    if not session_id:
        return None
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    cfg = current_app.config
    now = now_utc()
    if now - row.created_at > timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"]):
        end_session(row, "expired")
        return None
    if now - row.last_seen_at > timedelta(minutes=cfg["SESSION_IDLE_MINUTES"]):
        end_session(row, "idle")
        return None
    user = row.user
    if not user.is_active_account:
        end_session(row, "deactivated")
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
    g.login_session = row
    return user


def current_session() -> UserSession | None:
    """The session row of the request's login (after Flask-Login loaded the user)."""
    return g.get("login_session")


def end_session(row: UserSession, reason: str) -> None:
    """End one session."""
    if row.ended_at is None:
        row.ended_at = now_utc()
        row.end_reason = reason


def end_all_sessions(user: User, reason: str, *, except_id: str | None = None) -> int:
    """End every open session of `user` (optionally keeping one); return the count."""
    stmt = (
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now_utc(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if except_id:
        stmt = stmt.where(UserSession.id != except_id)
    return db.session.execute(stmt).rowcount


@after_restore
def end_every_session_after_restore() -> int:
    """A restored installation starts with nobody signed in: the session rows came with the
    backup, and a cookie of the live installation must not open the restored one."""
    return db.session.execute(
        sa.update(UserSession).where(UserSession.ended_at.is_(None))
        .values(ended_at=now_utc(), end_reason="restore").execution_options(synchronize_session=False)
    ).rowcount
