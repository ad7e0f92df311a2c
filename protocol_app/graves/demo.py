"""Demo honorary graves (demo only; real names of honorary graves, terms made up so that the
renewal list has work in it)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..core.time import add_months, add_years, today_berlin
from ..extensions import db
from .models import HonoraryGrave

#: name, born, died, honoured for, cemetery, location, district, months until the term ends (None: no limit)
DEMO_GRAVES = (
    ("Hildegard Knef", date(1925, 12, 28), date(2002, 2, 1), "Schauspielerin, Sängerin und Autorin",
     "Waldfriedhof Zehlendorf", "Abt. 22", "Steglitz-Zehlendorf", 7),
    ("Theodor Fontane", date(1819, 12, 30), date(1898, 9, 20), "Schriftsteller",
     "Friedhof II der Französisch-Reformierten Gemeinde", "Abt. A", "Mitte", 14),
    ("Käthe Kollwitz", date(1867, 7, 8), date(1945, 4, 22), "Grafikerin und Bildhauerin",
     "Zentralfriedhof Friedrichsfelde", "Gräberanlage Pergolenweg", "Lichtenberg", 40),
    ("Willy Brandt", date(1913, 12, 18), date(1992, 10, 8), "Regierender Bürgermeister, Bundeskanzler",
     "Waldfriedhof Zehlendorf", "Abt. 20-15", "Steglitz-Zehlendorf", None),
)


def seed_demo_graves() -> int:
    """Create the demo graves unless there are graves already."""
    if db.session.scalar(sa.select(sa.func.count(HonoraryGrave.id))):
        return 0
    today = today_berlin()
    for name, born, died, honoured_for, cemetery, location, district, months in DEMO_GRAVES:
        ends = add_months(today, months) if months is not None else None
        db.session.add(HonoraryGrave(
            name=name, born_on=born, died_on=died, honoured_for=honoured_for, cemetery=cemetery, location=location,
            district=district, honorary_citizen=months is None,
            recognised_since=add_years(ends, -20) if ends else date(1993, 1, 1), term_ends_on=ends))
    db.session.flush()
    return len(DEMO_GRAVES)
