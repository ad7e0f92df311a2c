"""Benchmark of the honours area on PostgreSQL (issue 4).

Builds its own schema `protokoll_bench_honours`, loads 10,000 nomination cases (a tenth
waiting in an approval step, each with merits and statements) and 2,000 holders, then
reports the median server time and SQL count of the manager's desk, a case page, the quota
dashboard and the case list (Flask test client, no network). The SQL counts at a tenth of
the data are printed beside them; the script fails if they differ.

    .venv/bin/python bench/honours_bench.py [--cases N --holders N --rounds R]

Results are printed as Markdown and written to bench/results-honours.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime, timedelta
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

PASSWORD = "Bench-Passwort-2026"  # noqa: S105 (benchmark schema only)
STATES = ["draft", "submitted", "in_review", "in_approval", "proposed", "approved", "rejected", "awarded",
          "withdrawn", "draft"]




def load(app, cases: int, holders: int) -> str:
    """Bulk-load cases and holders; return the reference of a case waiting in a step."""
    from protocol_app.auth.services import ensure_user
    from protocol_app.extensions import db
    from protocol_app.honours.models import (
        AwardType,
        Holder,
        Merit,
        Nomination,
        Statement,
        StepDecision,
    )
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        author = ensure_user(email="autorin@protokoll.example", full_name="Autorin", roles=["officer"],
                             password=PASSWORD)
        manager = ensure_user(email="leitung@protokoll.example", full_name="Leitung", roles=["manager"],
                              password=PASSWORD)
        other = ensure_user(email="abteilung@protokoll.example", full_name="Abteilung", roles=["manager"],
                            password=PASSWORD)
        order = db.session.scalar(sa.select(AwardType).where(AwardType.name == "Verdienstorden des Landes Berlin"))
        now = datetime.now(UTC)
        db.session.execute(sa.insert(Holder), [
            {"award_type_id": order.id, "number": n + 1, "name": f"Träger {n}", "gender": "fm"[n % 2],
             "awarded_on": date(1990 + n % 35, 10, 1), "died_on": date(2020, 1, 1) if n % 3 == 0 else None,
             "created_at": now, "updated_at": now} for n in range(holders)])
        db.session.execute(sa.insert(Nomination), [
            {"year": 2026, "number": n + 1, "state": STATES[n % len(STATES)], "version": 1,
             "award_type_id": order.id, "award_date": date(2027, 10, 1), "nominee_name": f"Person {n}",
             "gender": "fm"[n % 2], "suggested_by": "Senatsmitglied", "suggester_kind": "person",
             "created_by_id": author.id, "step_position": 1 if STATES[n % len(STATES)] == "in_approval" else None,
             "step_entered_at": now - timedelta(days=n % 40), "birth_date": date(1950, 1, 1),
             "created_at": now, "updated_at": now} for n in range(cases)])
        ids = list(db.session.scalars(sa.select(Nomination.id).where(Nomination.state == "in_approval")))
        db.session.execute(sa.insert(Merit), [
            {"nomination_id": i, "description": f"Verdienst {k}", "date_from": date(2024, 1, 1 + k)}
            for i in ids for k in range(3)])
        db.session.execute(sa.insert(Statement), [
            {"nomination_id": i, "from_whom": f"Stelle {k}", "requested_on": date(2026, 1, 1),
             "received_on": date(2026, 2, 1)} for i in ids for k in range(2)])
        db.session.execute(sa.insert(StepDecision), [
            {"nomination_id": i, "position": 1, "step_name": "Referatsleitung", "outcome": "returned",
             "decided_by_id": other.id, "decided_at": now, "comment": "Bitte prüfen"} for i in ids])
        db.session.commit()
        reference = db.session.get(Nomination, ids[-1]).reference
        assert manager.id
    return reference


def measure(app, reference: str, rounds: int) -> list[tuple[str, float, int]]:
    client = logged_in_client(app, "leitung@protokoll.example", PASSWORD)
    results = []
    for name, path in (("manager's desk", "/honours/desk"), ("case page", f"/honours/{reference}"),
                       ("quota dashboard", "/honours/quotas"), ("case list", "/honours/")):
        assert client.get(path).status_code == 200, path
        results.append((name, *median_ms(lambda p=path: client.get(p), rounds)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--holders", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    figures = {}
    for label, cases, holders in (("small", args.cases // 10, args.holders // 10),
                                  ("full", args.cases, args.holders)):
        schema = f"protokoll_bench_honours_{label}"
        reset_schema(schema)
        app = migrated_app(schema)
        figures[label] = measure(app, load(app, cases, holders), args.rounds)
    report_two_sizes(
        f"Honours benchmark — PostgreSQL, {args.cases:,} cases ({args.cases // 10:,} waiting in a step) and "
        f"{args.holders:,} holders; {os.cpu_count()} cores; median of {args.rounds} rounds. "
        "The same at a tenth of the data beside it.",
        figures["small"], figures["full"], "results-honours.md")


if __name__ == "__main__":
    main()
