"""Benchmark of the events area on PostgreSQL (issue 7).

A reception for the whole diplomatic corps: builds its own schema `protokoll_bench_events`
and, at two sizes (a small and a full guest list), reports the median time and SQL count of
  1. the guest list in order of precedence (service and the whole event page),
  2. the seating proposal (tables of 10, a tenth of the guests with a companion),
  3. the check-in search at the door (service and page),
  4. checking an import file of the same size.
The SQL counts must not grow with the list; the script fails if they do.

    .venv/bin/python bench/events_bench.py [--guests N --rounds R]

Results are printed as Markdown and written to bench/results-events.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support import (  # noqa: E402
    logged_in_client,
    median_ms,
    migrated_app,
    report_two_sizes,
    reset_schema,
)

SCHEMA = "protokoll_bench_events"
PASSWORD = "Bench-Passwort-2026"  # noqa: S105 (benchmark schema only)


def _build_event(app, guests: int, number: int) -> str:
    """An accepted guest list of `guests` ambassadors and tables of ten for all of them."""
    from protocol_app.auth.services import ensure_user
    from protocol_app.directory.models import Contact
    from protocol_app.events import guests as guest_service
    from protocol_app.events import seating, services
    from protocol_app.events.models import Guest
    from protocol_app.extensions import db
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        officer = ensure_user(email="referent@protokoll.example", full_name="Rainer Referent", roles=["officer"],
                              password=PASSWORD)
        category = "diplomatic_corps" if number == 1 else "partner_cities"
        db.session.execute(sa.insert(Contact), [
            {"name": f"Gast {number}-{i:05d} Müller" if i % 50 == 0 else f"Gast {number}-{i:05d}",
             "function": "Botschafter/in", "organisation": f"Botschaft {i % 180}", "category": category,
             "rank": 100 + (i % 7), "in_office_since": date(2015, 1, 1) + timedelta(days=i % 3000),
             "language": "de", "email": f"gast{number}-{i}@example.org"}
            for i in range(guests)])
        event = services.create_event(actor=officer, values={
            "title": f"Empfang für das Diplomatische Korps {number}", "kind": "reception",
            "starts_at": datetime(2027, 3, number, 18, 0).astimezone(), "ends_at":
            datetime(2027, 3, number, 22, 0).astimezone(), "capacity": None, "dress_code": "business",
            "press": "closed", "responsible_officer_id": officer.id})
        guest_service.add_category(event, category, companions=1, actor=officer)
        db.session.execute(sa.update(Guest).where(Guest.event_id == event.id).values(status="accepted"))
        db.session.execute(sa.update(Guest).where(Guest.event_id == event.id, Guest.id % 10 == 0)
                           .values(companion_name="Begleitung"))
        seating.set_tables(event, count=-(-guests * 11 // 100), seats=10, actor=officer)
        db.session.commit()
        return event.reference


def _import_file(guests: int) -> bytes:
    rows = ["Name;Anrede;Funktion;Organisation;Kategorie;Rang;Im Amt seit;E-Mail;Sprache;Begleitpersonen"]
    rows += [f"Import {i:05d};Botschafter;Botschafter;Botschaft {i};Diplomatisches Korps;{100 + i % 7};"
             f"01.0{1 + i % 9}.2020;import{i}@example.org;de;1" for i in range(guests)]
    return ("\n".join(rows) + "\n").encode()


def run_size(app, guests: int, number: int, rounds: int) -> list[tuple[str, float, int]]:
    from protocol_app.auth.models import User
    from protocol_app.events import checkin, guest_import, seating
    from protocol_app.events import guests as guest_service
    from protocol_app.events.models import Event
    from protocol_app.extensions import db

    reference = _build_event(app, guests, number)
    client = logged_in_client(app, "referent@protokoll.example", PASSWORD)
    results = []
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.year == 2027, Event.number == number))
        actor = db.session.scalar(sa.select(User))

        def propose():
            seating.propose(event, actor=actor)
            db.session.rollback()

        def import_check():
            guest_import.check(event, "liste.csv", data)

        data = _import_file(guests)
        results += [
            ("guest list by precedence (service)", *median_ms(lambda: guest_service.guest_list(event), rounds)),
            ("seating proposal (service)", *median_ms(propose, rounds)),
            ("check-in search (service)", *median_ms(lambda: checkin.search(event, "müller"), rounds)),
            ("import check of a file this size", *median_ms(import_check, max(3, rounds // 4))),
        ]
    for name, path in (("event page (guest list: first page of 25)", f"/events/{reference}"),
                       ("check-in page, search", f"/events/{reference}/checkin?q=m%C3%BCller")):
        assert client.get(path).status_code == 200, path
        results.append((name, *median_ms(lambda p=path: client.get(p), rounds)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    reset_schema(SCHEMA)
    app = migrated_app(SCHEMA)
    small = run_size(app, args.small, 1, args.rounds)
    large = run_size(app, args.guests, 2, args.rounds)
    report_two_sizes(
        f"Events benchmark — PostgreSQL, guest lists of {args.small:,} and {args.guests:,} accepted guests "
        f"({-(-args.small * 11 // 100)} and {-(-args.guests * 11 // 100)} tables of 10; every tenth guest with "
        f"a companion); {os.cpu_count()} cores; median of {args.rounds} rounds.",
        small, large, "results-events.md", labels=(f"{args.small:,} guests", f"{args.guests:,} guests"))


if __name__ == "__main__":
    main()
