"""The pages the office opens every day, under load, on the bulk data (issue 18).

Loads the demo data plus `flask seed-bulk` (20,000 visits, 200,000 programme items, 100,000
tasks) into its own PostgreSQL schema, serves the app with gunicorn (2 workers × 4 threads)
and runs wrk (8 connections) against each page as the demo officer, each page followed by
the app's bare route in the same run, so the share does not depend on the machine's mood.
Then it runs the reminder sweep twice (first: creating; second: nothing to create) and counts
its SQL statements, and times the global search.

    .venv/bin/python bench/daily_bench.py [--seconds S] [--skip-load]

Prints Markdown and writes bench/results-daily.md (docs/benchmarks.md quotes it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support import ROOT, csrf_token, gunicorn_serving, prepare_bulk, schema_url  # noqa: E402

SCHEMA = "protokoll_daily"
URL = schema_url(SCHEMA)
PASSWORD = "Protokoll-Demo-2026"
#: Flask-Login's strong session protection ties the session to the browser: wrk must send
#: the same User-Agent as the login did.
USER_AGENT = "protokoll-bench"
OFFICER = "referent@protokoll.example"
ROUNDS = 6
#: wrk (Debian package `wrk`): the load generator the issue measured with.
WRK = shutil.which("wrk") or "/usr/bin/wrk"
#: (page, path or a callable giving it, goal as share of the bare route's requests/s)
GOALS = {"visits list": 0.25, "dashboard": 0.25, "calendar month": 0.10, "visits search ?q=Delegation": 0.20}


def _session_cookie(base: str) -> str:
    """Log in as the officer and return the session cookie header value."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    token = csrf_token(opener.open(f"{base}/auth/login").read().decode())
    data = urllib.parse.urlencode({"email": OFFICER, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/auth/login", data=data).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _busiest_month() -> str:
    """The month of the bulk data with the most programme items (about 1,800 calendar entries)."""
    engine = sa.create_engine(URL)
    with engine.connect() as conn:
        month = conn.execute(sa.text(
            "SELECT date_trunc('month', starts_at AT TIME ZONE 'Europe/Berlin') AS m, count(*) FROM "
            "visit_programme_items GROUP BY m ORDER BY count(*) DESC LIMIT 1")).first()
    engine.dispose()
    return month[0].strftime("%Y-%m-15")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check_page(url: str, cookie: str) -> None:
    """The page answers 200 to the officer's session (wrk would count a redirect to the login as fine)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200")


def _wrk(url: str, cookie: str, seconds: float) -> tuple[float, float]:
    """Requests per second and p99 latency (ms) of wrk with 8 connections on 2 threads."""
    _check_page(url, cookie)
    out = subprocess.run([WRK, "-t2", "-c8", f"-d{seconds:.0f}s", "--latency", "-H", f"Cookie: {cookie}",
                          "-H", f"User-Agent: {USER_AGENT}", url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered with errors:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rate, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def pages_under_load(seconds: float) -> list[tuple[str, float, float, float, float]]:
    pages = {"visits list": "/visits/", "dashboard": "/",
             "calendar month": f"/calendar/?view=month&date={_busiest_month()}",
             "visits search ?q=Delegation": "/visits/?q=Delegation"}
    with gunicorn_serving(URL) as base:
        cookie = _session_cookie(base)
        rows = []
        for name, path in pages.items():
            _wrk(base + path, cookie, 2)  # warm-up: both workers, their caches
            # Page and bare route in short turns, six times: this machine's speed drifts by half
            # within minutes (a noisy neighbour); turns of two seconds see the same drift.
            runs = [(_wrk(base + path, cookie, seconds / ROUNDS), _wrk(base + "/bench/hello", cookie, seconds / ROUNDS))
                    for _ in range(ROUNDS)]
            rate = statistics.median(page[0] for page, _ in runs)
            p99 = statistics.median(page[1] for page, _ in runs)
            bare = statistics.median(hello[0] for _, hello in runs)
            # The share of each turn (page and bare route seconds apart), then their median: the
            # drift moves both of a turn alike, while the medians of each may come from other turns.
            share = statistics.median(page[0] / hello[0] for page, hello in runs)
            rows.append((name, rate, p99, bare, share))
        return rows


def reminder_sweeps() -> list[tuple[str, float, int, int]]:
    """(which sweep, seconds, SQL statements, reminders created) of two sweeps in a row."""
    os.environ["DATABASE_URL"] = URL
    from protocol_app import create_app
    from protocol_app.core.reminders.models import Reminder
    from protocol_app.core.reminders.services import run_all_rules
    from protocol_app.extensions import db

    app = create_app()
    statements: list = []
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", lambda *a: statements.append(1))
    results = []
    with app.app_context():
        # Both sweeps in one transaction that is rolled back: the bulk data keeps no reminders,
        # notifications or mails, so a second run of the benchmark measures the same.
        db.session.execute(sa.delete(Reminder))
        for which in ("first sweep", "second sweep (nothing to create)"):
            statements.clear()
            started = time.perf_counter()
            counts = run_all_rules()
            db.session.flush()
            elapsed = time.perf_counter() - started
            results.append((which, elapsed, len(statements), sum(c for c in counts.values() if c > 0)))
        db.session.rollback()
    return results


def search_times(rounds: int = 30) -> list[tuple[str, float]]:
    """Median server time of the global search for a few queries, as the officer."""
    os.environ["DATABASE_URL"] = URL
    from protocol_app import create_app
    from protocol_app.auth.models import User
    from protocol_app.core.search import search
    from protocol_app.extensions import db

    app = create_app()
    results = []
    with app.test_request_context():
        officer = db.session.scalar(sa.select(User).where(User.email == OFFICER))
        for query in ("Muller", "Gast Nummer 1234", "Delegation", "V-2024-0007", "Wapensaal"):
            search(officer, query)
            timings = []
            for _ in range(rounds):
                started = time.perf_counter()
                search(officer, query)
                timings.append((time.perf_counter() - started) * 1000)
            results.append((query, statistics.median(timings)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12, help="per page and per bare route, in six turns")
    parser.add_argument("--skip-load", action="store_true", help="keep the schema of the last run")
    args = parser.parse_args()
    if not args.skip_load:
        prepare_bulk(SCHEMA, 20000, 200000, 100000)
    rows = pages_under_load(args.seconds)
    sweeps = reminder_sweeps()
    lines = [
        f"Daily pages — PostgreSQL, bulk data (20,000 visits, 200,000 programme items, 100,000 tasks); "
        f"gunicorn 2 workers × 4 threads, wrk 8 connections, page and bare route in {ROUNDS} turns of "
        f"{args.seconds / ROUNDS:.0f} s each (medians; the share is the median of each turn's page ÷ bare route); {os.cpu_count()} cores.",
        "",
        "| page (as officer) | req/s | p99 ms | bare route req/s | share | goal | met |",
        "|---|---:|---:|---:|---:|---:|:---:|",
        *[f"| {name} | {rate:.0f} | {p99:.0f} | {bare:.0f} | {share:.1%} | ≥ {GOALS[name]:.0%} | "
          f"{'yes' if share >= GOALS[name] else 'no'} |" for name, rate, p99, bare, share in rows],
        "",
        "| reminder sweep | seconds | SQL statements | reminders created |",
        "|---|---:|---:|---:|",
        *[f"| {which} | {seconds:.2f} | {count} | {created} |" for which, seconds, count, created in sweeps],
    ]
    searches = search_times()
    lines += ["", "| global search (as officer, all kinds) | median ms | goal |", "|---|---:|---:|",
              *[f"| “{query}” | {ms:.1f} | < 100 |" for query, ms in searches]]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results-daily.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
