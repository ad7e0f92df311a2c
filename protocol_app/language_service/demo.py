"""Demo profiles of the language service (demo only)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..core.time import BERLIN, today_berlin
from ..extensions import db
from . import offers, services
from .models import TranslatorProfile

#: e-mail → (employment, languages, modes, weekdays, from, until, rates per half day, day, line)
DEMO_PROFILES = {
    "dolmetscher@protokoll.example": ("in_house", {"de": "A", "en": "B", "fr": "C"},
                                      ["simultaneous", "consecutive", "whispered"], range(5), time(8), time(18),
                                      None),
    "dolmetscherin@protokoll.example": ("freelance", {"en": "A", "de": "B"}, ["simultaneous", "consecutive"],
                                        range(5), time(9), time(17), (Decimal("350"), Decimal("650"), None)),
    "uebersetzer@protokoll.example": ("freelance", {"pl": "A", "de": "B"}, ["consecutive", "written"], range(4),
                                      time(8), time(16), (Decimal("300"), Decimal("550"), Decimal("1.60"))),
}


def seed_demo_profiles(users: dict, officer) -> int:
    """Create the demo translators' profiles unless there are profiles already."""
    if db.session.scalar(sa.select(sa.func.count(TranslatorProfile.id))):
        return 0
    for email, (employment, languages, modes, weekdays, starts, ends, rates) in DEMO_PROFILES.items():
        profile = services.create_profile(users[email], actor=officer, employment=employment)
        half_day, day, line = rates or (None, None, None)
        services.update_profile(profile, actor=officer, modes=modes)
        services.set_terms(profile, actor=officer, employment=employment, rate_half_day=half_day, rate_day=day,
                           rate_line=line)
        for code, level in languages.items():
            services.set_language(profile, actor=officer, language=code, level=level)
        for weekday in weekdays:
            services.add_window(profile, actor=officer, weekday=weekday, starts=starts, ends=ends)
    return len(DEMO_PROFILES)


#: Two demo assignments for the in-house interpreter: (title, days ahead, start hour, hours, accepted).
DEMO_ASSIGNMENTS = [
    ("Gespräch mit der Delegation aus Warschau", 8, 10, 1.5, True),
    ("Empfang der Botschafterin von Nigeria", 12, 11, 1, False),
]


def seed_demo_assignments(users: dict, officer) -> int:
    """Offer two assignments to the demo interpreter (one accepted, one waiting for the answer)."""
    interpreter = users["dolmetscher@protokoll.example"]
    profile = db.session.scalar(sa.select(TranslatorProfile).where(TranslatorProfile.user_id == interpreter.id))
    today = today_berlin()
    for title, days, hour, hours, accepted in DEMO_ASSIGNMENTS:
        day = today + timedelta(days=days)
        while day.weekday() >= 5:  # the interpreter works Monday to Friday
            day += timedelta(days=1)
        starts = datetime.combine(day, time(hour), BERLIN)
        assignment = services.create_assignment(actor=officer, values={
            "kind": "interpreting", "title": title, "language": "en", "mode": "consecutive", "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours), "place": "Rotes Rathaus"})
        (offer,) = offers.make_offers(assignment, [profile.id], actor=officer)
        if accepted:
            offers.answer(offer, actor=interpreter, accept=True)
    return len(DEMO_ASSIGNMENTS)
