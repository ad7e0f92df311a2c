"""Demo book entries of past signings (demo only; made-up signatories). The demo visits' items
flagged "Golden Book" plan the coming ones through the visits' own services."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..core.time import today_berlin
from ..extensions import db
from .models import BookEntry
from .services import save_entry

#: days ago, signatory, function, country, occasion, volume, page
DEMO_ENTRIES = (
    (40, "Amélie Laurent", "Bürgermeisterin von Paris", "FR", "Jubiläum der Städtepartnerschaft", "XII", 48),
    (95, "Jan Nowak", "Präsident der Republik Polen", "PL", "Staatsbesuch", "XII", 47),
    (20, "Dr. Petra Lindqvist", "Ministerialdirektorin, Außenministerium Schwedens", "SE", "Arbeitsbesuch", "7", 112),
)


def seed_demo_book_entries(officer) -> int:
    """Record the demo entries unless there are entries already."""
    if db.session.scalar(sa.select(sa.func.count(BookEntry.id))):
        return 0
    today = today_berlin()
    for days, signatory, function, country, occasion, volume, page in DEMO_ENTRIES:
        save_entry(None, {"signed_on": today - timedelta(days=days), "signatory": signatory, "function": function,
                          "country_code": country, "occasion": occasion, "book": "", "volume": volume, "page": page},
                   actor=officer)
    return len(DEMO_ENTRIES)
