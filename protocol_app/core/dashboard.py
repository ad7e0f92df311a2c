"""The start page: each domain registers cards for the permissions they concern."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..extensions import db
from .permissions import Permission, user_has


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    permission: Permission | None
    context: Callable[[object], dict]
    order: int = 100


_CARDS: dict[str, Card] = {}


def register_card(name, template, permission, context, order: int = 100) -> None:
    """Register a dashboard card shown to users with `permission` (None: everyone)."""
    _CARDS[name] = Card(name, template, permission, context, order)


def cards_for(user) -> list[tuple[Card, dict]]:
    """Return the cards `user` sees, each with its rendered context."""
    visible = [
        c for c in _CARDS.values() if c.permission is None or user_has(user, c.permission)
    ]
    # The cards log the confidential records they show; those rows are written at the end of the
    # request, not flushed by the next card's query: on SQLite a flush takes the write lock, and
    # the page would hold it while it reads every other card (sign-ins meanwhile wait for it).
    with db.session.no_autoflush:
        return [(c, c.context(user)) for c in sorted(visible, key=lambda c: c.order)]
