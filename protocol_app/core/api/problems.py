"""RFC 9457 problem details: how every error of the JSON API answers, whatever raised it."""

from __future__ import annotations

from http import HTTPStatus

import marshmallow as ma
from flask import current_app, json, request

#: The media type RFC 9457 gives a problem.
PROBLEM_TYPE = "application/problem+json"

#: The API's path; requests under it get problems instead of the app's error pages.
API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    """Whether the request is one of the API's (outside a request: no)."""
    if not request:
        return False
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


class ProblemSchema(ma.Schema):
    """An error of the API (RFC 9457); `errors` names each refused field with what to fix."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem; about:blank when the status says it all."})
    title = ma.fields.String(required=True, metadata={"description": "The status in words."})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status."})
    detail = ma.fields.String(metadata={"description": "What went wrong with this request, for a person to read."})
    instance = ma.fields.String(metadata={"description": "The path of the request."})
    errors = ma.fields.Dict(metadata={"description": "Refused input: where it was (json, query, a row) and what to fix."})


def problem(status: int, detail=None, *, errors=None, headers=None):
    """A problem response with `status`, a `detail` for people (a lazy text is translated now)
    and, for refused input, `errors` by field."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "instance": request.path}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    response.headers.extend(headers or {})
    return response


def http_problem(exc):
    """The problem of an HTTP error raised anywhere in an API request: webargs' refused input
    (422, with its messages by location), a refused token (401), a missing right (403), a limit
    (429) and the rest with the status's own words."""
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages")
    detail = data.get("message") or (exc.description if _own_description(exc) else None)
    headers = dict(exc.get_headers() or ()) if hasattr(exc, "get_headers") else {}
    headers.pop("Content-Type", None)
    if exc.code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="protokoll"'
    return problem(exc.code, detail, errors=errors, headers=headers)


def _own_description(exc) -> bool:
    # Werkzeug's stock description ("The browser (or proxy) sent a request …") says nothing
    # the title does not; a description given at abort() does.
    return exc.description != type(exc).description
