"""Accounts of the office directory (LDAP/AD): the sign-in with the directory's password, the
account tied to its entry, and the recheck of open sessions against the directory."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..extensions import db
from . import ldap_directory, passwords
from .ldap_directory import DirectoryUnavailable, Outcome
from .lockout import LOGIN_FAILED, LoginFailed, refuse_wrong_password
from .models import SignIn, User, UserSession, normalise_email
from .outside_accounts import make_account, take_name_and_roles
from .sessions import end_all_sessions

FROM_THE_DIRECTORY = "from the directory"

#: When the directory cannot be asked: says nothing about the account either.
DIRECTORY_UNAVAILABLE = _l(
    "The office directory cannot be reached at the moment, so sign-in with the directory password "
    "is not possible. Please try again in a few minutes or call the IT service desk."
)


def sign_in(user: User | None, email: str, password: str, now) -> User:
    """The account the directory lets sign in as `email` (the caller opens its session); creates
    the account at its first login and takes name and roles from the directory at every login.

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
        return make_account(email=normalise_email(email), name=answer.full_name, roles=roles,
                            sign_in=SignIn.DIRECTORY.value, source=FROM_THE_DIRECTORY, directory_dn=answer.dn,
                            directory_uuid=answer.uuid)
    _take_from_directory(user, answer, roles)
    return user


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
    take_name_and_roles(user, answer.full_name, roles, source=FROM_THE_DIRECTORY, directory_dn=answer.dn)


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
