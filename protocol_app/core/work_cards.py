"""Start-page cards that list work waiting for the user: each item links to where it is done.

A domain registers a card with a function that returns its items for a user; the card shows
them under one heading, or says in one line that nothing is waiting. Confidential records a
card shows are the domain's to log (its function runs where its rules are)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from .dashboard import register_card
from .permissions import Permission

#: Items per card; the card's "all" link leads to the rest.
CARD_LENGTH = 8


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: what it is, where it is done, and when it is due."""

    label: str
    url: str
    #: The date or time it is due (or begins); shown after the label.
    when: date | datetime | None = None
    #: A short second line: the step, the days waiting, what is missing.
    note: str = ""
    #: Past its date or otherwise pressing: shown in the danger colour.
    urgent: bool = False


def register_work_card(name: str, *, title, empty, permission: Permission | None,
                       items: Callable[[object], list[WorkItem]], more: Callable[[], str] | None = None,
                       more_label=None, order: int = 5) -> None:
    """Register a start-page card listing `items(user)` for users with `permission`; `title`
    and `empty` are lazy strings, `more` gives the address of the full list."""

    def context(user) -> dict:
        found = items(user)
        return {"title": title, "empty": empty, "items": found[:CARD_LENGTH], "left": max(0, len(found) - CARD_LENGTH),
                "more": more() if more else None, "more_label": more_label, "name": name}

    register_card(name, "core/card_work.html", permission, context, order)
