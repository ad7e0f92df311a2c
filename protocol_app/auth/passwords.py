"""Password hashing with argon2id and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["PASSWORD_HASH_TIME_COST"],
        memory_cost=cfg["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=cfg["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password` with the configured parameters."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check `password` against `password_hash` without raising."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the hash was made with weaker parameters than configured now."""
    return _hasher().check_needs_rehash(password_hash)


_DUMMY_HASH: dict[tuple, str] = {}


def burn_verification_time(password: str) -> None:
    """Spend the time of one verification, so an unknown e-mail is not faster."""
    cfg = current_app.config
    key = (cfg["PASSWORD_HASH_TIME_COST"], cfg["PASSWORD_HASH_MEMORY_KIB"])
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password("not-a-real-password-0")
    verify_password(_DUMMY_HASH[key], password)


COMMON_PASSWORDS = frozenset(
    {
        "passwort1234",
        "password1234",
        "123456789012",
        "qwertzuiop12",
        "protokoll123",
        "berlinberlin",
    }
)


def password_problems(password: str, *, email: str = "") -> list:
    """Return what is wrong with a new password (empty if it is acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("The password must have at least %(n)s characters.", n=minimum))
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 5:
        problems.append(_l("This password is too easy to guess."))
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 3 and local_part in password.lower():
        problems.append(_l("The password must not contain your e-mail address."))
    return problems
