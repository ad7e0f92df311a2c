"""One clock for the whole app, so that tests can travel in time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

#: The years any page, form or import of the app accepts (the registers reach back to 1900).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def now_utc() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Return `value` as aware UTC; naive values (SQLite) are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def today_berlin():
    """Today's date in Berlin: the office's day (deadlines, "overdue", "takes place")."""
    return now_utc().astimezone(BERLIN).date()
