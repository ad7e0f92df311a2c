"""The JSON API's frame (/api/v1), shared by the domains that offer a part of it.

Each domain writes its own part (`<domain>/api.py`) on a Blueprint made here; this module gives
the OpenAPI 3.1 document generated from those parts (flask-smorest, served at
/api/v1/openapi.json), problem details for every error, the per-token rate limit and the rule
that a token without the write scope only reads. Who the caller is, the auth layer says from the
request's bearer token (`auth.access_tokens`); the app's error handlers answer API requests with
`problems.problem`.
"""

from __future__ import annotations

import http

from flask import abort, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response

from ...extensions import csrf, limiter
from ..errors import DomainError, NotAllowed
from ..permissions import public
from .problems import API_PREFIX, PROBLEM_TYPE, ProblemSchema, is_api_request, problem

__all__ = ["API_PREFIX", "ID", "ApiBlueprint", "api_blueprint", "init_app", "is_api_request", "problem"]

#: A record's number in a route: within the database's integer, so no larger one reaches a query.
ID = "int(min=1, max=2147483647)"

#: Methods a read-only token may use.
READING = frozenset({"GET", "HEAD", "OPTIONS"})

#: The doc blueprint's endpoint: the document is public (neighbours read it before they have a token).
DOCUMENT_ENDPOINT = "api-docs.openapi_json"


class ProtokollApi(Api):
    """flask-smorest's Api with problem details (RFC 9457) as the documented error answer, and
    without its app-wide JSON error handler: the app's pages keep their own error pages, and the
    app's handlers answer API paths with problems (`core.security`)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as RFC 9457 problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _token_key() -> str:
    # Per token (loading the user reads it); a request without one counts against its address.
    token_id = g.get("api_token_id") if current_user.is_authenticated else None
    return f"api-token:{token_id}" if token_id else f"api-address:{get_remote_address()}"


def _write_needs_write_scope():
    if request.method not in READING and g.get("api_token_scope") != "write":
        abort(403, description=str(_l("This token may only read: make one with the scope “read and write”.")))


def _domain_problem(exc: DomainError):
    """A service's refusal: 403 when the rule is about who asks, 422 with the field otherwise."""
    if isinstance(exc, NotAllowed):
        return problem(403, exc.message)
    errors = {"json": {exc.field: [str(exc.message)]}} if exc.field else None
    return problem(422, exc.message, errors=errors)


def api_blueprint(name: str, import_name: str, path: str, description: str) -> ApiBlueprint:
    """A domain's part of the API under /api/v1/`path`: no CSRF token (no cookie is read: only
    the bearer token speaks), limited per token, writing only with the write scope, a service's
    refusal as a problem."""
    bp = ApiBlueprint(name, import_name, url_prefix=f"{API_PREFIX}/{path}", description=description)
    csrf.exempt(bp)
    limiter.shared_limit(_rate_limit, "api", key_func=_token_key)(bp)  # one budget across the parts
    bp.before_request(_write_needs_write_scope)
    bp.register_error_handler(DomainError, _domain_problem)
    return bp


def init_app(app, blueprints) -> Api:
    """Make the app's API from the domains' blueprints; its document is public."""
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "The JSON API of Protokoll. Send a personal access token (made on "
                                "your profile page) as `Authorization: Bearer <token>`."},
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    api = ProtokollApi(app)
    for bp in blueprints:
        api.register_blueprint(bp)
    document = app.view_functions[DOCUMENT_ENDPOINT]  # a bound method: it takes no mark, a wrapper does

    @public
    def openapi_document():
        return document()

    app.view_functions[DOCUMENT_ENDPOINT] = openapi_document
    return api
