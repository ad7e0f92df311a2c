"""Demo profiles of the language service (demo only)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import sqlalchemy as sa

from ..extensions import db
from . import services
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
