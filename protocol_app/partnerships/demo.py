"""Demo partnership records (demo only; titles and activities illustrative, dates of the
agreements as published by the Senate Chancellery where known): the agreement with the
Brussels-Capital Region of 1 June 1992 with BerlinDays, Beijing's 25 years with a joint opera
production, and agreements whose round anniversaries fall in the coming years."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..directory.models import PartnerCity
from ..extensions import db
from .models import Partnership
from .services import save_activity, save_partnership

#: German city name: (agreement date, title, fields of cooperation, networks, activities)
DEMO_PARTNERSHIPS = {
    "Brüssel": (date(1992, 6, 1), "Vereinbarung über die Zusammenarbeit zwischen dem Land Berlin und der "
                "Region Brüssel-Hauptstadt", "Europapolitik\nKultur\nStadtentwicklung", ["eurocities"],
                [("BerlinDays in Brüssel", "city_days", date(2026, 5, 20), date(2026, 5, 22),
                  "Berlin stellt sich in der Vertretung des Landes bei der EU vor.")]),
    "Peking": (date(1994, 4, 5), "Vereinbarung über die Städtepartnerschaft Berlin–Peking",
               "Kultur\nWissenschaft\nUmwelt", ["metropolis"],
               [("25 Jahre Berlin–Peking: gemeinsame Opernproduktion", "culture", date(2019, 10, 12), None,
                 "Koproduktion der Staatsoper Unter den Linden und der Pekinger Oper.")]),
    "Paris": (date(1987, 7, 2), "Freundschafts- und Kooperationsvertrag Berlin–Paris", "Kultur\nJugend",
              ["eurocities", "ucue"], []),
    "Los Angeles": (date(1967, 5, 10), "Städtepartnerschaft Berlin–Los Angeles", "Wirtschaft\nFilm",
                    ["metropolis", "c40"], []),
}


def seed_demo_partnerships(officer) -> int:
    """Record the demo partnerships unless any partnership was recorded already."""
    if db.session.scalar(sa.select(sa.func.count(Partnership.id))):
        return 0
    cities = {c.name_de: c for c in db.session.scalars(sa.select(PartnerCity))}
    for name, (agreed, title, fields, networks, activities) in DEMO_PARTNERSHIPS.items():
        city = cities[name]
        save_partnership(city, {"agreement_date": agreed, "agreement_title": title, "fields_of_cooperation": fields},
                         networks=networks, actor=officer)
        for activity_title, kind, starts, ends, description in activities:
            save_activity(city, None, {"title": activity_title, "kind": kind, "starts_on": starts, "ends_on": ends,
                                       "description": description}, actor=officer)
    return len(DEMO_PARTNERSHIPS)
