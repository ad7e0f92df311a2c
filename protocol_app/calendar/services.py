"""Feed tokens, the calendar grid and the iCalendar rendering."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from ..core.audit import record_event
from ..core.db import transactional
from ..core.link_tokens import hash_token, new_token
from ..core.time import BERLIN, now_utc
from ..extensions import db
from .models import CalendarFeedToken
from .sources import CalendarEntry, entries_for, summary_for

#: How far the feed reaches into the past and the future.
FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=400)


@transactional
def issue_feed_token(user, *, actor) -> str:
    """Revoke the user's current feed URL and return a new secret token."""
    revoke_feed_tokens(user, actor=actor, audit=False)
    token, token_hash = new_token(32)
    db.session.add(CalendarFeedToken(user_id=user.id, token_hash=token_hash))
    db.session.flush()
    record_event("calendar.feed_issue", actor=actor, target=user)
    return token


@transactional
def revoke_feed_tokens(user, *, actor, audit: bool = True) -> int:
    """Make every feed URL of `user` stop working."""
    count = db.session.execute(
        sa.update(CalendarFeedToken)
        .where(CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None))
        .values(revoked_at=now_utc())
        .execution_options(synchronize_session=False)
    ).rowcount
    if audit and count:
        record_event("calendar.feed_revoke", actor=actor, target=user)
    return count


def has_active_feed(user) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(CalendarFeedToken.id)).where(
            CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None)
        )
    ) > 0


def user_for_token(token: str):
    """The active user behind a feed token, or None."""
    row = db.session.scalar(
        sa.select(CalendarFeedToken).where(
            CalendarFeedToken.token_hash == hash_token(token), CalendarFeedToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.is_active_account:
        return None
    row.last_used_at = now_utc()
    return row.user


def window(view: str, anchor: date) -> tuple[date, date]:
    """First and last day shown by a month, week or agenda view around `anchor`."""
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if view == "agenda":
        return anchor, anchor + timedelta(days=30)
    first_of_month = anchor.replace(day=1)
    first = first_of_month - timedelta(days=first_of_month.weekday())
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    last = next_month - timedelta(days=1)
    last += timedelta(days=6 - last.weekday())
    return first, last


def berlin_range(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, tzinfo=BERLIN),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=BERLIN))


def days_with_entries(user, first: date, last: date, per_day: int | None = None) -> list[tuple[date, list]]:
    """Each day from first to last with the entries touching it.

    With `per_day` (the month view) busy days may come cut short: each day is then
    (day, entries, how many more the day has)."""
    start, end = berlin_range(first, last)
    by_day: dict[date, list] = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    if per_day is None:
        entries = entries_for(user, start, end)
    else:
        entries, left_out = summary_for(user, start, end, per_day)
    # One pass over the entries, each placed on every day it touches (ends are exclusive).
    for entry in entries:
        day = max(entry.starts_at.astimezone(BERLIN).date(), first)
        final = min((entry.ends_at - timedelta(microseconds=1)).astimezone(BERLIN).date(), last)
        while day <= final:
            by_day[day].append(entry)
            day += timedelta(days=1)
    if per_day is None:
        return list(by_day.items())
    return [(day, shown[:per_day], len(shown) - len(shown[:per_day]) + left_out.get(day, 0))
            for day, shown in by_day.items()]


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Protokoll//Senatskanzlei Berlin//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    cal.add_component(berlin_vtimezone())
    return cal


def _vevent(entry: CalendarEntry, *, base_url: str, now: datetime, url: str | None = None) -> Event:
    host = urlsplit(base_url).hostname or "protokoll"
    event = Event()
    # Unique across installations: the entry's id at this installation's host.
    event.add("uid", f"{entry.uid.split('@')[0]}@{host}")
    event.add("summary", entry.title)
    event.add("sequence", entry.sequence)
    event.add("status", entry.status)
    event.add("dtstamp", now.astimezone(UTC))
    if entry.all_day:
        first = entry.starts_at.astimezone(BERLIN).date()
        last = entry.ends_at.astimezone(BERLIN).date()
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))
    else:
        event.add("dtstart", entry.starts_at.astimezone(BERLIN))
        event.add("dtend", entry.ends_at.astimezone(BERLIN))
    if entry.location:
        event.add("location", entry.location)
    if url or entry.link:
        event.add("url", url or base_url + entry.link)
    if entry.description:
        event.add("description", entry.description)
    return event


#: The week's time grid: 07:00 to 22:00 in quarter hours (60 rows); earlier or later parts are clipped
#: to its edges, so an entry at 06:30 still shows (from 07:00) with its real time written on it.
GRID_FIRST_HOUR, GRID_LAST_HOUR, SLOTS_PER_HOUR = 7, 22, 4
GRID_SLOTS = (GRID_LAST_HOUR - GRID_FIRST_HOUR) * SLOTS_PER_HOUR


def grid_rows(entry: CalendarEntry, day: date) -> tuple[int, int]:
    """(first row, number of rows) of a timed entry on `day` in the week's time grid (rows from 1)."""
    day_start = datetime.combine(day, time(GRID_FIRST_HOUR), BERLIN)
    day_end = datetime.combine(day, time.min, BERLIN) + timedelta(hours=GRID_LAST_HOUR)
    start = min(max(entry.starts_at, day_start), day_end - timedelta(minutes=15))
    end = max(min(entry.ends_at, day_end), start + timedelta(minutes=15))
    slot = timedelta(minutes=60 // SLOTS_PER_HOUR)
    first = int((start - day_start) // slot) + 1
    span = max(1, -(-(end - start) // slot))  # ceiling: a 20-minute item takes two rows
    return first, min(span, GRID_SLOTS - first + 1)


def render_feed(user, *, base_url: str) -> bytes:
    """The user's iCalendar feed: Europe/Berlin times with VTIMEZONE, stable UIDs."""
    now = now_utc()
    cal = _calendar("Protokoll")
    # How often calendar programs fetch the feed again (RFC 7986; the X- form for Outlook).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for entry in entries_for(user, now - FEED_PAST, now + FEED_FUTURE, how="feed_read"):
        cal.add_component(_vevent(entry, base_url=base_url, now=now))
    return cal.to_ical()


def invitation_ics(entry: CalendarEntry, *, base_url: str, url: str | None = None) -> str:
    """One entry as the file an invitation mail carries (METHOD:PUBLISH: a date to add, no
    calendar reply); the same UID and SEQUENCE as in the feeds, so a moved event updates it."""
    cal = _calendar(entry.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_vevent(entry, base_url=base_url, now=now_utc(), url=url))
    return cal.to_ical().decode("utf-8")


def berlin_vtimezone() -> Timezone:
    """Europe/Berlin as calendar programs read it right in every year: the yearly rules
    (last Sunday of March and of October), not a list of dates that ends in 2038 and that
    vobject and ical.js read an hour off in summer."""
    zone = Timezone()
    zone.add("tzid", "Europe/Berlin")
    for kind, name, start, month, before, after in (
            (TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2, 0), 3, timedelta(hours=1), timedelta(hours=2)),
            (TimezoneStandard, "CET", datetime(1970, 10, 25, 3, 0), 10, timedelta(hours=2), timedelta(hours=1))):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone
