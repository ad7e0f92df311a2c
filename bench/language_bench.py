"""Benchmark of the Sprachendienst on PostgreSQL (issue 5).

Builds its own schemas and loads 300 translators (languages, weekly windows, absences) and
100,000 assignments over two years, each accepted by one translator; then reports the median
time and SQL count of ranking the candidates for a new assignment and of the assignment page,
next to the same at a tenth of the data. Fails if a SQL count differs.

    .venv/bin/python bench/language_bench.py [--translators N --assignments N --rounds R]

Results are printed as Markdown and written to bench/results-language.md.
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
LANGUAGES = ["en", "fr", "pl", "es", "ru", "ja", "zh", "tr", "ar", "it"]
START = datetime(2027, 2, 16, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Berlin




def load(app, translators: int, assignments: int) -> str:
    """Bulk-load the data; return the reference of the assignment to rank candidates for."""
    from protocol_app.auth.models import User, UserRole
    from protocol_app.auth.services import ensure_user
    from protocol_app.core.time import now_utc
    from protocol_app.extensions import db
    from protocol_app.language_service import services
    from protocol_app.language_service.models import (
        Absence,
        Assignment,
        AvailabilityWindow,
        LanguageSkill,
        Offer,
        TranslatorProfile,
    )
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        officer = ensure_user(email="referent@protokoll.example", full_name="Referent", roles=["officer"],
                              password=PASSWORD)
        now = now_utc()
        db.session.execute(sa.insert(User), [
            {"email": f"t{n}@bench.example", "full_name": f"Übersetzer {n:03d}", "password_hash": "x",
             "locale": "de", "is_active_account": True, "must_change_password": False, "failed_logins": 0,
             "created_at": now, "updated_at": now} for n in range(translators)])
        user_ids = list(db.session.scalars(sa.select(User.id).where(User.email.like("%@bench.example"))
                                           .order_by(User.id)))
        db.session.execute(sa.insert(UserRole), [{"user_id": uid, "role": "translator"} for uid in user_ids])
        db.session.execute(sa.insert(TranslatorProfile), [
            {"user_id": uid, "employment": "freelance" if n % 3 else "in_house",
             "modes": "simultaneous,consecutive,whispered", "is_active": True, "created_at": now, "updated_at": now}
            for n, uid in enumerate(user_ids)])
        profile_ids = list(db.session.scalars(sa.select(TranslatorProfile.id).order_by(TranslatorProfile.id)))
        db.session.execute(sa.insert(LanguageSkill), [
            {"profile_id": pid, "language": LANGUAGES[(n + k) % len(LANGUAGES)], "level": "ABC"[k]}
            for n, pid in enumerate(profile_ids) for k in range(3)])
        db.session.execute(sa.insert(AvailabilityWindow), [
            {"profile_id": pid, "weekday": day, "starts": datetime(2000, 1, 1, 8).time(),
             "ends": datetime(2000, 1, 1, 18).time()} for pid in profile_ids for day in range(5)])
        db.session.execute(sa.insert(Absence), [
            {"profile_id": pid, "starts_on": date(2027, 2, 10 + n % 10), "ends_on": date(2027, 2, 12 + n % 10),
             "kind": "holiday"} for n, pid in enumerate(profile_ids) if n % 7 == 0])
        base = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        db.session.execute(sa.insert(Assignment), [
            {"year": 2026 + n // 50000, "number": n % 50000 + 1, "kind": "interpreting",
             "title": f"Einsatz {n}", "language": LANGUAGES[n % len(LANGUAGES)], "mode": "consecutive",
             "starts_at": base + timedelta(hours=(n * 7) % (2 * 365 * 24)),
             "ends_at": base + timedelta(hours=(n * 7) % (2 * 365 * 24), minutes=90), "needed": 1,
             "proposed_team": 1, "officer_id": officer.id, "is_cancelled": False, "created_at": now,
             "updated_at": now} for n in range(assignments)])
        assignment_ids = list(db.session.scalars(sa.select(Assignment.id).order_by(Assignment.id)))
        db.session.execute(sa.insert(Offer), [
            {"assignment_id": aid, "profile_id": profile_ids[n % len(profile_ids)], "state": "accepted",
             "version": 1, "created_at": now, "updated_at": now} for n, aid in enumerate(assignment_ids)])
        db.session.commit()
        target = services.create_assignment(actor=officer, values={
            "kind": "interpreting", "title": "Staatsbesuch: Tischrede", "language": "en",
            "mode": "consecutive", "starts_at": START + timedelta(days=365), "ends_at": START + timedelta(days=365,
                                                                                                       hours=2)})
        db.session.commit()
        return target.reference


def measure(app, reference: str, rounds: int) -> list[tuple[str, float, int]]:
    from protocol_app.extensions import db
    from protocol_app.language_service import candidates
    from protocol_app.language_service.models import Assignment

    results = []
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment).where(Assignment.title == "Staatsbesuch: Tischrede"))

        def rank():
            db.session.expire_all()
            candidates.rank(assignment)

        results.append(("ranking candidates (service)", *median_ms(rank, rounds)))
    client = logged_in_client(app, "referent@protokoll.example", PASSWORD)
    path = f"/translations/{reference}"
    assert client.get(path).status_code == 200
    results.append(("assignment page with candidates", *median_ms(lambda: client.get(path), rounds)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translators", type=int, default=300)
    parser.add_argument("--assignments", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    figures = {}
    for label, translators, assignments in (("small", args.translators // 10, args.assignments // 10),
                                            ("full", args.translators, args.assignments)):
        schema = f"protokoll_bench_language_{label}"
        reset_schema(schema)
        app = migrated_app(schema)
        figures[label] = measure(app, load(app, translators, assignments), args.rounds)
    report_two_sizes(
        f"Sprachendienst benchmark — PostgreSQL, {args.translators} translators and {args.assignments:,} "
        f"assignments (each accepted by one translator); {os.cpu_count()} cores; median of {args.rounds} rounds. "
        "The same at a tenth of the data beside it.",
        figures["small"], figures["full"], "results-language.md")


if __name__ == "__main__":
    main()
