"""Demo data of the emigrant programme (demo only): a few historical participants, the year's
budget and three applications — one just received, one on the waiting list, one invited with
its week planned. All persons are invented."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from ..core.time import BERLIN, today_berlin
from ..extensions import db
from . import planning, programme, services
from .models import Application, HistoricalParticipant
from .workflow import ApplicationState

#: name, birth year, year of the visit, country
PARTICIPANTS = [
    ("Hermann Adler", 1921, 1972, "US"), ("Lotte Baum", 1924, 1980, "IL"), ("Kurt Engel", 1919, 1975, "GB"),
    ("Gertrud Falk", 1926, 1985, "AR"), ("Walter Glück", 1923, 1990, "AU"), ("Ilse Hirsch", 1928, 1995, "CA"),
    ("Fritz Kahn", 1922, 1978, "BR"), ("Edith Lustig", 1927, 2001, "ZA"), ("Max Nathan", 1925, 1988, "SE"),
    ("Hilde Oppenheim", 1929, 2005, "US"), ("Paul Rosen", 1920, 1970, "IL"), ("Erna Stern", 1930, 2008, "FR"),
]

#: name, birth date, country, language, state, companion, flags (health, hardship)
APPLICATIONS = [
    ("Eva Lindner", date(1933, 6, 14), "GB", "en", "received", "Sarah Lindner", (False, False)),
    ("Tomasz Nowak", date(1927, 2, 3), "PL", "pl", "waiting", "Anna Nowak", (True, False)),
    ("Ruth Goldmann", date(1931, 11, 9), "IL", "de", "invited", "Noa Goldmann", (False, True)),
]
#: The process steps that bring a new application to a demo state.
STEPS_TO = {"received": (), "waiting": ("check", "wait"), "invited": ("check", "wait", "invite")}
SALUTATIONS = {"Eva Lindner": "female", "Tomasz Nowak": "male", "Ruth Goldmann": "female"}
ADDRESSES = {"GB": "14 Belsize Park Gardens\nLondon NW3 4LH", "PL": "ul. Długa 7 m. 3\n00-238 Warszawa",
             "IL": "Rehov Herzl 12\nHaifa 3303712"}


def seed_demo_emigrants(team_member, admin) -> int:
    """Create the demo cases unless the programme has applications already."""
    if db.session.scalar(sa.select(sa.func.count(Application.id))):
        return 0
    for name, born, visited, country in PARTICIPANTS:
        db.session.add(HistoricalParticipant(name=name, birth_year=born, visit_year=visited, country_code=country))
    today = today_berlin()
    for year in (today.year, today.year + 1):
        planning.set_budget(year, Decimal("250000"), actor=admin)
    for name, born, country, language, state, companion, (ill, hardship) in APPLICATIONS:
        application = services.create_application(actor=team_member, values={
            "category": "forced_labourer" if country == "PL" else "emigrant", "name": name, "birth_date": born,
            "salutation_form": SALUTATIONS[name],
            "address": ADDRESSES[country], "country_code": country, "language": language,
            "declaration_signed": True, "companion_name": companion, "companion_relation": "Tochter",
            "berlin_born_or_resident": True, "berlin_evidence": "Meldekarte (Landesarchiv)",
            "persecuted_or_forced_labour": True, "persecution_evidence": "Entschädigungsakte",
            "not_visited_before": True, "visit_evidence": "Erklärung", "health_flag": ill, "hardship_flag": hardship})
        for action in STEPS_TO[state]:  # through the process, as the team would have taken them
            services.move(application, action, actor=team_member)
        if state == ApplicationState.INVITED:
            _plan_week(application, team_member, today + timedelta(days=45))
    db.session.flush()
    return len(APPLICATIONS)


def _plan_week(application: Application, actor, arrival: date) -> None:
    planning.save_plan(application, actor=actor, arrives_on=arrival, hotel="Hotel am Gendarmenmarkt",
                       room_type="Doppelzimmer", hotel_cost=Decimal("1260.00"), volunteer="Frau Ehrenamt",
                       volunteer_email="ehrenamt@protokoll.example")

    def at(day: int, hour: int) -> datetime:
        return datetime.combine(arrival + timedelta(days=day), datetime.min.time(), BERLIN).replace(hour=hour)

    programme.save_item(application, actor=actor, kind="reception", starts_at=at(1, 11), ends_at=at(1, 12),
                        location="Rotes Rathaus")
    programme.save_item(application, actor=actor, kind="former_home", starts_at=at(2, 10), ends_at=at(2, 12))
    programme.save_item(application, actor=actor, kind="free", starts_at=at(3, 9), ends_at=at(3, 18))
