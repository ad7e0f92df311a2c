"""Account rules: login (failures counted by `lockout`, codes by `second_factor_steps`), password
changes, user administration.

Every function takes the acting user as an argument, flushes but never commits,
and writes its audit event in the same transaction.
"""

from __future__ import annotations

import secrets
import unicodedata

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import changes_of, record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.permissions import Position, Role
from ..core.time import now_utc
from ..extensions import db
from . import ldap_directory, passwords, second_factor
from .ldap_directory import DirectoryUnavailable, Outcome
from .lockout import (
    LOGIN_FAILED,
    LoginFailed,
    clear_failures_unless_locked,
    refuse_wrong_password,
    still_unlocked,
)
from .models import NO_LOCAL_PASSWORD, SignIn, User, UserRole, UserSession
from .sessions import end_all_sessions, end_session, renew_session, start_session

#: When the directory cannot be asked: says nothing about the account either.
DIRECTORY_UNAVAILABLE = _l(
    "The office directory cannot be reached at the moment, so sign-in with the directory password "
    "is not possible. Please try again in a few minutes or call the IT service desk."
)
DIRECTORY_PASSWORD = _l("This account signs in with the office directory; its password is changed there.")


def normalise_email(email: str) -> str:
    """The address as accounts, failure counts and rate limits know it: NFKC, lower case, and
    without white space or invisible characters (a NUL or zero-width character typed after it
    names the same account, never a second one)."""
    text = unicodedata.normalize("NFKC", email or "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")).lower()


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
        return _authenticate_with_directory(None, email, password, now, user_agent)
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
    if user.signs_in_with_directory:
        if not ldap_directory.configured():
            record_event("auth.login_refused", target=user, summary="directory account, no directory configured")
            raise LoginFailed(LOGIN_FAILED)
        return _authenticate_with_directory(user, email, password, now, user_agent)
    if not passwords.verify_password(user.password_hash, password):
        refuse_wrong_password(user, now, "")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return _open_session(user, now, user_agent, SignIn.LOCAL)


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


def _authenticate_with_directory(user: User | None, email: str, password: str, now, user_agent):
    """The directory's answer for `email`; creates the account at its first login and takes
    name and roles from the directory at every login.

    An account is tied to its entry's identifier: whatever address found the entry, it is that
    entry's one account that signs in (with its failure count, block and second factor)."""
    try:
        answer = ldap_directory.check(normalise_email(email), password)
    except DirectoryUnavailable as exc:
        current_app.logger.warning("directory unavailable: %s", exc)
        record_event("auth.login_failed", target=user, summary="directory unavailable")
        raise LoginFailed(DIRECTORY_UNAVAILABLE) from exc
    if answer.outcome is Outcome.UNKNOWN:
        record_event("auth.login_failed", target=user, summary="unknown account (directory)")
        raise LoginFailed(LOGIN_FAILED)
    user = _account_of_entry(user, answer, now, password)
    if answer.outcome is Outcome.WRONG_PASSWORD:
        if user is None:
            record_event("auth.login_failed", summary="directory: wrong password, no account yet")
            raise LoginFailed(LOGIN_FAILED)
        refuse_wrong_password(user, now, "directory: ")
    roles = ldap_directory.roles_for(answer.groups)
    if answer.outcome is Outcome.DISABLED or not roles:
        reason = answer.outcome.value if answer.outcome is Outcome.DISABLED else "in no group mapped to a role"
        if user is not None:
            # Leaving the office ends access: open sessions end too, not only new logins.
            end_all_sessions(user, "directory")
        record_event("auth.login_refused", target=user, summary=f"directory: {reason}")
        raise LoginFailed(LOGIN_FAILED)
    if user is None:
        user = User(email=normalise_email(email), full_name=answer.full_name[:200], password_hash=NO_LOCAL_PASSWORD,
                    sign_in=SignIn.DIRECTORY.value, directory_dn=answer.dn, directory_uuid=answer.uuid)
        _set_roles(user, roles)
        db.session.add(user)
        db.session.flush()
        record_event("user.create", target=user, summary="from the directory",
                     changes={"email": [None, user.email], "roles": [None, sorted(r.value for r in roles)]})
    else:
        _take_from_directory(user, answer, roles)
    return _open_session(user, now, user_agent, SignIn.DIRECTORY)


def _account_of_entry(user: User | None, answer, now, password: str) -> User | None:
    """The account the directory entry belongs to: the one tied to its identifier, else the
    account of the address (tied to it now). Refuses an address whose account is tied to
    another entry, and applies the block and deactivation of an account found by its entry."""
    if not answer.uuid:
        return user
    tied = db.session.scalar(sa.select(User).where(User.directory_uuid == answer.uuid))
    if user is not None and user.directory_uuid not in (None, answer.uuid):
        record_event("auth.login_refused", target=user, summary="directory: address now names another entry")
        raise LoginFailed(LOGIN_FAILED)
    if tied is None:
        if user is not None:
            user.directory_uuid = answer.uuid
        return user
    if user is None or user.id != tied.id:
        if user is not None:
            record_event("auth.login_refused", target=user, summary="directory: entry tied to another account")
            raise LoginFailed(LOGIN_FAILED)
        if tied.is_locked(now) or not tied.is_active_account or not tied.signs_in_with_directory:
            passwords.burn_verification_time(password)
            record_event("auth.login_refused", target=tied, summary="locked" if tied.is_active_account else "inactive")
            raise LoginFailed(LOGIN_FAILED)
    return tied


def _take_from_directory(user: User, answer, roles) -> None:
    before = sorted(r.value for r in user.roles)
    user.full_name = answer.full_name[:200]
    user.directory_dn = answer.dn
    changes = changes_of(user)
    _set_roles(user, roles)
    after = sorted(r.value for r in roles)
    if before != after:
        changes["roles"] = [before, after]
    if changes:
        record_event("user.update", target=user, summary="from the directory", changes=changes)


def recheck_directory_accounts() -> dict[str, int]:
    """Ask the directory how each directory account with an open session stands now: the
    sessions of one that is disabled, gone or in no mapped group end at once (leaving the
    office ends access, not only the next login); the others take their current name and
    roles. While the directory does not answer, nothing changes."""
    if not ldap_directory.configured():
        return {"checked": 0, "ended": 0}
    still_open = sa.select(UserSession.id).where(UserSession.user_id == User.id, UserSession.ended_at.is_(None))
    users = db.session.scalars(sa.select(User).where(
        User.sign_in == SignIn.DIRECTORY.value, User.directory_dn.is_not(None), sa.exists(still_open))).all()
    if not users:
        return {"checked": 0, "ended": 0}
    try:
        answers = ldap_directory.standing_of([u.directory_dn for u in users])
    except DirectoryUnavailable as exc:
        current_app.logger.warning("directory unavailable, open sessions not rechecked: %s", exc)
        return {"checked": 0, "ended": 0}
    ended = 0
    for user in users:
        answer = answers[user.directory_dn]
        roles = ldap_directory.roles_for(answer.groups) if answer.outcome is Outcome.SIGNED_IN else frozenset()
        if roles:
            _take_from_directory(user, answer, roles)
            continue
        reason = {Outcome.UNKNOWN: "entry gone", Outcome.DISABLED: "directory account disabled"}.get(
            answer.outcome, "in no group mapped to a role")
        end_all_sessions(user, "directory")
        record_event("auth.directory_access_ended", target=user, summary=reason)
        ended += 1
    return {"checked": len(users), "ended": ended}


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


def _check_sign_in(sign_in: str, before: str | None) -> None:
    if sign_in not in {s.value for s in SignIn}:
        raise ValidationFailed(_l("Please choose how the user signs in."), field="sign_in")
    if sign_in == SignIn.DIRECTORY.value and sign_in != before and not ldap_directory.configured():
        raise ValidationFailed(_l("No office directory is configured (LDAP_URL): the account would not "
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
    directory = sign_in == SignIn.DIRECTORY.value
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
    changes = changes_of(user, exclude=("password_hash",))
    if moved:  # after reading the changes: its UPDATE flushes them
        end_all_sessions(user, "sign_in_changed")
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
        _set_roles(user, roles)
        db.session.flush()
        record_event("user.create", target=user, summary="seeded")
    return user
