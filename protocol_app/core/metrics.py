"""Metrics for Prometheus at `/metrics`, readable with `Authorization: Bearer $METRICS_TOKEN` only.

Two kinds. What a process counts (requests, latency, sign-in failures, the database pool) lives in
prometheus_client's metrics; under gunicorn every worker writes them to files in
PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py sets and empties it) and a scrape adds them up.
What the installation holds (outbox mails by state, the oldest waiting one, the heartbeats of the
beat, the sweeps and the backup, the Celery queue) is read from the database and the broker when
Prometheus asks — the same answer from every host. README "Monitoring" lists every metric.
"""

from __future__ import annotations

import hmac
import os
import time

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as PROCESS_REGISTRY
from prometheus_client.core import GaugeMetricFamily

from ..extensions import db
from ..version import __version__

# prometheus_client's multiprocess mode writes into this folder from the first metric on; a
# process that inherited the setting (a CLI command, a worker) must not fail for a missing folder.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], mode=0o700, exist_ok=True)

REQUESTS = Counter("protokoll_http_requests_total", "Requests answered, by endpoint, method and status.",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("protokoll_http_request_duration_seconds", "Time to answer a request, by endpoint.",
                    ["endpoint"], buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
SIGN_IN_FAILURES = Counter("protokoll_sign_in_failures_total", "Sign-ins refused (wrong or unknown address, "
                           "wrong password, blocked account, directory unavailable).")
SIGN_IN_BLOCKS = Counter("protokoll_sign_in_blocks_total", "Accounts blocked after too many failed sign-ins.")
DB_POOL = Gauge("protokoll_db_pool_connections", "Database connections of the web processes, by state.",
                ["state"], multiprocess_mode="livesum")


class _Installation:
    """The metrics every host answers alike: read at scrape time."""

    def collect(self):
        from .heartbeats import latest
        from .notifications.models import MailStatus, OutboxMail
        from .time import as_utc, now_utc

        info = GaugeMetricFamily("protokoll_build_info", "The release this host runs.", labels=["version"])
        info.add_metric([__version__], 1)
        yield info

        yield _by_state(OutboxMail, MailStatus, "protokoll_outbox_mails", "Outbox mails by state.")
        oldest = db.session.scalar(sa.select(sa.func.min(OutboxMail.created_at))
                                   .where(OutboxMail.status.in_([MailStatus.PENDING.value, MailStatus.SENDING.value])))
        age = 0.0 if oldest is None else max(0.0, (now_utc() - as_utc(oldest)).total_seconds())
        yield GaugeMetricFamily("protokoll_outbox_oldest_pending_age_seconds",
                                "Age of the oldest mail not yet sent (0 when none waits).", value=age)
        from .webhooks.models import DeliveryStatus, WebhookDelivery

        # Failed or unconfirmed deliveries wait for an admin.
        yield _by_state(WebhookDelivery, DeliveryStatus, "protokoll_webhook_deliveries", "Webhook deliveries by state.")

        beats = latest()
        at = GaugeMetricFamily("protokoll_last_run_timestamp_seconds", "When each background part last ran "
                               "(beat: the leader's heartbeat; reminder-sweep, outbox-sweep, backup).", labels=["part"])
        took = GaugeMetricFamily("protokoll_last_run_duration_seconds", "How long its last run took.", labels=["part"])
        did = GaugeMetricFamily("protokoll_last_run_items", "What its last run did (reminders created, mails "
                                "published, bytes backed up).", labels=["part"])
        for name, beat in sorted(beats.items()):
            at.add_metric([name], beat.beat_at.timestamp())
            if beat.duration_seconds is not None:
                took.add_metric([name], beat.duration_seconds)
            if beat.value is not None:
                did.add_metric([name], beat.value)
        yield at
        yield took
        yield did

        waiting = _queue_length()
        if waiting is not None:
            yield GaugeMetricFamily("protokoll_celery_queue_length", "Tasks waiting in the broker's queue.",
                                    value=waiting)


def _queue_length() -> int | None:
    """Tasks waiting in Celery's default queue, asked within REDIS_REQUEST_TIMEOUT (None: no answer)."""
    url = current_app.config.get("REDIS_URL")
    try:
        if url:
            import redis

            from .broker import request_client_options

            return redis.Redis.from_url(url, **request_client_options(current_app.config)).llen("celery")
        folder = current_app.config["EMBEDDED_BROKER_DIR"]
        return sum(1 for name in os.listdir(folder) if name.endswith(".msg")) if os.path.isdir(folder) else 0
    except Exception:  # a broker that does not answer is reported by /readyz; the rest still counts
        return None


def _authorised() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


def metrics_response() -> Response:
    """The scrape: 404 while METRICS_TOKEN is unset, 401 without it, the text format with it."""
    if not current_app.config.get("METRICS_TOKEN"):
        return Response("metrics are off (METRICS_TOKEN is unset)\n", 404, mimetype="text/plain")
    if not _authorised():
        return Response("a bearer token is needed\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                        mimetype="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = PROCESS_REGISTRY
    installation = CollectorRegistry()
    installation.register(_Installation())
    return Response(generate_latest(processes) + generate_latest(installation), 200,
                    {"Cache-Control": "no-store"}, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Count every request (endpoint, method, status, time) and the database pool's use."""

    @app.before_request
    def _start_clock():
        g.setdefault("request_started", time.perf_counter())

    @app.after_request
    def _count(response):
        endpoint = request.endpoint or "unmatched"
        if endpoint == "core.metrics":
            return response
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(time.perf_counter() - g.get("request_started", time.perf_counter()))
        pool = db.engine.pool
        if hasattr(pool, "checkedout"):
            DB_POOL.labels("checked_out").set(pool.checkedout())
            DB_POOL.labels("idle").set(pool.checkedin())
        return response


def _by_state(model, states, name: str, description: str) -> GaugeMetricFamily:
    """How many rows of `model` are in each of `states` (0 for a state none is in)."""
    counts = dict(db.session.execute(sa.select(model.status, sa.func.count()).group_by(model.status)).all())
    family = GaugeMetricFamily(name, description, labels=["state"])
    for state in states:
        family.add_metric([state.value], counts.get(state.value, 0))
    return family
