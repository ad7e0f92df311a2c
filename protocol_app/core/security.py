"""Response headers and error pages that every response gets."""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import urlsplit

from flask import current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from .api.problems import http_problem, is_api_request, problem
from .errors import ConcurrentChangeError, is_conflict
from .permissions import is_static_request
from .urls import safe_next_url

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def _content_security_policy() -> str:
    """The policy; with the Land's login, its origin may receive a form's redirect too (signing
    out here goes on to signing out there, which the browser otherwise blocks)."""
    issuer = current_app.config.get("OIDC_ISSUER")
    if not issuer:
        return CONTENT_SECURITY_POLICY
    parts = urlsplit(issuer)
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def _set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if not is_static_request() and current_user and getattr(current_user, "is_authenticated", False):
        # Pages of logged-in users hold personal data: no browser or proxy cache. (The static
        # files hold none: `static_assets` lets the browser keep them, without a session look-up.)
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _render_error(code: int, description: str | None = None):
    return render_template(f"errors/{code}.html", description=description), code


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether the error is the database being unreachable (down, connection slots full, pool
    exhausted), not a fault of the request."""
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError | PoolTimeout)


def _rollback_quietly() -> None:
    # The connection may be gone already: then there is nothing to undo.
    with contextlib.suppress(Exception):
        db.session.rollback()


def outage_page():
    """The app's own "try again shortly" page, 503, in the reader's language (kept in the session at
    sign-in), drawn without a database: the reader is shown as not signed in for this one page.
    The next request tries the database again, so the app recovers by itself."""
    from ..extensions import login_manager

    _rollback_quietly()
    g._login_user = login_manager.anonymous_user()
    if is_api_request():
        return problem(503, "The database is unreachable; try again shortly."), 503, {"Retry-After": "30"}
    body = render_template("errors/503.html")
    return body, 503, {"Retry-After": "30"}


def init_app(app) -> None:
    app.after_request(_set_headers)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        db.session.rollback()
        return _render_error(400, "csrf")

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        if exc.code == 500:
            # An error raised outside the view (loading the user, the request's commit) arrives here
            # wrapped: it gets the app's page too, not Werkzeug's bare English one.
            return _server_error(getattr(exc, "original_exception", None) or exc)
        _rollback_quietly()
        if is_api_request():
            return http_problem(exc)
        code = exc.code if exc.code in (400, 403, 404, 405, 413, 429) else None
        if code is None:
            return exc
        return _render_error(code)

    @app.errorhandler(Exception)
    def _server_error(exc):
        if is_database_outage(exc):
            log.error("database unreachable on %s %s: %s", request.method, request.path, exc.__class__.__name__)
            return outage_page()
        _rollback_quietly()
        if is_conflict(exc):
            return conflict_response(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            return problem(500)
        return _render_error(500)


def conflict_response(exc):
    """The answer to a request that lost a race: nothing of it is kept; 409 "changed meanwhile"."""
    db.session.rollback()
    log.info("conflict on %s %s: %s", request.method, request.path, exc.__class__.__name__)
    back = request.referrer or ""
    # Only a page of this app, as a path (the referrer is absolute).
    back = safe_next_url(back[len(request.host_url) - 1:] if back.startswith(request.host_url) else None)
    # What changed, where the code that noticed says it ("this visit was cancelled meanwhile").
    reason = exc.args[0] if isinstance(exc, ConcurrentChangeError) and exc.args and exc.args[0] else None
    if is_api_request():
        return problem(409, reason or "Changed meanwhile by someone else: read it again and retry."), 409
    return render_template("errors/409.html", back=back, reason=reason), 409
