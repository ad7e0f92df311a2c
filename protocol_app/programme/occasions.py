"""The visits and events other records belong to (a Golden Book entry, a press note): each of those
domains says how to describe one of its records, so that others link to it without reading its
tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa


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
#: Per scope: the ids of its records a user may not read (a SELECT), or None when they may read all.
_UNREADABLE: dict[str, Callable[[object], sa.Select | None]] = {}


def register_occasion(scope: str, describe: Callable[[int], Occasion | None],
                      unreadable: Callable[[object], sa.Select | None]) -> None:
    """Say how a record of `scope` is described and which of them a user may not read (called
    once by the visits and events domains): what belongs to an occasion follows its read rule."""
    _DESCRIBERS[scope] = describe
    _UNREADABLE[scope] = unreadable


def readable_occasion_filter(scope_column, id_column, user):
    """A WHERE clause keeping the rows whose occasion `user` may read (rows of none pass): a book
    entry of a confidential visit is as confidential as the visit."""
    hidden = []
    for scope, unreadable in _UNREADABLE.items():
        ids = unreadable(user)
        if ids is not None:
            # coalesce: a row without an occasion compares false, not NULL (NOT NULL would drop it).
            hidden.append(sa.and_(sa.func.coalesce(scope_column, "") == scope, id_column.in_(ids)))
    return sa.not_(sa.or_(*hidden)) if hidden else sa.true()


def may_read_occasion(scope: str | None, subject_id: int | None, user) -> bool:
    """Whether `user` may read the occasion (True for none)."""
    unreadable = _UNREADABLE.get(scope or "")
    ids = unreadable(user) if unreadable is not None and subject_id is not None else None
    if ids is None:
        return True
    from ..extensions import db

    return not db.session.scalar(sa.select(sa.literal(subject_id).in_(ids)))


def occasion_of(scope: str | None, subject_id: int | None) -> Occasion | None:
    """The occasion, or None when it is unknown or gone."""
    describe = _DESCRIBERS.get(scope or "")
    return describe(subject_id) if describe is not None and subject_id is not None else None
