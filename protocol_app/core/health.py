"""Health of the parts an operator watches: database, broker, the beat leader, outbox backlog.

Two questions, two answers: *is this process alive* (`/healthz`: it answers, nothing else is
asked, so a slow database or Redis never gets a live process restarted) and *may it take
requests* (`/readyz`: the database answers; Redis, the beat and the outbox are reported).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..version import __version__
from .broker import ping
from .notifications.services import outbox_backlog


def check_database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as exc:
        db.session.rollback()
        return f"error: {exc.__class__.__name__}"


def check_broker() -> str:
    """Redis asked once within REDIS_REQUEST_TIMEOUT (a proxy's health check must not wait on a
    refused or hung Redis); the embedded broker's folder otherwise."""
    url = current_app.config.get("REDIS_URL")
    try:
        if url:
            ping(url, current_app.config)
        else:
            celery = current_app.extensions.get("celery")
            if celery is None:
                return "error: not configured"
            with celery.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


#: A beat leader whose last heartbeat is older than this is reported late (it beats every 15 s).
BEAT_LATE_SECONDS = 120


def liveness() -> dict:
    """What `/healthz` answers: the process serves, and which release it is."""
    return {"status": "ok", "version": __version__}


def check_beat() -> dict:
    """The beat leader's last heartbeat and its age; `late` once it is older than BEAT_LATE_SECONDS."""
    from .heartbeats import BEAT, latest
    from .time import now_utc

    beat = latest().get(BEAT)
    if beat is None:
        return {"status": "unknown", "last_heartbeat": None}
    age = (now_utc() - beat.beat_at).total_seconds()
    return {"status": "ok" if age <= BEAT_LATE_SECONDS else "late",
            "last_heartbeat": beat.beat_at.isoformat(), "age_seconds": round(age, 1)}


def health_report() -> tuple[dict, bool]:
    """What `/readyz` answers, and whether the app can serve requests (database up)."""
    database = check_database()
    report = {"version": __version__, "database": database, "broker": check_broker()}
    if database == "ok":
        report["beat"] = check_beat()
        backlog = outbox_backlog()
        report["outbox"] = {
            "pending": backlog.get("pending", 0) + backlog.get("sending", 0),
            "failed": backlog.get("failed", 0),
            # Sent, but not confirmed by the mail server: an admin decides about a resend.
            "uncertain": backlog.get("uncertain", 0),
        }
    healthy = database == "ok"
    report["status"] = "ok" if healthy and report["broker"] == "ok" else "degraded"
    if not healthy:
        report["status"] = "down"
    return report, healthy
