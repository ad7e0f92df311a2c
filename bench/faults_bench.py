"""Request latency with Redis up and with Redis down (issue 12: down ≤ 1.1 × up).

Three requests that touch Redis: an officer's POST that queues and publishes a mail
(sending an invitation), the login POST (rate limiter) and a guest's reply page (rate
limiter). Each is timed in-process, median of ROUNDS, first with a private
redis-server running and then after it was stopped — the first request after the stop
included in the maximum. Figures go to bench/results-faults.md.

Run: .venv/bin/python bench/faults_bench.py   (needs PostgreSQL and redis-server)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

import redis
import sqlalchemy as sa
from support import ROOT, migrated_app, reset_schema

SCHEMA = "bench_faults"
ROUNDS = 40
PASSWORD = "Bench-Passwort-2026!"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            return process
        except redis.RedisError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def setup(app):
    from protocol_app.auth.services import ensure_user
    from protocol_app.events import invitations
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.services import create_event
    from protocol_app.extensions import db
    from protocol_app.reference_data import load_reference_data

    with app.app_context():
        load_reference_data()
        officer = ensure_user(email="referent@bench.example", full_name="Referent", roles=["officer"],
                              password=PASSWORD)
        event = create_event(actor=officer, values={
            "title": "Empfang", "kind": "reception", "starts_at": datetime(2030, 1, 15, 17, tzinfo=UTC),
            "ends_at": datetime(2030, 1, 15, 20, tzinfo=UTC), "dress_code": "business", "press": "closed"})
        guest = add_adhoc(event, actor=officer, name="Gast")
        guest.email = "gast@bench.example"
        token = invitations.send_invitations(event, actor=officer)[guest.id]
        db.session.commit()
        return event.reference, token


def requests_of(app, reference: str, reply_token: str):
    """{name: callable doing one request}, each returning its status code."""
    from support import csrf_token

    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.models import Event
    from protocol_app.extensions import db

    officer = app.test_client()
    token = csrf_token(officer.get("/auth/login").get_data(as_text=True))
    officer.post("/auth/login", data={"email": "referent@bench.example", "password": PASSWORD,
                                      "csrf_token": token})
    form_token = csrf_token(officer.get(f"/events/{reference}").get_data(as_text=True))

    def send_one_invitation():
        with app.app_context():  # one new guest each time: every request queues and publishes a mail
            event = db.session.scalar(sa.select(Event))
            add_adhoc(event, actor=db.session.scalar(sa.select(User)), name="Nachzügler").email = "n@bench.example"
            db.session.commit()
        return officer.post(f"/events/{reference}/invitations", data={"csrf_token": form_token}).status_code

    anonymous = app.test_client()
    login_token = csrf_token(anonymous.get("/auth/login").get_data(as_text=True))

    def wrong_login():
        return anonymous.post("/auth/login", data={"email": "niemand@bench.example", "password": "falsch-falsch",
                                                   "csrf_token": login_token}).status_code

    guest = app.test_client()

    def reply_page():
        return guest.get(f"/events/reply/{reply_token}").status_code

    return {"POST send invitation (queues + publishes a mail)": send_one_invitation,
            "POST login (rate-limited)": wrong_login, "GET guest reply page (rate-limited)": reply_page}


def measure(calls) -> dict[str, tuple[float, float, set]]:
    results = {}
    for name, call in calls.items():
        timings, codes = [], set()
        for _ in range(ROUNDS):
            started = time.perf_counter()
            codes.add(call())
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(timings), max(timings), codes)
    return results


def main() -> None:
    reset_schema(SCHEMA)
    port = free_port()
    server = start_redis(port)
    url = migrated_app(SCHEMA).config["SQLALCHEMY_DATABASE_URI"]
    # The same settings a web process gets: publishing, rate limits (generous, so the
    # benchmark measures the lookup rather than 429s), limiter and broker on Redis.
    from config import Config
    from protocol_app import create_app

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=url,
                     REDIS_URL=f"redis://127.0.0.1:{port}/0", LOGIN_RATE_LIMIT_IP="100000 per minute",
                     LOGIN_RATE_LIMIT_ACCOUNT="100000 per minute")
    app.config["RATELIMIT_ENABLED"] = True
    reference, reply_token = setup(app)
    calls = requests_of(app, reference, reply_token)
    up = measure(calls)
    server.terminate()
    server.wait()
    down = measure(calls)
    lines = ["# Requests with Redis up and down (bench/faults_bench.py)", "",
             f"Median and maximum of {ROUNDS} requests each, in-process (Flask test client), PostgreSQL; "
             "Redis stopped between the two runs (the first request after the stop is in the maximum).", "",
             "| request | up: median ms | up: max ms | down: median ms | down: max ms | down / up | statuses down |",
             "|---|---:|---:|---:|---:|---:|---|"]
    worst = 0.0
    for name in calls:
        (m_up, x_up, _), (m_down, x_down, codes) = up[name], down[name]
        ratio = m_down / m_up
        worst = max(worst, ratio)
        lines.append(f"| {name} | {m_up:.1f} | {x_up:.1f} | {m_down:.1f} | {x_down:.1f} | {ratio:.2f} | "
                     f"{', '.join(map(str, sorted(codes)))} |")
    lines += ["", f"Worst ratio down / up: {worst:.2f} (goal ≤ 1.10)."]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results-faults.md").write_text(text + "\n")
    if worst > 1.1:
        sys.exit("requests wait on a dead Redis")


if __name__ == "__main__":
    main()
