"""Encryption at rest for what must not be readable in the database (outbox mail bodies
carry reply and volunteer links, which are credentials; TOTP secrets open a second factor).

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key ring derived from the
app's secrets: new data is sealed with the newest key (OUTBOX_KEY when set, else SECRET_KEY),
old data is read with any key of the ring (OUTBOX_KEY_FALLBACKS, SECRET_KEY_FALLBACKS, and
SECRET_KEY itself once an OUTBOX_KEY is set). `flask keys rotate` re-seals everything with the
newest key, after which the old keys can leave the ring (README "Rotating keys").
A copy of the database alone opens nothing.
"""

from __future__ import annotations

import base64
import hashlib

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from ..extensions import db

#: The columns holding sealed text, registered by the models that own them (for the rotation).
SEALED_COLUMNS: list[sa.Column] = []


class Unreadable(Exception):
    """Sealed text that no key of this installation's ring opens (the key left the ring)."""


def sealed_column(column) -> None:
    """Register a model's column as sealed, so that `flask keys rotate` re-seals it."""
    SEALED_COLUMNS.append(column)


def key_ring(config=None) -> list[str]:
    """The secrets the sealing keys derive from, newest first, without repeats."""
    config = config or current_app.config
    newest = config.get("OUTBOX_KEY") or config["SECRET_KEY"]
    older = [*config.get("OUTBOX_KEY_FALLBACKS", ()), config["SECRET_KEY"], *config.get("SECRET_KEY_FALLBACKS", ())]
    return list(dict.fromkeys([newest, *older]))


def _fernet() -> MultiFernet:
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"protokoll-outbox-v1:" + secret.encode()).digest()))
        for secret in key_ring()
    ])


def seal(text: str) -> str:
    """Encrypt `text` for storage, with the newest key."""
    return _fernet().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt what `seal` stored, with whichever key of the ring fits; raise Unreadable if none does."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("sealed with a key that is no longer in the ring") from exc


def reseal_all(batch: int = 500) -> dict[str, int]:
    """Seal every registered column's values again with the newest key (the caller commits).

    Returns, per column, how many values were re-sealed; values no key opens are left as they
    are and counted under "<column> unreadable"."""
    ring = _fernet()
    done: dict[str, int] = {}
    for column in SEALED_COLUMNS:
        table, name = column.table, f"{column.table.name}.{column.name}"
        key = table.primary_key.columns.values()[0]
        done[name], last = 0, None
        while True:
            query = sa.select(key, column).where(column.is_not(None)).order_by(key).limit(batch)
            rows = db.session.execute(query if last is None else query.where(key > last)).all()
            if not rows:
                break
            for row_id, token in rows:
                try:
                    fresh = ring.rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    done[f"{name} unreadable"] = done.get(f"{name} unreadable", 0) + 1
                    continue
                db.session.execute(table.update().where(key == row_id).values({column.name: fresh}))
                done[name] += 1
            last = rows[-1][0]
    return done
