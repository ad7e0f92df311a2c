"""Secret links for people without an account (reply links, calendar feeds, the volunteer's
programme): the token travels only in the link, the database keeps its SHA-256, so a copy of
the database opens nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def hash_token(token: str | None) -> str:
    """The stored form of a link token (an empty token hashes to a value nobody holds)."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def derived_token(purpose: str, *parts, secret: str | None = None) -> tuple[str, str]:
    """A link token the app can write again later (a reminder carries the invitation's own
    link), and the hash to store: HMAC-SHA256 of the purpose and the parts under the app's
    secret key (or `secret`). The database alone still opens nothing. A link sent before a key
    rotation keeps working — it is found by its stored hash — and `derived_token_again` writes
    it again while the old key is among SECRET_KEY_FALLBACKS."""
    from flask import current_app

    message = ":".join([purpose, *map(str, parts)]).encode()
    key = secret or current_app.config["SECRET_KEY"]
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()
    token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return token, hash_token(token)


def derived_token_again(stored_hash: str, purpose: str, *parts) -> str | None:
    """The token once derived for `stored_hash`, under the current key or one of before the last
    rotation; None when no key of the ring writes it."""
    from flask import current_app

    for secret in [current_app.config["SECRET_KEY"], *current_app.config.get("SECRET_KEY_FALLBACKS", ())]:
        token, token_hash = derived_token(purpose, *parts, secret=secret)
        if hmac.compare_digest(token_hash, stored_hash):
            return token
    return None


def new_token(nbytes: int = 24) -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store for it."""
    token = secrets.token_urlsafe(nbytes)
    return token, hash_token(token)
