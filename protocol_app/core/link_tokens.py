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


def derived_token(purpose: str, *parts) -> tuple[str, str]:
    """A link token the app can write again later (a reminder carries the invitation's own
    link), and the hash to store: HMAC-SHA256 of the purpose and the parts under the app's
    secret key. The database alone still opens nothing; with the secret key rotated, the
    links sent before stop working."""
    from flask import current_app

    message = ":".join([purpose, *map(str, parts)]).encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).digest()
    token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return token, hash_token(token)


def new_token(nbytes: int = 24) -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store for it."""
    token = secrets.token_urlsafe(nbytes)
    return token, hash_token(token)
