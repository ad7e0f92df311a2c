"""Health of the parts an operator watches: database, broker, outbox backlog."""

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


def health_report() -> tuple[dict, bool]:
    """Return the report and whether the app can serve requests (database up)."""
    database = check_database()
    report = {"version": __version__, "database": database, "broker": check_broker()}
    if database == "ok":
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
