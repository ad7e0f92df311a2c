"""Demo book entries (demo only; made-up signatories): a few past signings recorded by hand, and
the past signings that the demo visits' flagged items planned, recorded as signed — the coming
ones stay planned with their calligrapher's task."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..core import workflow
from ..core.time import today_berlin
from ..extensions import db
from .models import BookEntry
from .services import save_entry
from .workflow import EntryState

#: days ago, signatory, function, country, occasion, volume, page
DEMO_ENTRIES = (
    (40, "Amélie Laurent", "Bürgermeisterin von Paris", "FR", "Jubiläum der Städtepartnerschaft", "XII", 48),
    (95, "Jan Nowak", "Präsident der Republik Polen", "PL", "Staatsbesuch", "XII", 47),
    (20, "Dr. Petra Lindqvist", "Ministerialdirektorin, Außenministerium Schwedens", "SE", "Arbeitsbesuch", "7", 112),
)


def seed_demo_book_entries(officer) -> int:
    """Record the demo entries unless entries were recorded by hand already."""
    if db.session.scalar(sa.select(sa.func.count(BookEntry.id)).where(BookEntry.programme_item_id.is_(None))):
        return 0
    today = today_berlin()
    for days, signatory, function, country, occasion, volume, page in DEMO_ENTRIES:
        save_entry(None, {"signed_on": today - timedelta(days=days), "signatory": signatory, "function": function,
                          "country_code": country, "occasion": occasion, "book": "", "volume": volume, "page": page},
                   actor=officer)
    past = db.session.scalars(sa.select(BookEntry).where(BookEntry.state == EntryState.PLANNED.value,
                                                         BookEntry.signed_on < today).order_by(BookEntry.signed_on))
    for page, entry in enumerate(past, start=30):
        entry.volume, entry.page = ("XII", page) if entry.book == "golden" else ("7", page + 60)
        workflow.apply(entry, "sign", actor=officer)
    return len(DEMO_ENTRIES)
