"""Locale and time-zone selection, and German-first date formats."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date as format_date_in_locale
from babel.dates import format_datetime as format_datetime_in_locale
from flask import current_app, has_request_context, session
from flask_babel import format_currency as babel_format_currency
from flask_babel import format_decimal as babel_format_decimal
from flask_babel import format_time, get_locale
from flask_login import current_user

from .time import BERLIN

#: Fixed patterns: German offices expect "22.11.2026, 14:30", not Babel's "22.11.26".
DATETIME_PATTERNS = {"de": "dd.MM.yyyy, HH:mm", "en": "d MMM yyyy, HH:mm"}
DATE_PATTERNS = {"de": "dd.MM.yyyy", "en": "d MMM yyyy"}
#: Where a person reads one date (a record's header, the day of an assignment), it is written out.
DATE_IN_WORDS_PATTERNS = {"de": "EEEE, d. MMMM yyyy", "en": "EEEE, d MMMM yyyy"}
DATETIME_IN_WORDS_PATTERNS = {"de": "EEEE, d. MMMM yyyy, HH:mm 'Uhr'", "en": "EEEE, d MMMM yyyy, HH:mm"}


def select_locale() -> str:
    """The user's saved language; before login the one chosen on the login page; else German."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    is_user = current_user and getattr(current_user, "is_authenticated", False)
    if is_user and current_user.locale in languages:
        return current_user.locale
    locale = session.get("locale")
    if locale in languages:
        return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "Europe/Berlin"


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else "de"


def _pattern(patterns: dict[str, str], default: str):
    """The pattern of the reader's language and their locale, for Babel itself: Flask-Babel's
    wrapper looks up zone and locale per call and converts through pytz, five times the cost,
    paid on every date of a list."""
    locale = get_locale()
    return patterns.get(locale.language if locale else "de", default), locale or "de"


def _in_berlin(value: datetime, patterns: dict[str, str], default: str) -> str:
    pattern, locale = _pattern(patterns, default)
    return format_datetime_in_locale(value, pattern, tzinfo=BERLIN, locale=locale)


def _day(value: date, patterns: dict[str, str], default: str) -> str:
    pattern, locale = _pattern(patterns, default)
    return format_date_in_locale(value, pattern, locale=locale)


def format_dt(value: datetime | None) -> str:
    """Format an aware datetime in Europe/Berlin in the current language."""
    if value is None:
        return ""
    return _in_berlin(value, DATETIME_PATTERNS, "medium")


def format_d(value: date | None) -> str:
    """Format a date in the current language."""
    if value is None:
        return ""
    return _day(value, DATE_PATTERNS, "medium")


def format_long_d(value: date | None) -> str:
    """A date in words, as letters and certificates write it ("1. Oktober 2027", "1 October 2027");
    a moment in time gives its day in Berlin."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    # British order in English: the letters go abroad from a European administration.
    return format_date_in_locale(value, "long", locale="en_GB" if _language() == "en" else _language())


def format_date_in_words(value: date | None) -> str:
    """A date with its weekday in words ("Dienstag, 4. Mai 2027"), for a page that names one day."""
    if value is None:
        return ""
    return _day(value, DATE_IN_WORDS_PATTERNS, "full")


def format_datetime_in_words(value: datetime | None) -> str:
    """A moment in Berlin with its weekday in words ("Dienstag, 4. Mai 2027, 10:00 Uhr")."""
    if value is None:
        return ""
    return _in_berlin(value, DATETIME_IN_WORDS_PATTERNS, "full")


def format_date_as(value: date | datetime, pattern: str) -> str:
    """A date (a moment: its day in Berlin) in a Babel pattern of the reader's language
    ("EEE d." → "Mo. 5."); the month view asks for 42 of them."""
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    return format_date_in_locale(value, pattern, locale=get_locale() or "de")


def format_clock(value: datetime | None) -> str:
    """The time of day in Berlin, 24 hours in either language ("09:30")."""
    return "" if value is None else value.astimezone(BERLIN).strftime("%H:%M")


def format_number(value) -> str:
    """A number as the reader's language writes it ("1,5" in German, "1.5" in English)."""
    if value is None:
        return ""
    return babel_format_decimal(value, "#,##0.##########")


def format_local_dt(value: datetime | None, zone: str) -> str:
    """An aware datetime in the local time of a place, with its zone ("03.05.2027, 06:10 IDT")."""
    if value is None:
        return ""
    pattern = DATETIME_PATTERNS.get(_language(), "medium") + " z"
    return format_datetime_in_locale(value, pattern, tzinfo=ZoneInfo(zone), locale=_language())


def format_money(value) -> str:
    """An amount in euros as the reader's language writes it ("2.380,00 €")."""
    if value is None:
        return ""
    return babel_format_currency(value, "EUR")


def init_app(app) -> None:
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["local_datetime"] = format_local_dt
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["datetime"] = format_dt
    app.jinja_env.filters["date"] = format_d
    app.jinja_env.filters["long_date"] = format_long_d
    app.jinja_env.filters["date_in_words"] = format_date_in_words
    app.jinja_env.filters["datetime_in_words"] = format_datetime_in_words
    app.jinja_env.globals["get_locale"] = get_locale
    from .languages import language_name

    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["format_date"] = format_date_as
    app.jinja_env.globals["format_time"] = format_time
    app.jinja_env.globals["timedelta"] = timedelta
    app.jinja_env.filters["time"] = format_clock
    from . import typography

    typography.init_app(app)
