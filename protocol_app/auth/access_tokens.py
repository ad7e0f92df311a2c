"""Personal access tokens of the JSON API: a user makes one for their own roles, sees it once,
and can revoke it; the app keeps only its hash. A request's bearer token names its user here.

A token acts with its user's roles of the moment (a role taken away is taken from the token
too), only while the account is active and not waiting for a new password, and writes only
with the write scope (`core.api`).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ConcurrentChangeError, ValidationFailed
from ..core.link_tokens import hash_token
from ..core.logs import user_id_var
from ..core.time import now_utc
from ..extensions import db
from .models import AccessScope, AccessToken, User
from .sessions import TOUCH_INTERVAL  # last use written once a minute, as a session's

#: What a token starts with, so that a secret scanner (or a person) recognises a leaked one.
TOKEN_PREFIX = "ptk_"  # noqa: S105 (a prefix, no secret)


@transactional
def issue_token(user: User, *, actor, name: str, scope: str, days: int) -> tuple[AccessToken, str]:
    """Make a token for `user`, valid for `days`; returns the row and the token, which is shown
    this once and never again."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_l("Please give the token a name of at most 100 characters."), field="name")
    if scope not in {s.value for s in AccessScope}:
        raise ValidationFailed(_l("Please choose what the token may do."), field="scope")
    longest = current_app.config["API_TOKEN_MAX_DAYS"]
    if not 1 <= days <= longest:
        raise ValidationFailed(_l("A token is valid for 1 to %(n)s days.", n=longest), field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = AccessToken(user_id=user.id, name=name, scope=scope, token_hash=hash_token(token), hint=token[-4:],
                      expires_at=now_utc() + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    record_event("auth.token_issue", actor=actor, target=row,
                 changes={"name": [None, name], "scope": [None, scope], "expires_at": [None, row.expires_at.isoformat()]})
    return row, token


@transactional
def revoke_token(row: AccessToken, *, actor) -> None:
    """Make the token stop working at once; a second revocation meanwhile is "changed meanwhile"."""
    done = db.session.execute(
        sa.update(AccessToken).where(AccessToken.id == row.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now_utc()).execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise ConcurrentChangeError(_l("This token was revoked meanwhile."))
    db.session.refresh(row)
    record_event("auth.token_revoke", actor=actor, target=row, summary=row.name)


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens, newest first (revoked and expired ones too: the page says which)."""
    return list(db.session.scalars(
        sa.select(AccessToken).where(AccessToken.user_id == user.id).order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    ))


def own_token(user: User, token_id: int) -> AccessToken | None:
    """The user's token of that number; None for another user's (nobody revokes someone else's)."""
    row = db.session.get(AccessToken, token_id)
    return row if row is not None and row.user_id == user.id else None


def user_for_bearer(authorization: str | None) -> User | None:
    """The user a request's `Authorization: Bearer …` header names, or None: unknown, revoked or
    expired token, inactive account, or one waiting for a new password (its owner was reset).
    The token's number and scope are left in `g` for the rate limit and the write rule."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip().startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(sa.select(AccessToken).where(AccessToken.token_hash == hash_token(token.strip())))
    now = now_utc()
    if row is None or not row.is_usable(now):
        return None
    user = row.user
    if not user.is_active_account or user.must_change_password:
        return None
    if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
        row.last_used_at = now
    g.api_token_id, g.api_token_scope = row.id, row.scope
    user_id_var.set(user.id)
    return user
