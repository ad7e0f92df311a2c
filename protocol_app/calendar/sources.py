"""The registry of calendar sources: each domain contributes the entries a
user may see in a time window; pages and feeds only ever ask through here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    #: Stable across edits, unique across the installation (iCalendar UID).
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    #: Increases with every change of the entry (iCalendar SEQUENCE).
    sequence: int
    css_class: str = ""
    link: str | None = None
    location: str | None = None
    description: str | None = None
    all_day: bool = False
    #: iCalendar STATUS: CONFIRMED, or TENTATIVE while it is only requested or offered.
    status: str = "CONFIRMED"


Source = Callable[[object, datetime, datetime], list[CalendarEntry]]
_SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Register a function (user, start, end) -> entries overlapping [start, end)."""
    _SOURCES[name] = source


def entries_for(user, start: datetime, end: datetime) -> list[CalendarEntry]:
    """All entries `user` may see in [start, end), sorted by start."""
    entries = []
    for source in _SOURCES.values():
        entries.extend(source(user, start, end))
    return sorted(entries, key=lambda e: (e.starts_at, not e.all_day, e.title))
