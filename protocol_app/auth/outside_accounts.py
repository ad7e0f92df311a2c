"""Accounts whose person is kept elsewhere — the office directory, the Land's login: made at the
first sign-in with the roles their groups give, and taking name and roles from there at every
sign-in, each change in the audit log with where it came from."""

from __future__ import annotations

from ..core.audit import changes_of, record_event
from ..extensions import db
from .models import NO_LOCAL_PASSWORD, User


def make_account(*, email: str, name: str, roles, sign_in: str, source: str, **ties) -> User:
    """A new account without a password here; `ties` keep what identifies its person there."""
    user = User(email=email, full_name=name[:200], password_hash=NO_LOCAL_PASSWORD, sign_in=sign_in, **ties)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    record_event("user.create", target=user, summary=source,
                 changes={"email": [None, user.email], "roles": [None, sorted(r.value for r in roles)]})
    return user


def take_name_and_roles(user: User, name: str, roles, *, source: str, **also) -> None:
    """The account's name and roles as they are there now (and `also` further fields)."""
    before = sorted(r.value for r in user.roles)
    user.full_name = name[:200]
    for field, value in also.items():
        setattr(user, field, value)
    changes = changes_of(user)
    user.set_roles(roles)
    after = sorted(r.value for r in roles)
    if before != after:
        changes["roles"] = [before, after]
    if changes:
        record_event("user.update", target=user, summary=source, changes=changes)
