"""Benchmark of the emigrant programme on PostgreSQL (issue 6).

Imports 40,000 historical participants (birth years 1915–1944, names from a mix of German,
Polish, Russian and Hebrew transliterations) and 2,000 applications, then reports the median
time and SQL count of the duplicate check for a new application, next to the same at a tenth
of the data. Fails if a SQL count differs.

    .venv/bin/python bench/emigrants_bench.py [--participants N --rounds R]

Results are printed as Markdown and written to bench/results-emigrants.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support import median_ms, migrated_app, report_two_sizes, reset_schema  # noqa: E402

PASSWORD = "Bench-Passwort-2026"  # noqa: S105 (benchmark schema only)
FIRST = ["Ruth", "Rut", "Hans", "Chaim", "Miriam", "Mirjam", "Josef", "Iosif", "Lea", "Leah", "Kurt", "Ester"]
LAST = ["Schwarz", "Shvarts", "Weiss", "Vais", "Rosenberg", "Rozenberg", "Cohen", "Kohn", "Lewin", "Levin",
        "Goldstein", "Goldshtein", "Katz", "Kac"]




def load(app, participants: int, applications: int) -> int:
    from protocol_app.auth.services import ensure_user
    from protocol_app.core.time import now_utc
    from protocol_app.emigrants import services
    from protocol_app.emigrants.matching import name_key
    from protocol_app.emigrants.models import Application, HistoricalParticipant
    from protocol_app.extensions import db
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        team = ensure_user(email="team@protokoll.example", full_name="Team", roles=["emigration"], password=PASSWORD)
        def participant(i):
            return f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]}"

        # Bulk inserts bypass the models, so the phonetic keys are written here as the import does.
        db.session.execute(sa.insert(HistoricalParticipant), [
            {"name": participant(i), "name_key": name_key(participant(i)), "birth_year": 1915 + i % 30,
             "birth_date": date(1915 + i % 30, 1 + i % 12, 1 + i % 28) if i % 3 else None,
             "visit_year": 1969 + i % 40, "country_code": "IL"} for i in range(participants)])
        now = now_utc()
        db.session.execute(sa.insert(Application), [
            {"year": 2025, "number": i + 1, "state": "received", "version": 1, "category": "emigrant",
             "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}", "name_key": name_key(LAST[i % len(LAST)]),
             "birth_date": date(1925 + i % 15, 3, 1 + i % 28),
             "address": "Adresse", "country_code": "IL", "language": "en", "declaration_signed": True,
             "health_flag": False, "hardship_flag": False, "created_at": now, "updated_at": now}
            for i in range(applications)])
        db.session.commit()
        application = services.create_application(actor=team, values={
            "category": "emigrant", "name": "Ruth Schwartz", "birth_name": "Ruth Weiß", "birth_date": date(1931, 4, 2),
            "address": "Haifa", "country_code": "IL", "language": "en", "declaration_signed": True})
        db.session.commit()
        return application.id


def measure(app, application_id: int, rounds: int) -> list[tuple[str, float, int]]:
    from protocol_app.emigrants import duplicates
    from protocol_app.emigrants.models import Application
    from protocol_app.extensions import db

    with app.app_context():
        application = db.session.get(Application, application_id)

        def check():
            db.session.expire_all()
            duplicates.possible_duplicates(application)

        return [("duplicate check for a new application", *median_ms(check, rounds))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    figures = {}
    for label, participants in (("small", args.participants // 10), ("full", args.participants)):
        schema = f"protokoll_bench_emigrants_{label}"
        reset_schema(schema)
        app = migrated_app(schema)
        figures[label] = measure(app, load(app, participants, participants // 20), args.rounds)
    report_two_sizes(
        f"Emigrant programme benchmark — PostgreSQL, {args.participants:,} historical participants and "
        f"{args.participants // 20:,} applications; {os.cpu_count()} cores; median of {args.rounds} rounds. "
        "The same at a tenth of the data beside it.",
        figures["small"], figures["full"], "results-emigrants.md")


if __name__ == "__main__":
    main()
