"""Secret links for people without an account (reply links, calendar feeds, the volunteer's
programme): the token travels only in the link, the database keeps its SHA-256, so a copy of
the database opens nothing."""

from __future__ import annotations

import hashlib
import secrets


def hash_token(token: str | None) -> str:
    """The stored form of a link token (an empty token hashes to a value nobody holds)."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def new_token(nbytes: int = 24) -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store for it."""
    token = secrets.token_urlsafe(nbytes)
    return token, hash_token(token)
