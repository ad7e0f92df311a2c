"""User accounts, their roles and their server-side login sessions."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import TimestampMixin, UTCDateTime, enum_check
from ..core.enums import LabelledEnum
from ..core.permissions import Position, Role, permissions_of
from ..core.sealing import sealed_column
from ..core.time import now_utc
from ..extensions import db


class SignIn(LabelledEnum):
    """How an account proves who it is: the office directory (staff) or a password kept here
    (freelance interpreters, who have no directory account). An admin decides per user."""

    LOCAL = "local", _l("Password of this application")
    DIRECTORY = "directory", _l("Office directory (LDAP)")
    PROVIDER = "provider", _l("Login of the Land (OpenID Connect)")


#: The password hash of an account that signs in with the directory: no password verifies.
NO_LOCAL_PASSWORD = "!directory"  # noqa: S105 (no argon2 hash: matches no password)


def normalise_email(email: str) -> str:
    """The address as accounts, failure counts and rate limits know it: NFKC, lower case, and
    without white space or invisible characters (a NUL or zero-width character typed after it
    names the same account, never a second one)."""
    text = unicodedata.normalize("NFKC", email or "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")).lower()


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case; login compares lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    is_active_account: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False)
    must_change_password: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
    locale: Mapped[str] = mapped_column(sa.String(5), default="de", nullable=False)
    failed_logins: Mapped[int] = mapped_column(sa.Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The post the user holds, if any (decides the approval steps made for it).
    position: Mapped[str | None] = mapped_column(sa.String(30))
    sign_in: Mapped[str] = mapped_column(sa.String(20), default=SignIn.LOCAL.value, nullable=False)
    #: The entry's distinguished name at the last directory login.
    directory_dn: Mapped[str | None] = mapped_column(sa.String(500))
    #: The entry's stable identifier (entryUUID / objectGUID): one account per entry.
    directory_uuid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: The login provider's subject ("sub"): the account the provider's user is, whatever their
    #: address says.
    provider_subject: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    #: The TOTP secret, sealed (core.sealing); None until enrolled.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(500))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The 30-second step of the last code accepted: a code seen once is never taken again.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (sa.CheckConstraint("locale IN ('de', 'en')", name="locale_valid"),
                      enum_check("position", Position), enum_check("sign_in", SignIn))

    @property
    def signs_in_with_directory(self) -> bool:
        return self.sign_in == SignIn.DIRECTORY.value

    @property
    def signs_in_with_provider(self) -> bool:
        return self.sign_in == SignIn.PROVIDER.value

    @property
    def sign_in_label(self):
        return SignIn(self.sign_in).label

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enrolled_at is not None

    @property
    def position_label(self):
        return Position(self.position).label if self.position else ""

    # Flask-Login interface -------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    # Roles ----------------------------------------------------------------------------
    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    @property
    def permissions(self):
        return permissions_of(self.roles)

    def set_roles(self, roles) -> None:
        """Hold exactly `roles` (rows added and removed, the others kept)."""
        wanted = {Role(r).value for r in roles}
        current = {r.role for r in self.role_rows}
        for row in list(self.role_rows):
            if row.role not in wanted:
                self.role_rows.remove(row)
        for role in sorted(wanted - current):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def is_locked(self, at: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (at or now_utc())

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")

    __table_args__ = (enum_check("role", Role),)


class UserSession(db.Model):
    """A login of one user in one browser.

    The cookie holds only this row's random id; logging out, changing the password
    or deactivating the account ends the row, so a copied cookie stops working.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the session ended: logout, password_change, deactivated, idle, expired, reset.
    end_reason: Mapped[str | None] = mapped_column(sa.String(30))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    #: How the password step was passed: local or directory.
    method: Mapped[str] = mapped_column(sa.String(20), default=SignIn.LOCAL.value, nullable=False)
    #: When this session last gave a second factor (None: not yet).
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One of the one-time codes that stand in for the authenticator app (kept hashed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# `flask keys rotate` re-seals the TOTP secrets with the newest key.
sealed_column(User.__table__.c.totp_secret)


class AccessScope(LabelledEnum):
    """What a personal access token may do through the API: read only, or also write."""

    READ = "read", _l("Read")
    WRITE = "write", _l("Read and write")


class AccessToken(db.Model):
    """A personal access token of the JSON API: acts for its user with the user's roles of the
    moment, within its scope, until it expires or is revoked. Only its SHA-256 is kept (the
    token is 256 random bits: a slow hash would add nothing), so a copy of the database opens
    nothing; `hint` is its last characters, for telling tokens apart on the page."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    scope: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    hint: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (enum_check("scope", AccessScope),)

    @property
    def scope_label(self):
        return AccessScope(self.scope).label

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
