"""What the benchmarks share: their own PostgreSQL schema and a logged-in test client."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def schema_url(schema: str) -> str:
    """The database URL whose connections work in `schema` only."""
    return f"{BASE}?options=-csearch_path%3D{schema}%2Cpublic"


def reset_schema(schema: str) -> None:
    """Drop and recreate a benchmark's schema (never the tests' or the app's)."""
    engine = sa.create_engine(BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def logged_in_client(app, email: str, password: str):
    """A Flask test client logged in as `email`."""
    client = app.test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})
    return client


def median_ms(run, rounds: int) -> tuple[float, int]:
    """Median wall time of `run()` in ms and the SQL statements per call (after one warm-up)."""
    import statistics
    import time

    run()
    statements: list = []

    def count(*_args):
        statements.append(1)

    timings = []
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    return statistics.median(timings), len(statements) // rounds


def report_two_sizes(title: str, small: list, full: list, results_file: str, *, labels=("a tenth", "full")) -> None:
    """Print and save a Markdown table of (name, ms, SQL) at two data sizes; exit 1 if a SQL count grew."""
    lines = [title, "", f"| operation | ms ({labels[0]}) | SQL ({labels[0]}) | ms ({labels[1]}) | SQL ({labels[1]}) |",
             "|---|---:|---:|---:|---:|",
             *[f"| {name} | {ms_small:.1f} | {q_small} | {ms_full:.1f} | {q_full} |"
               for (name, ms_small, q_small), (_, ms_full, q_full) in zip(small, full, strict=True)]]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / results_file).write_text(text + "\n")
    grown = [name for (name, _, q_small), (_, _, q_full) in zip(small, full, strict=True) if q_full != q_small]
    if grown:
        sys.exit(f"SQL count grows with the data: {', '.join(grown)}")


def migrated_app(schema: str):
    """The app on its own schema, migrated to the newest revision."""
    os.environ.setdefault("PROTOKOLL_ENV", "development")
    from flask_migrate import upgrade

    from protocol_app import create_app

    app = create_app(SQLALCHEMY_DATABASE_URI=schema_url(schema))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def prepare_bulk(schema: str, visits: int, items: int, tasks: int) -> None:
    """A fresh schema with the demo data and `flask seed-bulk` (visits, programme items, tasks),
    analysed — not vacuumed: right after a large import, as an office's first hour with it."""
    import subprocess
    import time

    reset_schema(schema)
    url = schema_url(schema)
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi", PROTOKOLL_ENV="development")
    flask = [str(ROOT / ".venv/bin/flask")]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([*flask, "seed-bulk", "--visits", str(visits), "--items", str(items), "--tasks", str(tasks)],
                   env=env, cwd=ROOT, check=True)
    print(f"bulk load: {time.perf_counter() - started:.0f} s")
    # ANALYZE only, as `flask seed-bulk` leaves it: no VACUUM. The search's GIN indexes are
    # written at once (migration 0038: fastupdate off), so no pending list makes the planner scan
    # every visit for a ?q= search until autovacuum comes by; the bench measures that first hour.
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


@contextlib.contextmanager
def gunicorn_serving(database_url: str):
    """The benchmark app (bench/wsgi_bench.py, with its bare route) under gunicorn as the README
    recommends (2 workers × 4 threads, keep-alive 30 s), on a free port; yields its base URL once /healthz answers. Every client logs in
    from 127.0.0.1, so the login throttle is lifted for this run only."""
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench-secret-key-0123456789-abcdefghij",
               PROTOKOLL_ENV="development", LOGIN_RATE_LIMIT_IP="1000 per minute",
               LOGIN_RATE_LIMIT_ACCOUNT="1000 per minute")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--threads", "4", "--keep-alive", "30",
         "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "bench.wsgi_bench:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz").read()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
