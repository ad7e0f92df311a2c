"""The second factor: time-based one-time codes (TOTP, RFC 6238) from an authenticator app,
and one-time recovery codes for the day the phone is lost.

The secret is kept sealed (core.sealing), recovery codes only as SHA-256 hashes (they are
random, 50 bits each: a slow hash would add nothing but seconds). A code is taken once: the
step of the last TOTP code and each recovery code's use are claimed by a conditional UPDATE,
so two requests racing with the same code cannot both pass.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from ..core.permissions import Role
from ..core.sealing import seal, unseal
from ..core.time import now_utc
from ..extensions import db
from .models import RecoveryCode, User

RECOVERY_CODES = 10
#: Codes of the step before and after count too (a phone's clock a little off).
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to mistake (no 0/o, 1/l/i)


def roles_requiring() -> frozenset[Role]:
    raw = current_app.config.get("SECOND_FACTOR_ROLES") or ""
    return frozenset(Role(r.strip()) for r in raw.split(",") if r.strip())


def required_for(user: User) -> bool:
    """Whether `user` must give a second factor: a role that needs it, or enrolled of their own accord."""
    return user.has_second_factor or bool(user.roles & roles_requiring())


def is_fresh(session_row) -> bool:
    """Whether the session gave its second factor within SECOND_FACTOR_MAX_AGE_HOURS."""
    given = session_row.second_factor_at if session_row is not None else None
    hours = current_app.config["SECOND_FACTOR_MAX_AGE_HOURS"]
    return given is not None and now_utc() - given < timedelta(hours=hours)


def pending_secret(user: User) -> str:
    """The secret being enrolled (made and stored sealed on the first call; not yet in force)."""
    if user.totp_secret is None:
        user.totp_secret = seal(pyotp.random_base32())
        user.totp_enrolled_at = None
        db.session.flush()
    return unseal(user.totp_secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SECOND_FACTOR_ISSUER"])


def qr_svg(uri: str) -> Markup:
    """The enrolment QR code as inline SVG (made here: the secret goes to no outside service)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=False)
    # Only rectangles as a path: segno writes no text of the data (no title or description given).
    return Markup(svg)  # noqa: S704


def _step(code: str, secret: str) -> int | None:
    """The time step `code` belongs to (within the window), or None."""
    totp = pyotp.TOTP(secret)
    now = now_utc()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        at = now + timedelta(seconds=offset * totp.interval)
        if secrets.compare_digest(totp.at(at), code):
            return totp.timecode(at)
    return None


def claim_totp(user: User, code: str) -> bool:
    """Accept a TOTP code once: its step must be later than the last step taken."""
    code = "".join(code.split())
    if user.totp_secret is None or not (code.isdigit() and len(code) == 6):
        return False
    step = _step(code, unseal(user.totp_secret))
    if step is None:
        return False
    claimed = db.session.execute(
        sa.update(User).where(User.id == user.id,
                              sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(user, ["totp_last_step"])
    return claimed == 1


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").replace(" ", "").encode()).hexdigest()


def claim_recovery_code(user: User, code: str) -> bool:
    """Use up one recovery code; False if it is not one of `user`'s or was used already."""
    if not code.strip():
        return False
    return db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=now_utc()).execution_options(synchronize_session=False)
    ).rowcount == 1


def new_recovery_codes(user: User) -> list[str]:
    """Replace `user`'s recovery codes by fresh ones; return them (shown once, kept hashed)."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def forget(user: User) -> None:
    """Remove the user's factor and recovery codes (they enrol anew at the next login)."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
