"""Helpers of the Sprachendienst tests: translators with profiles and an interpreting assignment."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.extensions import db
from protocol_app.language_service import services
from tests.support import ensure_reference_data, make_user

#: A Tuesday in the future, 10:00–13:00 Berlin time (09:00–12:00 UTC in winter).
DAY = date(2027, 2, 16)
START = datetime(2027, 2, 16, 9, 0, tzinfo=UTC)

#: name → (languages with class, modes, weekday windows)
TRANSLATORS = {
    "Anna Englisch": ({"en": "B"}, ["simultaneous", "consecutive"], [(1, time(8), time(18))]),
    "Bruno Bilingual": ({"en": "A", "fr": "B"}, ["simultaneous", "consecutive", "whispered"], [(1, time(8), time(18))]),
    "Clara Passiv": ({"en": "C"}, ["simultaneous"], [(1, time(8), time(18))]),
    "Dora Französisch": ({"fr": "A"}, ["consecutive"], [(1, time(8), time(18))]),
    "Emil Abends": ({"en": "B"}, ["simultaneous"], [(1, time(16), time(22))]),
}


def user_by_name(name: str) -> User:
    return db.session.scalar(sa.select(User).where(User.full_name == name))


def setup_translators(app) -> None:
    ensure_reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    for name in TRANSLATORS:
        make_user(app, f"{name.split()[0].lower()}@example.org", roles=["translator"], name=name)
    with app.app_context():
        officer = user_by_name("Rainer Referent")
        for name, (languages, modes, windows) in TRANSLATORS.items():
            profile = services.create_profile(user_by_name(name), actor=officer)
            services.update_profile(profile, actor=officer, modes=modes)
            for code, level in languages.items():
                services.set_language(profile, actor=officer, language=code, level=level)
            for weekday, starts, ends in windows:
                services.add_window(profile, actor=officer, weekday=weekday, starts=starts, ends=ends)
        db.session.commit()


def interpreting(**overrides) -> dict:
    values = {"kind": "interpreting", "title": "Mittagessen mit der Delegation", "language": "en",
              "mode": "simultaneous", "starts_at": START, "ends_at": START + timedelta(hours=3)}
    values.update(overrides)
    return values
