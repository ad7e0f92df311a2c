"""Benchmark of the visits area on PostgreSQL (issue 3).

Builds its own schema `protokoll_bench`, loads 20,000 visits, 200,000 programme
items and 100,000 tasks (`flask seed-bulk`), then reports
  1. median and p95 server time of the visits list, a visit page, the calendar
     month and the dashboard (Flask test client, no network), with SQL counts;
  2. requests per second of the visits list under gunicorn, relative to a bare
     "hello" route of the same app in the same run.

    .venv/bin/python bench/visits_bench.py [--visits N --items N --tasks N --seconds S]

Results are printed as Markdown and written to bench/results-visits.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support import (  # noqa: E402
    ROOT,
    csrf_token,
    gunicorn_serving,
    logged_in_client,
    prepare_bulk,
    schema_url,
)

SCHEMA = "protokoll_bench"
URL = schema_url(SCHEMA)
PASSWORD = "Protokoll-Demo-2026"


def prepare(visits: int, items: int, tasks: int) -> None:
    prepare_bulk(SCHEMA, visits, items, tasks)


def server_times(rounds: int) -> list[tuple[str, float, float, int]]:
    os.environ["DATABASE_URL"] = URL
    from protocol_app import create_app
    from protocol_app.extensions import db
    from protocol_app.visits.models import Visit, VisitProgrammeItem

    app = create_app()
    client = logged_in_client(app, "referent@protokoll.example", PASSWORD)
    with app.app_context():
        visit_id = db.session.scalar(
            sa.select(VisitProgrammeItem.visit_id).group_by(VisitProgrammeItem.visit_id)
            .order_by(sa.func.count().desc()).limit(1))
        visit = db.session.get(Visit, visit_id)
        reference, month = visit.reference, visit.arrival_at.strftime("%Y-%m-%d")
    pages = [
        ("visits list", "/visits/"),
        ("visits list, search + filter", "/visits/?q=gast&kind=delegation&sort=title"),
        ("visit page", f"/visits/{reference}"),
        ("calendar month", f"/calendar/?view=month&date={month}"),
        ("dashboard", "/"),
    ]
    statements = []
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", lambda *a: statements.append(1))
    results = []
    for name, path in pages:
        assert client.get(path).status_code == 200, path  # warm-up
        timings, statements[:] = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(statements) // rounds
        timings.sort()
        results.append((name, statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], queries))
    return results


def _logged_in_opener(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = csrf_token(opener.open(f"{base}/auth/login").read().decode())
    data = urllib.parse.urlencode({"email": "referent@protokoll.example", "password": PASSWORD,
                                   "csrf_token": token}).encode()
    opener.open(f"{base}/auth/login", data=data).read()
    return opener


def throughput(path: str, base: str, seconds: float, clients: int) -> float:
    openers = [_logged_in_opener(base) for _ in range(clients)]
    count = [0] * clients
    deadline = time.monotonic() + seconds

    def run(i):
        while time.monotonic() < deadline:
            with openers[i].open(base + path) as response:
                response.read()
                assert response.status == 200
            count[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(count) / seconds


def gunicorn_throughput(seconds: float) -> tuple[float, float]:
    with gunicorn_serving(URL) as base:
        throughput("/visits/", base, 2, 4)  # warm-up
        listing = throughput("/visits/", base, seconds, 8)
        hello = throughput("/bench/hello", base, seconds, 8)
        return listing, hello


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=20000)
    parser.add_argument("--items", type=int, default=200000)
    parser.add_argument("--tasks", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    prepare(args.visits, args.items, args.tasks)
    times = server_times(args.rounds)
    listing, hello = gunicorn_throughput(args.seconds)
    lines = [
        f"Visits benchmark — PostgreSQL, {args.visits:,} visits, {args.items:,} programme items, "
        f"{args.tasks:,} tasks; {os.cpu_count()} cores.",
        "",
        "| page | median ms | p95 ms | SQL queries |",
        "|---|---:|---:|---:|",
        *[f"| {name} | {median:.1f} | {p95:.1f} | {queries} |" for name, median, p95, queries in times],
        "",
        "| gunicorn, 2 workers × 4 threads, 8 clients | requests/s |",
        "|---|---:|",
        f"| visits list (logged in) | {listing:.0f} |",
        f"| bare hello route | {hello:.0f} |",
        f"| visits list relative to hello | {listing / hello:.0%} |",
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results-visits.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
