"""One clock for the whole app, so that tests can travel in time."""

from __future__ import annotations

import calendar
import zoneinfo
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from .errors import ValidationFailed

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


def add_years(day: date, years: int) -> date:
    """`day` so many years on (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """`day` so many months on (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def require_not_after_today(day, *, field: str, message) -> None:
    """Refuse the date of something that has already happened (a birth, a decision) when it lies
    after today in Berlin; `message` says which date, for the field it names."""
    if day is not None and day > today_berlin():
        raise ValidationFailed(message, field=field)


def require_life_dates(born, died, *, born_field: str = "born_on", died_field: str = "died_on") -> None:
    """A person's dates (a grave's, a nominee's): both past, the death not before the birth."""
    require_not_after_today(born, field=born_field, message=_l("The date of birth lies in the future."))
    require_not_after_today(died, field=died_field, message=_l("The date of death lies in the future."))
    if born and died and died < born:
        raise ValidationFailed(_l("The date of death lies before the date of birth."), field=died_field)


def zones_of_country(country_code: str | None) -> list[str]:
    """The IANA time zones of a country (ISO 3166 code), most populous first (tzdata's zone1970.tab)."""
    if not country_code:
        return []
    return _zones_by_country().get(country_code.upper(), [])


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:  # noqa: N802 (a table, read once)
    import importlib.resources

    table = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text()
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        codes, _coordinates, zone, *_ = line.split("\t")
        for code in codes.split(","):
            zones.setdefault(code, []).append(zone)
    return zones


def is_time_zone(name: str | None) -> bool:
    return bool(name) and name in zoneinfo.available_timezones()
