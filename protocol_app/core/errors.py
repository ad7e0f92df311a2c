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


class ConcurrentChangeError(DomainError):
    """Someone else changed the record since it was loaded."""


class ValidationFailed(DomainError):
    """Input that passed the form is still not acceptable to the rule."""
