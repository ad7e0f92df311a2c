"""The notices of the city partnerships in the office's words (`core.notifications.notices`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

JUBILEE = notice_kind(
    "partnerships.jubilee", _l("Partnerships: a jubilee to plan"),
    de=("Partnerschaftsjubiläum: {years} Jahre {city}",
        "{years} Jahre Partnerschaft mit {city} am {date}: Bitte planen Sie das Jubiläum."),
    en=("Partnership jubilee: {years} years {city}",
        "{years} years of the partnership with {city} on {date}: please plan the jubilee."),
    described={"years": _l("how many years"), "city": _l("the partner city"), "date": _l("the day of the jubilee")},
    examples={"de": {"years": "35", "city": "Paris"}, "en": {"years": "35", "city": "Paris"}})
