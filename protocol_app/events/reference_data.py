"""The Land's yearly occasions every installation starts with (idempotent)."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from ..core.checklists.models import ChecklistTemplate
from ..core.db import insert_missing
from ..directory.models import Venue
from ..extensions import db
from .models import OccasionTemplate

#: The Land's yearly occasions:
#: (name, kind, month, day, start hh, mm, minutes, venue, usual guest categories, checklist template)
OCCASIONS = [
    ("Gedenken an die Opfer des Nationalsozialismus", "commemoration", 1, 27, 11, 0, 90, None,
     "senate,parliament,diplomatic_corps", "Veranstaltung – Standard"),
    ("Gedenken an den Volksaufstand vom 17. Juni 1953", "wreath_laying", 6, 17, 10, 0, 60, None,
     "senate,parliament", "Kranzniederlegung"),
    ("Flaggentag der Mayors for Peace", "ceremony", 7, 8, 10, 0, 60, None, "senate,press",
     "Veranstaltung – Standard"),
    ("Gedenken an den Bau der Berliner Mauer", "commemoration", 8, 13, 11, 0, 90, None,
     "senate,parliament,diplomatic_corps", "Veranstaltung – Standard"),
    ("Verleihung des Verdienstordens des Landes Berlin", "award_ceremony", 10, 1, 17, 0, 150,
     "Großer Festsaal", "honour_holders,honorary_citizens,senate", "Veranstaltung – Standard"),
    ("Gedenken an den 9. November", "commemoration", 11, 9, 11, 0, 90, None, "senate,parliament",
     "Veranstaltung – Standard"),
]


def occasion_ids() -> dict[str, int]:
    """{name: id} of the recurring occasions, for the areas whose records name one (award types)."""
    return {o.name: o.id for o in db.session.scalars(sa.select(OccasionTemplate))}


def load_occasions() -> int:

    venues = {v.name: v.id for v in db.session.scalars(sa.select(Venue))}
    checklists = {t.name: t.id for t in db.session.scalars(sa.select(ChecklistTemplate))}
    rows = [
        {"name": name, "kind": kind, "month": month, "day": day, "start_time": time(hour, minute),
         "duration_minutes": minutes, "venue_id": venues.get(venue), "guest_categories": categories,
         "checklist_template_id": checklists.get(checklist)}
        for name, kind, month, day, hour, minute, minutes, venue, categories, checklist in OCCASIONS
    ]
    return insert_missing(OccasionTemplate, "name", rows)
