"""The visits and events other records belong to (a Golden Book entry, a press note): each of those
domains says how to describe one of its records, so that others link to it without reading its
tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Occasion:
    """A visit or event as a book entry or a press note shows it and is prefilled from it."""

    scope: str
    subject_id: int
    label: str
    day: date
    #: The record's page.
    url: str
    #: Its title without the reference ("Staatsbesuch des Präsidenten …").
    title: str = ""
    signatory: str | None = None
    function: str | None = None
    country_code: str | None = None
    partner_city: bool = False
    #: Over: a visit completed or an event held (a press note tells only what took place).
    took_place: bool = False
    #: Why nothing of it may be told to the public (a confidential visit, an embargo), or None.
    not_public: str | None = None


_DESCRIBERS: dict[str, Callable[[int], Occasion | None]] = {}


def register_occasion(scope: str, describe: Callable[[int], Occasion | None]) -> None:
    """Say how a record of `scope` is described (called once by the visits and events domains)."""
    _DESCRIBERS[scope] = describe


def occasion_of(scope: str | None, subject_id: int | None) -> Occasion | None:
    """The occasion, or None when it is unknown or gone."""
    describe = _DESCRIBERS.get(scope or "")
    return describe(subject_id) if describe is not None and subject_id is not None else None
