"""The start page's card of the partnerships: the round anniversaries of the coming year."""

from __future__ import annotations

from ..core.dashboard import register_card
from . import services
from .permissions import READ


def jubilee_card(user) -> dict:
    """The jubilees from today to a year ahead, so that they are planned in time."""
    return {"jubilees": services.jubilees_ahead()}


register_card("partnership-jubilees", "partnerships/card_jubilees.html", READ, jubilee_card, 40)
