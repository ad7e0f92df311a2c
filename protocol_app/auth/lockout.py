"""Failed sign-ins: one message for every refusal, and the count of wrong passwords and codes
that blocks an account for LOGIN_LOCK_MINUTES after LOGIN_MAX_FAILURES of them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.errors import DomainError
from ..core.metrics import SIGN_IN_BLOCKS
from ..extensions import db
from .models import User

#: The one message for every failed login: it must not reveal whether the e-mail
#: exists, whether the password was wrong or whether the account is locked.
LOGIN_FAILED = _l(
    "Login failed. Please check your e-mail address and password. "
    "After repeated failures, login is blocked for a while."
)


class LoginFailed(DomainError):
    pass


def count_failure(user: User, now) -> tuple[int, bool]:
    """Count a wrong password in one conditional UPDATE; return (count, whether it locked now).

    Parallel guesses (threads, gunicorn workers, hosts) each add one under the row lock
    the UPDATE takes, so the account locks after exactly LOGIN_MAX_FAILURES of them.
    """
    cfg = current_app.config
    reaches = User.failed_logins + 1 >= cfg["LOGIN_MAX_FAILURES"]
    count = db.session.execute(
        sa.update(User).where(User.id == user.id)
        .values(failed_logins=sa.case((reaches, 0), else_=User.failed_logins + 1),
                locked_until=sa.case((reaches, now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])),
                                     else_=User.locked_until))
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(user, ["failed_logins", "locked_until"])
    locked = count == 0
    if locked:
        SIGN_IN_BLOCKS.inc()
    return (cfg["LOGIN_MAX_FAILURES"] if locked else count), locked


def clear_failures_unless_locked(user: User, now) -> bool:
    """Reset the failure count of a correct login — unless the account got locked meanwhile."""
    result = db.session.execute(
        sa.update(User).where(User.id == user.id,
                              sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["failed_logins", "locked_until"])
    return result.rowcount == 1


def still_unlocked(user: User, now) -> bool:
    """Whether the account is not blocked now (read again: a parallel guess may have blocked it)."""
    db.session.refresh(user, ["locked_until"])
    return not user.is_locked(now)


def refuse_wrong_password(user: User, now, kind: str):
    """Count a wrong password (of this app or the directory) and refuse the login."""
    failures, locked = count_failure(user, now)
    summary = f"{kind}failure {failures}" + (", account locked" if locked else "")
    record_event("auth.login_failed", target=user, summary=summary)
    raise LoginFailed(LOGIN_FAILED)
