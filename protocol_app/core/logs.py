"""Logs as the IT service reads them: one JSON object per line, with the request's id.

Every line carries `time`, `level`, `logger`, `message`, and — inside a request or a task that
a request queued — `request_id` and `user_id` (an account's number, never its address). Each
request ends with one `request` line: endpoint (the route's name, never the path: paths carry
reply-link tokens), method, status, duration. The request id is taken from `X-Request-ID` when
the proxy sets a plausible one, made otherwise, and answered in the response's `X-Request-ID`;
Celery tasks published while it is set carry it in a header, and the worker logs under it.

No personal data (DESIGN §7): messages name records by id; as a net under that, an e-mail
address that slips into a message is replaced by `<e-mail>` before the line is written.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request
from pythonjsonlogger.json import JsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

#: The Celery message header that carries the request id to the worker.
REQUEST_ID_HEADER = "protokoll_request_id"
_PLAUSIBLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")


class _Context(logging.Filter):
    """Adds the request's (or task's) id and user, and masks addresses in the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = _EMAIL.sub("<e-mail>", message), None
        return True


def configure(level: str = "INFO", stream=None) -> logging.Handler:
    """Send every logger's lines, as JSON, to standard error (journald, the container's log).
    Idempotent: the app factory runs once per process, the tests many times."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "protokoll", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.protokoll = True
    handler.addFilter(_Context())
    handler.setFormatter(JsonFormatter(
        "{asctime}{levelname}{name}{message}{request_id}{user_id}", style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z"))
    root.addHandler(handler)
    root.setLevel(level)
    # Werkzeug's own request lines carry the path (and with it reply tokens): the app logs its own.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return handler


def init_app(app: Flask) -> None:
    """The request id and the one `request` line per request."""
    log = logging.getLogger("protokoll.request")

    @app.before_request
    def _start():
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if _PLAUSIBLE_ID.match(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        g.request_tokens = (request_id_var.set(g.request_id), user_id_var.set(None))

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request refused before the hooks ran
            return response
        response.headers["X-Request-ID"] = request_id
        user_id = _signed_in_user_id()
        user_id_var.set(user_id)
        log.info("request", extra={
            "endpoint": request.endpoint or "unmatched", "method": request.method, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1)})
        return response

    @app.teardown_request
    def _forget(_exc):
        tokens = g.pop("request_tokens", None)
        if tokens:
            request_id_var.reset(tokens[0])
            user_id_var.reset(tokens[1])


def connect_celery(celery) -> None:
    """Tasks carry the id of the request that published them; the worker logs under it, and
    Celery leaves the process's logging as configured here."""
    from celery import signals

    @signals.setup_logging.connect(weak=False)
    def _keep_our_logging(**_kwargs):
        pass  # connected: Celery configures no logging of its own

    @signals.before_task_publish.connect(weak=False)
    def _carry_request_id(headers=None, **_kwargs):
        request_id = request_id_var.get()
        if request_id and headers is not None:
            headers[REQUEST_ID_HEADER] = request_id

    @signals.task_prerun.connect(weak=False)
    def _adopt_request_id(task=None, **_kwargs):
        request_id_var.set(getattr(task.request, REQUEST_ID_HEADER, None) if task else None)
        user_id_var.set(None)

    @signals.task_postrun.connect(weak=False)
    def _drop_request_id(**_kwargs):
        request_id_var.set(None)


def _signed_in_user_id() -> int | None:
    """The id of the account this request was signed in as, read from the identity the session
    holds: the log line must not ask the database (an expired account row would be loaded again,
    and with the database locked or gone the answer would turn into a 500)."""
    from flask_login.mixins import AnonymousUserMixin
    from sqlalchemy import inspect

    user = g.get("_login_user")
    if user is None or isinstance(user, AnonymousUserMixin):
        return None
    identity = inspect(user).identity
    return int(identity[0]) if identity else None
