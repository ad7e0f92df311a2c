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


@dataclass(frozen=True)
class _Source:
    describe: Callable[[int], Occasion | None]
    #: The ids of the scope's confidential records (a SELECT): a confidential visit, an event under embargo.
    confidential_ids: Callable[[], sa.Select]
    #: Whether a user may read the confidential ones.
    may_read_confidential: Callable[[object], bool]


_SOURCES: dict[str, _Source] = {}


def register_occasion(scope: str, describe: Callable[[int], Occasion | None], *,
                      confidential_ids: Callable[[], sa.Select],
                      may_read_confidential: Callable[[object], bool]) -> None:
    """Say how a record of `scope` is described, which of them are confidential and who may read
    those (called once by the visits and events domains): what belongs to an occasion follows its
    read rule, and showing it is a read to log."""
    _SOURCES[scope] = _Source(describe, confidential_ids, may_read_confidential)


def occasion_of(scope: str | None, subject_id: int | None) -> Occasion | None:
    """The occasion, or None when it is unknown or gone."""
    source = _SOURCES.get(scope or "")
    return source.describe(subject_id) if source is not None and subject_id is not None else None


def confidential_occasion_filter(scope_column, id_column, *, user=None):
    """A WHERE clause: the rows whose occasion is confidential (for `user`: one they may not read)."""
    clauses = []
    for scope, source in _SOURCES.items():
        if user is not None and source.may_read_confidential(user):
            continue
        # coalesce: a row without an occasion compares false, not NULL (NOT NULL would drop it).
        clauses.append(sa.and_(sa.func.coalesce(scope_column, "") == scope, id_column.in_(source.confidential_ids())))
    return sa.or_(*clauses) if clauses else sa.false()


def readable_occasion_filter(scope_column, id_column, user):
    """A WHERE clause keeping the rows whose occasion `user` may read (rows of none pass): a book
    entry of a confidential visit is as confidential as the visit."""
    return sa.not_(confidential_occasion_filter(scope_column, id_column, user=user))


def is_confidential_occasion(scope: str | None, subject_id: int | None) -> bool:
    """Whether the occasion is confidential (False for none)."""
    source = _SOURCES.get(scope or "")
    if source is None or subject_id is None:
        return False
    from ..extensions import db

    return bool(db.session.scalar(sa.select(sa.literal(subject_id).in_(source.confidential_ids()))))


def may_read_occasion(scope: str | None, subject_id: int | None, user) -> bool:
    """Whether `user` may read the occasion (True for none)."""
    source = _SOURCES.get(scope or "")
    if source is None or source.may_read_confidential(user):
        return True
    return not is_confidential_occasion(scope, subject_id)
