"""Account rules: login (failures counted by `lockout`, codes by `second_factor_steps`, the
directory's accounts by `directory_accounts`), password changes, user administration.

Every function takes the acting user as an argument, flushes but never commits,
and writes its audit event in the same transaction.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import changes_of, record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.permissions import Position, Role
from ..core.time import now_utc
from ..extensions import db
from . import (
    directory_accounts,
    ldap_directory,
    passwords,
    provider,
    provider_accounts,
    second_factor,
)
from .lockout import (
    LOGIN_FAILED,
    LoginFailed,
    clear_failures_unless_locked,
    refuse_wrong_password,
    still_unlocked,
)
from .models import NO_LOCAL_PASSWORD, SignIn, User, UserRole, UserSession, normalise_email
from .sessions import end_all_sessions, end_session, renew_session, start_session

DIRECTORY_PASSWORD = _l("This account signs in with the office directory; its password is changed there.")
PROVIDER_PASSWORD = _l("This account signs in with the Land's login; its password is changed there.")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str, *, user_agent: str | None = None):
    """Check the credentials and open a server-side session; return (user, session).

    Accounts that sign in with the directory (and addresses unknown here, while a directory
    is configured) are checked against it; the others against their password here. Counts
    failures per account and locks it for LOGIN_LOCK_MINUTES after LOGIN_MAX_FAILURES;
    raises LoginFailed with the same message in every case but a directory that is down.
    """
    user = find_user_by_email(email)
    now = now_utc()
    if user is None and ldap_directory.configured():
        return _open_session(directory_accounts.sign_in(None, email, password, now), now, user_agent, SignIn.DIRECTORY)
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
    if user.signs_in_with_provider:
        passwords.burn_verification_time(password)
        record_event("auth.login_refused", target=user, summary="provider account, password typed")
        raise LoginFailed(LOGIN_FAILED)
    if user.signs_in_with_directory:
        if not ldap_directory.configured():
            record_event("auth.login_refused", target=user, summary="directory account, no directory configured")
            raise LoginFailed(LOGIN_FAILED)
        return _open_session(directory_accounts.sign_in(user, email, password, now), now, user_agent, SignIn.DIRECTORY)
    if not passwords.verify_password(user.password_hash, password):
        refuse_wrong_password(user, now, "")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return _open_session(user, now, user_agent, SignIn.LOCAL)


def authenticate_with_provider(claims, *, user_agent: str | None = None):
    """Open a session for the Land's login's user (their ID token already checked); return
    (user, session). A second factor the provider asserts (OIDC_MFA_METHODS) counts as given."""
    now = now_utc()
    user, row = _open_session(provider_accounts.sign_in(claims, now), now, user_agent, SignIn.PROVIDER)
    if provider.asserts_second_factor(claims):
        row.second_factor_at = now
        record_event("auth.second_factor", actor=user, target=user, summary="given at the provider: "
                     + ",".join(claims.get("amr") or []))
    return user, row


def _open_session(user: User, now, user_agent, method: SignIn):
    # Where a code follows, the password alone proves too little to forgive earlier failures:
    # wrong codes keep counting until a right code clears them (verify_second_factor).
    settled = still_unlocked(user, now) if second_factor.required_for(user) else clear_failures_unless_locked(user, now)
    if not settled:
        # A parallel wrong guess locked the account while this password was being checked.
        record_event("auth.login_refused", target=user, summary="locked")
        raise LoginFailed(LOGIN_FAILED)
    user.last_login_at = now
    row = start_session(user, user_agent=user_agent, method=method.value)
    # The audit says how: the password step here; the second factor follows as its own event.
    record_event("auth.login", actor=user, target=user, summary=method.value)
    db.session.flush()
    return user, row


def logout(user: User, session_row) -> None:
    """End the current session on the server."""
    if session_row is not None:
        end_session(session_row, "logout")
    record_event("auth.logout", actor=user, target=user)


@transactional
def change_password(user: User, current: str, new: str, *, session_row: UserSession | None) -> UserSession | None:
    """Change `user`'s own password; ends all their sessions and returns the one that replaces
    `session_row` (a new id, as at every step up)."""
    if user.signs_in_with_directory:
        raise ValidationFailed(DIRECTORY_PASSWORD, field="current_password")
    if user.signs_in_with_provider:
        raise ValidationFailed(PROVIDER_PASSWORD, field="current_password")
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
    renewed = renew_session(session_row, "password_change") if session_row is not None else None
    end_all_sessions(user, "password_change", except_id=renewed.id if renewed else None)
    record_event("user.password_change", actor=user, target=user)
    return renewed


@transactional
def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(_l("This language is not available."))
    if user.locale != locale:
        changes = {"locale": [user.locale, locale]}
        user.locale = locale
        record_event("user.set_locale", actor=user, target=user, changes=changes)


def generate_temporary_password() -> str:
    return secrets.token_urlsafe(12)


def _check_position(position: str | None) -> str | None:
    if position and position not in {p.value for p in Position}:
        raise ValidationFailed(_l("Please choose a post from the list."), field="position")
    return position or None


def _check_sign_in(sign_in: str, before: str | None) -> None:
    if sign_in not in {s.value for s in SignIn}:
        raise ValidationFailed(_l("Please choose how the user signs in."), field="sign_in")
    if sign_in == SignIn.DIRECTORY.value and sign_in != before and not ldap_directory.configured():
        raise ValidationFailed(_l("No office directory is configured (LDAP_URL): the account would not "
                                  "be able to sign in."), field="sign_in")
    if sign_in == SignIn.PROVIDER.value and sign_in != before and not provider.configured():
        raise ValidationFailed(_l("No login of the Land is configured (OIDC_ISSUER): the account would not "
                                  "be able to sign in."), field="sign_in")


@transactional
def create_user(*, actor: User, email: str, full_name: str, roles, locale: str = "de", position: str | None = None,
                sign_in: str = SignIn.LOCAL.value):
    """Create an account; return (user, temporary password), the password None for an
    account that signs in with the directory."""
    _check_sign_in(sign_in, None)
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise ValidationFailed(_l("A user with this e-mail address exists already."), field="email")
    if not roles:
        raise ValidationFailed(_l("Choose at least one role."), field="roles")
    directory = sign_in in (SignIn.DIRECTORY.value, SignIn.PROVIDER.value)  # its password is kept elsewhere
    temporary = None if directory else generate_temporary_password()
    user = User(
        email=email,
        full_name=full_name.strip(),
        locale=locale,
        password_hash=NO_LOCAL_PASSWORD if directory else passwords.hash_password(temporary),
        must_change_password=not directory,
        position=_check_position(position),
        sign_in=sign_in,
    )
    user.set_roles(roles)
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
def update_user(user: User, *, actor: User, full_name: str, roles, locale: str, position: str | None = None,
                sign_in: str | None = None) -> None:
    """Change name, language, roles, post and way of signing in of an account.

    Moving an account to the directory removes its password here; moving it back leaves it
    without one until an admin resets the password (a temporary one to change)."""
    if sign_in is not None:
        _check_sign_in(sign_in, user.sign_in)
    if not roles:
        raise ValidationFailed(_l("Choose at least one role."), field="roles")
    if user.id == actor.id and Role.ADMIN.value not in {Role(r).value for r in roles}:
        raise ValidationFailed(_l("You cannot remove your own admin role."), field="roles")
    before_roles = sorted(r.value for r in user.roles)
    user.full_name = full_name.strip()
    user.locale = locale
    user.position = _check_position(position)
    moved = sign_in is not None and sign_in != user.sign_in
    if moved:
        user.sign_in = sign_in
        user.password_hash = NO_LOCAL_PASSWORD
        user.must_change_password = False
        # Tied again at its next sign-in with the provider, by its address, if it is set back.
        user.provider_subject = None
    changes = changes_of(user, exclude=("password_hash",))
    if moved:  # after reading the changes: its UPDATE flushes them
        end_all_sessions(user, "sign_in_changed")
    user.set_roles(roles)
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
    """Give `user` a temporary password to change at next login; return it (not for an
    account that signs in with the directory: its password is the directory's)."""
    if user.signs_in_with_directory:
        raise ValidationFailed(DIRECTORY_PASSWORD)
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
        user.set_roles(roles)
        db.session.flush()
        record_event("user.create", target=user, summary="seeded")
    return user
