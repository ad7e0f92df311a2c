"""The registry of calendar sources: each domain contributes the entries a
user may see in a time window; pages and feeds only ever ask through here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core.audit import record_read
from ..core.permissions import Permission

#: Who has a calendar: readers of visits, translators (their assignments), the emigrant programme.
READERS = (Permission.VISIT_READ, Permission.ASSIGNMENT_ANSWER_OWN, Permission.EMIGRANTS_ACCESS)


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
    #: (scope, reference) of the confidential record the entry shows (a confidential visit, an
    #: emigrant's stay): showing it is a read, logged by reference.
    confidential: tuple[str, str] | None = None


Source = Callable[[object, datetime, datetime], list[CalendarEntry]]
#: (user, start, end, per_day) -> (entries, {Berlin day: entries left out that day})
Summary = Callable[[object, datetime, datetime, int], tuple[list[CalendarEntry], Counter]]
_SOURCES: dict[str, Source] = {}
_SUMMARIES: dict[str, Summary] = {}


def register_source(name: str, source: Source, summary: Summary | None = None) -> None:
    """Register a function (user, start, end) -> entries overlapping [start, end).

    A source that can hold thousands of entries a month also gives a `summary`: the same
    entries, but of the items that begin and end on one day only the first `per_day` of each
    day, and how many it left out (the month view shows "+ n more")."""
    _SOURCES[name] = source
    if summary is not None:
        _SUMMARIES[name] = summary


def summary_for(user, start: datetime, end: datetime, per_day: int) -> tuple[list[CalendarEntry], Counter]:
    """What a month view needs: entries (busy days cut to their first `per_day` by the sources
    that can) and the number left out per day."""
    entries, left_out = [], Counter()
    for name, source in _SOURCES.items():
        summary = _SUMMARIES.get(name)
        if summary is None:
            entries.extend(source(user, start, end))
        else:
            found, hidden = summary(user, start, end, per_day)
            entries.extend(found)
            left_out.update(hidden)
    log_confidential_shown(user, entries, how="calendar_read")
    return _sorted(entries), left_out


def log_confidential_shown(user, entries, *, how: str) -> None:
    """Log which confidential records the entries showed `user` (one entry per scope, references only)."""
    shown: dict[str, set[str]] = {}
    for entry in entries:
        if entry.confidential is not None:
            shown.setdefault(entry.confidential[0], set()).add(entry.confidential[1])
    for scope, references in shown.items():
        record_read(user, scope=scope, references=references, how=how)


def _sorted(entries: list[CalendarEntry]) -> list[CalendarEntry]:
    return sorted(entries, key=lambda e: (e.starts_at, not e.all_day, e.title))


def entries_for(user, start: datetime, end: datetime, *, how: str = "calendar_read") -> list[CalendarEntry]:
    """All entries `user` may see in [start, end), sorted by start (the confidential ones shown
    are logged as read `how`)."""
    entries = []
    for source in _SOURCES.values():
        entries.extend(source(user, start, end))
    log_confidential_shown(user, entries, how=how)
    return _sorted(entries)
