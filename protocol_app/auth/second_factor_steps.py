"""The second factor's steps of a sign-in: a code given, the app enrolled, a lost phone reset by an
admin. Wrong codes count with wrong passwords (`lockout`); each step up renews the session's id."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.sealing import Unreadable
from ..core.time import now_utc
from . import second_factor
from .lockout import LOGIN_FAILED, clear_failures_unless_locked, count_failure
from .models import User, UserSession
from .sessions import end_all_sessions, end_session, renew_session

log = logging.getLogger(__name__)

SECOND_FACTOR_FAILED = _l("This code is not valid. Enter the current code of your authenticator app "
                          "or one of your unused recovery codes.")


#: The TOTP secret cannot be read: the key that sealed it was removed before `flask keys rotate` ran.
SECRET_UNREADABLE = _l("Your authenticator app's key can no longer be checked here (the application's key was "
                       "changed). Sign in with one of your recovery codes, or ask an administrator to reset "
                       "your second factor.")


class SecondFactorFailed(DomainError):
    """A wrong, used or expired code; `locked` when it was the last try before the block."""

    def __init__(self, message, *, locked: bool = False):
        super().__init__(message)
        self.locked = locked


def verify_second_factor(user: User, session_row, code: str) -> tuple[str, UserSession]:
    """Take a TOTP or recovery code for this session; return which ("totp", "recovery code") and
    the session that replaces it (a new id: see sessions.renew_session).

    A wrong code counts as a failed login, and only a right code clears the count (not the
    password): after LOGIN_MAX_FAILURES the account is blocked and the session ends
    (SecondFactorFailed.locked)."""
    now = now_utc()
    try:
        took_totp = second_factor.claim_totp(user, code)
    except Unreadable:
        # The app's key changed and the old one left the ring: the code cannot be checked. Not
        # the person's fault, so not counted; a recovery code still works (kept as hashes).
        log.warning("TOTP secret of user %s unreadable: the key it was sealed with left the ring", user.id)
        took_totp = None
    if took_totp:
        method = "totp"
    elif second_factor.claim_recovery_code(user, code):
        method = "recovery code"
    elif took_totp is None:
        raise SecondFactorFailed(SECRET_UNREADABLE)
    else:
        failures, locked = count_failure(user, now)
        record_event("auth.second_factor_failed", actor=user, target=user,
                     summary=f"failure {failures}" + (", account locked" if locked else ""))
        if locked:
            end_session(session_row, "locked")
        raise SecondFactorFailed(SECOND_FACTOR_FAILED, locked=locked)
    if not clear_failures_unless_locked(user, now):
        # Wrong codes racing this right one blocked the account meanwhile: the block stands.
        record_event("auth.login_refused", target=user, summary="locked")
        end_session(session_row, "locked")
        raise SecondFactorFailed(SECOND_FACTOR_FAILED, locked=True)
    session_row = renew_session(session_row, "second factor given")
    session_row.second_factor_at = now
    left = f", {second_factor.recovery_codes_left(user)} recovery codes left" if method == "recovery code" else ""
    record_event("auth.second_factor", actor=user, target=user, summary=f"{session_row.method} + {method}{left}")
    return method, session_row


def confirm_enrolment(user: User, session_row, code: str) -> tuple[list[str], UserSession]:
    """Put the pending secret in force once the app shows a code of it; return the new
    recovery codes (shown once) and the session that replaces this one (a new id)."""
    if user.totp_secret is None or user.has_second_factor or not second_factor.claim_totp(user, code):
        raise ValidationFailed(_l("This code does not fit. Scan the QR code again and enter the six digits "
                                  "your app shows now."), field="code")
    now = now_utc()
    if not clear_failures_unless_locked(user, now):
        raise ValidationFailed(LOGIN_FAILED, field="code")
    user.totp_enrolled_at = now
    session_row = renew_session(session_row, "second factor enrolled")
    session_row.second_factor_at = now
    codes = second_factor.new_recovery_codes(user)
    record_event("user.second_factor_enrolled", actor=user, target=user, summary=f"{session_row.method} + totp")
    return codes, session_row


@transactional
def reset_second_factor(user: User, *, actor: User) -> bool:
    """Remove `user`'s second factor (phone lost, identity checked): they enrol anew at their
    next login; their sessions end. False if they had none. Audited."""
    if user.totp_secret is None:
        return False
    second_factor.forget(user)
    end_all_sessions(user, "second_factor_reset")
    record_event("user.second_factor_reset", actor=actor, target=user)
    return True
