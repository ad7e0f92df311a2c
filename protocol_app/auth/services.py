"""Account rules: login with lockout, password changes, user administration.

Every function takes the acting user as an argument, flushes but never commits,
and writes its audit event in the same transaction.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import changes_of, record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.permissions import Position, Role
from ..core.time import now_utc
from ..extensions import db
from . import passwords
from .models import User, UserRole
from .sessions import end_all_sessions, start_session

#: The one message for every failed login: it must not reveal whether the e-mail
#: exists, whether the password was wrong or whether the account is locked.
LOGIN_FAILED = _l(
    "Login failed. Please check your e-mail address and password. "
    "After repeated failures, login is blocked for a while."
)


class LoginFailed(DomainError):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _count_failure(user: User, now) -> tuple[int, bool]:
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
    return (cfg["LOGIN_MAX_FAILURES"] if locked else count), locked


def _clear_failures_unless_locked(user: User, now) -> bool:
    """Reset the failure count of a correct login — unless the account got locked meanwhile."""
    result = db.session.execute(
        sa.update(User).where(User.id == user.id,
                              sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["failed_logins", "locked_until"])
    return result.rowcount == 1


def authenticate(email: str, password: str, *, user_agent: str | None = None):
    """Check the credentials and open a server-side session; return (user, session).

    Counts failures per account and locks it for LOGIN_LOCK_MINUTES after
    LOGIN_MAX_FAILURES; raises LoginFailed with the same message in every case.
    """
    user = find_user_by_email(email)
    now = now_utc()
    if user is None:
        passwords.burn_verification_time(password)
        record_event("auth.login_failed", summary="unknown account")
        raise LoginFailed(LOGIN_FAILED)
    if user.is_locked(now) or not user.is_active_account:
        passwords.burn_verification_time(password)
        record_event(
            "auth.login_refused",
            target=user,
            summary="locked" if user.is_active_account else "inactive",
        )
        raise LoginFailed(LOGIN_FAILED)
    if not passwords.verify_password(user.password_hash, password):
        failures, locked = _count_failure(user, now)
        summary = f"failure {failures}" + (", account locked" if locked else "")
        record_event("auth.login_failed", target=user, summary=summary)
        raise LoginFailed(LOGIN_FAILED)
    if not _clear_failures_unless_locked(user, now):
        # A parallel wrong guess locked the account while this password was being checked.
        record_event("auth.login_refused", target=user, summary="locked")
        raise LoginFailed(LOGIN_FAILED)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now
    row = start_session(user, user_agent=user_agent)
    record_event("auth.login", actor=user, target=user)
    db.session.flush()
    return user, row


def logout(user: User, session_row) -> None:
    """End the current session on the server."""
    from .sessions import end_session

    if session_row is not None:
        end_session(session_row, "logout")
    record_event("auth.logout", actor=user, target=user)


@transactional
def change_password(user: User, current: str, new: str, *, keep_session_id: str | None) -> None:
    """Change `user`'s own password; ends all their other sessions."""
    if not passwords.verify_password(user.password_hash, current):
        raise ValidationFailed(_l("The current password is not correct."), field="current_password")
    if current == new:
        raise ValidationFailed(
            _l("The new password must differ from the current one."), field="new_password"
        )
    problems = passwords.password_problems(new, email=user.email)
    if problems:
        raise ValidationFailed(problems[0], field="new_password")
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    user.password_changed_at = now_utc()
    end_all_sessions(user, "password_change", except_id=keep_session_id)
    record_event("user.password_change", actor=user, target=user)


@transactional
def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(_l("This language is not available."))
    if user.locale != locale:
        changes = {"locale": [user.locale, locale]}
        user.locale = locale
        record_event("user.set_locale", actor=user, target=user, changes=changes)


def _set_roles(user: User, roles) -> None:
    wanted = {Role(r).value for r in roles}
    current = {r.role for r in user.role_rows}
    for row in list(user.role_rows):
        if row.role not in wanted:
            user.role_rows.remove(row)
    for role in sorted(wanted - current):
        user.role_rows.append(UserRole(role=role))


def generate_temporary_password() -> str:
    return secrets.token_urlsafe(12)


def _check_position(position: str | None) -> str | None:
    if position and position not in {p.value for p in Position}:
        raise ValidationFailed(_l("Please choose a post from the list."), field="position")
    return position or None


@transactional
def create_user(*, actor: User, email: str, full_name: str, roles, locale: str = "de", position: str | None = None):
    """Create an account with a temporary password; return (user, temp_password)."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationFailed(_l("A user with this e-mail address exists already."), field="email")
    if not roles:
        raise ValidationFailed(_l("Choose at least one role."), field="roles")
    temporary = generate_temporary_password()
    user = User(
        email=email,
        full_name=full_name.strip(),
        locale=locale,
        password_hash=passwords.hash_password(temporary),
        must_change_password=True,
        position=_check_position(position),
    )
    _set_roles(user, roles)
    db.session.add(user)
    db.session.flush()
    record_event(
        "user.create",
        actor=actor,
        target=user,
        changes={"email": [None, email], "roles": [None, sorted(Role(r).value for r in roles)]},
    )
    return user, temporary


@transactional
def update_user(user: User, *, actor: User, full_name: str, roles, locale: str, position: str | None = None) -> None:
    """Change name, language, roles and post of an account."""
    if not roles:
        raise ValidationFailed(_l("Choose at least one role."), field="roles")
    if user.id == actor.id and Role.ADMIN.value not in {Role(r).value for r in roles}:
        raise ValidationFailed(_l("You cannot remove your own admin role."), field="roles")
    before_roles = sorted(r.value for r in user.roles)
    user.full_name = full_name.strip()
    user.locale = locale
    user.position = _check_position(position)
    changes = changes_of(user)
    _set_roles(user, roles)
    after_roles = sorted(Role(r).value for r in roles)
    if before_roles != after_roles:
        changes["roles"] = [before_roles, after_roles]
    if changes:
        record_event("user.update", actor=actor, target=user, changes=changes)


@transactional
def set_active(user: User, *, actor: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    if user.id == actor.id and not active:
        raise ValidationFailed(_l("You cannot deactivate your own account."))
    if user.is_active_account == active:
        return
    user.is_active_account = active
    if not active:
        end_all_sessions(user, "deactivated")
    record_event(
        "user.activate" if active else "user.deactivate",
        actor=actor,
        target=user,
        changes={"is_active_account": [not active, active]},
    )


@transactional
def unlock(user: User, *, actor: User) -> bool:
    """Lift a login block after repeated failures (the person called; their identity checked);
    False if the account was not blocked. Audited."""
    if not user.is_locked():
        return False
    before = user.locked_until
    user.failed_logins = 0
    user.locked_until = None
    record_event("user.unlock", actor=actor, target=user, changes={"locked_until": [before.isoformat(), None]})
    return True


def reset_password(user: User, *, actor: User) -> str:
    """Give `user` a temporary password to change at next login; return it."""
    temporary = generate_temporary_password()
    user.password_hash = passwords.hash_password(temporary)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    end_all_sessions(user, "reset")
    record_event("user.password_reset", actor=actor, target=user)
    return temporary


def users_with_role(role: Role) -> list[User]:
    """Return active users holding `role`."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == role.value, User.is_active_account.is_(True))
            .order_by(User.id)
        )
    )


@transactional
def ensure_user(*, email: str, full_name: str, roles, password: str, locale: str = "de",
                position: str | None = None) -> User:
    """Create or update a user with a known password (demo data and CLI only)."""
    user = find_user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), full_name=full_name, locale=locale,
                    password_hash=passwords.hash_password(password), position=_check_position(position))
        db.session.add(user)
        _set_roles(user, roles)
        db.session.flush()
        record_event("user.create", target=user, summary="seeded")
    return user
