"""Encryption at rest for what must not be readable in the database (outbox mail bodies
carry reply and volunteer links, which are credentials).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived from the
app's SECRET_KEY, or OUTBOX_KEY when set: a copy of the database alone opens nothing.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class Unreadable(Exception):
    """Sealed text that this installation's key cannot open (the key was changed)."""


def _fernet() -> Fernet:
    secret = current_app.config.get("OUTBOX_KEY") or current_app.config["SECRET_KEY"]
    key = hashlib.sha256(b"protokoll-outbox-v1:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    """Encrypt `text` for storage."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt what `seal` stored; raise Unreadable if the key does not fit."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("sealed with another key") from exc
