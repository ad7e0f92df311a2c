"""Domain errors raised by services; views turn them into form errors or flashes.

Messages are lazy-translated strings meant for the user; they never contain
personal data of third parties.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the request; nothing was changed."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor lacks the role or the relationship the rule asks for."""


class ConcurrentChangeError(Exception):
    """Someone else changed the record since it was loaded.

    Deliberately not a DomainError: views that turn domain errors into form messages
    must not swallow it. It reaches the one conflict handler (`core.security`), which
    rolls the whole request back and answers 409 "changed meanwhile".
    """

    def __init__(self, message=None):
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """Input that passed the form is still not acceptable to the rule."""


def is_conflict(exc: BaseException) -> bool:
    """True if `exc` means "another request changed this meanwhile".

    That is an optimistic-lock failure (a stale version) or a unique constraint that a
    concurrent request filled first; any other database error is a fault, not a conflict.
    """
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(exc, ConcurrentChangeError | StaleDataError):
        return True
    if isinstance(exc, IntegrityError):
        orig = exc.orig
        if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
            return True
        return "UNIQUE constraint failed" in str(orig)
    return False
