"""Accounts of the Land's login (OpenID Connect): the account a provider's user is, made at the
first sign-in, its name and roles taken from the ID token at every sign-in, and its sessions
ended when the user signs out at the provider.

An account is tied to the provider's subject ("sub"), never found by its address alone unless
an admin set it to sign in with the provider: a user of the provider whose address matches an
account with its own password here does not take that account over.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..extensions import db
from . import provider
from .lockout import LoginFailed
from .models import SignIn, User, normalise_email
from .outside_accounts import make_account, take_name_and_roles
from .sessions import end_all_sessions

FROM_THE_PROVIDER = "from the Land's login"

#: The provider let the user in, but this app does not: said the same way in every case.
NOT_ADMITTED = _l(
    "Your login is valid, but it does not give access to Protokoll. Please ask the protocol "
    "office's administrator for access."
)


def sign_in(claims, now) -> User:
    """The account the provider's ID token (already checked) stands for; creates it at the first
    sign-in and takes name and roles from the token every time. Refuses an account that is
    blocked or deactivated here, and a user in no group mapped to a role."""
    subject = str(claims["sub"])
    roles = provider.roles_for(claims)
    user = _account_of(subject, claims)
    if user is not None and (not user.is_active_account or user.is_locked(now)):
        record_event("auth.login_refused", target=user, summary="provider: " + (
            "locked" if user.is_active_account else "inactive"))
        raise LoginFailed(NOT_ADMITTED)
    if not roles:
        if user is not None:
            end_all_sessions(user, "provider")
        record_event("auth.login_refused", target=user, summary="provider: in no group mapped to a role")
        raise LoginFailed(NOT_ADMITTED)
    name = (claims.get("name") or claims.get("preferred_username") or claims.get("email") or subject)[:200]
    if user is None:
        return make_account(email=normalise_email(claims.get("email") or f"{subject}@provider.invalid"), name=name,
                            roles=roles, sign_in=SignIn.PROVIDER.value, source=FROM_THE_PROVIDER,
                            provider_subject=subject)
    take_name_and_roles(user, name, roles, source=FROM_THE_PROVIDER)
    return user


def _account_of(subject: str, claims) -> User | None:
    """The account tied to the subject; else the account of the token's verified address that
    an admin set to sign in with the provider (tied to the subject now); else none."""
    tied = db.session.scalar(sa.select(User).where(User.provider_subject == subject))
    if tied is not None:
        return tied
    email = claims.get("email")
    if not email or claims.get("email_verified") is False:
        return None
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        return None
    if not user.signs_in_with_provider or user.provider_subject is not None:
        # An account with its own password (or the directory's), or tied to another subject.
        record_event("auth.login_refused", target=user, summary="provider: address of an account not set to it")
        raise LoginFailed(NOT_ADMITTED)
    user.provider_subject = subject
    return user


def signed_out_at_provider(claims) -> int:
    """The user signed out at the provider (a checked logout token): their open sessions here
    end too. Returns how many ended."""
    user = db.session.scalar(sa.select(User).where(User.provider_subject == str(claims.get("sub") or "")))
    if user is None:
        return 0
    ended = end_all_sessions(user, "provider_logout")
    record_event("auth.provider_logout", target=user, summary=f"{ended} sessions ended")
    return ended
