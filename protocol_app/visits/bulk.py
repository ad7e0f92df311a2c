"""Bulk data for benchmarks: many years of visits, programme items and tasks,
inserted in large batches (never in production)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..core.checklists.models import Task
from ..core.references import ReferenceCounter
from ..core.time import BERLIN, now_utc
from ..directory.models import Venue
from ..extensions import db
from .models import REFERENCE_PREFIX, Visit, VisitKind, VisitProgrammeItem
from .workflow import VisitState

BATCH = 5000
STATES = ["completed"] * 6 + ["cancelled", "declined", "requested", "planning", "confirmed"]
COUNTRIES = ["FR", "PL", "JP", "US", "GB", "CZ", "AR", "UA", "IT", "ES", "CN", "IN", "BR", "NA", "TR"]


def _flush(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(sa.insert(table), rows)
        rows.clear()


def seed_bulk(*, visits: int, items: int, tasks: int, officer_ids: list[int], seed: int = 2026) -> dict:
    """Insert `visits` visits spread over the last years with `items` programme items and `tasks` tasks."""
    rng = random.Random(seed)
    venues = list(db.session.scalars(sa.select(Venue.id)))
    now = now_utc()
    start_year = now.year - 9
    # Continue the numbering of years that have visits already.
    per_year: dict[int, int] = dict(db.session.execute(
        sa.select(ReferenceCounter.year, ReferenceCounter.last_value)
        .where(ReferenceCounter.scope == REFERENCE_PREFIX)).all())
    first_id = (db.session.scalar(sa.select(sa.func.max(Visit.id))) or 0) + 1
    kinds = [k.value for k in VisitKind]
    visit_rows, arrivals = [], []
    for n in range(visits):
        arrival = datetime(start_year, 1, 1, 9, tzinfo=BERLIN) + timedelta(
            days=rng.randrange(365 * 10 + 30), hours=rng.randrange(8))
        year = arrival.year
        per_year[year] = per_year.get(year, 0) + 1
        length = rng.randrange(1, 4)
        state = "requested" if arrival > now + timedelta(days=60) else rng.choice(STATES)
        if arrival > now and state == VisitState.COMPLETED:
            state = "confirmed"
        visit_rows.append({
            "year": year, "number": per_year[year],
            "title": f"Besuch {n}", "kind": rng.choice(kinds), "guest_name": f"Gast Nummer {n}",
            "country_code": rng.choice(COUNTRIES), "arrival_at": arrival,
            "departure_at": arrival + timedelta(days=length - 1, hours=8), "travel_timezone": "Europe/Berlin",
            "responsible_officer_id": rng.choice(officer_ids), "is_confidential": rng.random() < 0.05,
            "state": state, "version": 1, "created_at": now, "updated_at": now,
        })
        arrivals.append(arrival)
        if len(visit_rows) >= BATCH:
            _flush(Visit.__table__, visit_rows)
    _flush(Visit.__table__, visit_rows)
    ids = list(db.session.scalars(sa.select(Visit.id).where(Visit.id >= first_id).order_by(Visit.id)))
    item_rows = []
    for k in range(items):
        index = k % len(ids)
        starts = arrivals[index] + timedelta(minutes=45 * (k // len(ids)))
        item_rows.append({
            "visit_id": ids[index], "title": f"Programmpunkt {k}", "starts_at": starts,
            "ends_at": starts + timedelta(minutes=40), "venue_id": rng.choice(venues) if venues else None,
            "dress_code": "none", "press": "none", "golden_book": False, "gift_exchange": False,
            "interpreter_needed": False, "version": 1, "created_at": now, "updated_at": now,
        })
        if len(item_rows) >= BATCH:
            _flush(VisitProgrammeItem.__table__, item_rows)
    _flush(VisitProgrammeItem.__table__, item_rows)
    task_rows = []
    for k in range(tasks):
        index = k % len(ids)
        task_rows.append({
            "scope": "visit", "subject_id": ids[index], "title": f"Aufgabe {k}",
            "due_on": (arrivals[index] - timedelta(days=rng.randrange(1, 15))).date(),
            "owner_id": rng.choice(officer_ids),
            "done_at": now if arrivals[index] < now and rng.random() < 0.9 else None,
            "version": 1, "created_at": now, "updated_at": now,
        })
        if len(task_rows) >= BATCH:
            _flush(Task.__table__, task_rows)
    _flush(Task.__table__, task_rows)
    for year, last in per_year.items():
        counter = db.session.get(ReferenceCounter, (REFERENCE_PREFIX, year))
        if counter is None:
            db.session.add(ReferenceCounter(scope=REFERENCE_PREFIX, year=year, last_value=last))
        else:
            counter.last_value = last
    db.session.flush()
    return {"visits": visits, "items": items, "tasks": tasks}
