"""Proof of work for the public forms (ALTCHA, served by the app itself: no third party sees
who writes to the office). The browser's widget fetches a signed challenge, spends a moment of
its processor on it (PBKDF2 in a web worker) and sends the solution with the form; a script
sending thousands of forms pays that moment thousands of times.

A solution counts once: its challenge's number (`proof_id`) is kept with what the form made,
under a unique constraint, so a replayed solution is refused.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import altcha
from flask import current_app
from flask_babel import lazy_gettext as _l

from .errors import ValidationFailed

ALGORITHM = "PBKDF2/SHA-256"
#: How long a challenge may be solved and sent.
LIFETIME_SECONDS = 600


def _secret(purpose: str) -> bytes:
    # Derived from the app's key: a key rotation voids only the challenges of the last minutes.
    return hashlib.sha256(f"protokoll-altcha-{purpose}:".encode() + current_app.config["SECRET_KEY"].encode()).digest()


def new_challenge() -> dict:
    """A signed challenge for the widget (JSON): PBKDF2 with `PROOF_OF_WORK_COST` iterations per
    try and a secret number of tries below `PROOF_OF_WORK_MAX_TRIES`."""
    cfg = current_app.config
    challenge = altcha.create_challenge(
        ALGORITHM, cfg["PROOF_OF_WORK_COST"], counter=secrets.randbelow(cfg["PROOF_OF_WORK_MAX_TRIES"]),
        expires_at=int(time.time()) + LIFETIME_SECONDS, hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"))
    return challenge.to_dict()


def checked_proof(payload: str | None) -> str:
    """The id of a valid, unexpired solution (to be stored once), else a refusal that says what to do."""
    if not payload or len(payload) > 4000:
        raise ValidationFailed(_l("Please wait until the check below the form is done, then send again."), field="altcha")
    try:
        parsed = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(parsed, _secret("challenge"), hmac_key_secret=_secret("key"))
        signature = parsed.challenge.signature
    except (ValueError, KeyError, TypeError, AttributeError):
        result, signature = None, None
    if result is None or not result.verified or not signature:
        raise ValidationFailed(_l("The check of this form failed or expired. Please let it run again and send."),
                               field="altcha")
    return hashlib.sha256(signature.encode()).hexdigest()

