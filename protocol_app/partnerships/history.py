"""A partnership's history from the other domains: visits, events, gifts and book entries. Each
of those domains registers a source that lists its own records of a partner city for a reader
(with its own read rules); the partnership never reads their tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class HistoryLine:
    day: date
    #: What it is, in words ("Besuch", "Veranstaltung", "Gastgeschenk", "Goldenes Buch").
    kind: str
    title: str
    url: str | None = None
    detail: str = ""
    #: For the page's filter: "visit", "event", "gift", "book", "activity".
    group: str = ""


_SOURCES: list[Callable[[int, object], list[HistoryLine]]] = []


def register_history_source(source: Callable[[int, object], list[HistoryLine]]) -> None:
    """Add a source: `source(partner_city_id, reader)` returns the lines the reader may see."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def lines_from_sources(partner_city_id: int, reader) -> list[HistoryLine]:
    lines: list[HistoryLine] = []
    for source in _SOURCES:
        lines.extend(source(partner_city_id, reader))
    return lines
