"""The API fuzzed against its own OpenAPI document with schemathesis: every operation, with
input that fits the document and input that does not, as a token holder that may write. Whatever
arrives, the answer is never a server error and always what the document promises (status,
media type, schema) — problem details included.

On PostgreSQL, which refuses what SQLite lets through (a NUL character, an integer past its
range). Derandomized: the same examples every run, so a run that passes passes again."""

from __future__ import annotations

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.api_support import bearer, token_for
from tests.event_support import make_event
from tests.support import make_user
from tests.visit_support import make_visit, reference_data

pytestmark = pytest.mark.postgres_only

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: Examples per operation and mode: with a dozen operations, about 2 × 12 × this many requests.
EXAMPLES = 10


def _first_id(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.min(model.id)))


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_no_input_makes_a_server_error_or_an_answer_the_document_does_not_promise(committing_app):
    app = committing_app
    reference_data(app)
    # A manager's write token (a manager reads confidential visits too), a visit and an event to find.
    token = token_for(app, "leitung@example.org", roles=["manager", "officer"], scope="write")
    make_visit(app, make_user(app, "referent@example.org"))
    # Input that fits the document names the records there are, so that it reaches the rules
    # behind the lookup; input that does not names any number.
    records = {"visit_id": _first_id(app, Visit), "event_id": make_event(app)}
    operations = _operations(app)
    assert {op.label for op in operations} >= {"GET /api/v1/visits", "POST /api/v1/visits", "POST /api/v1/events/{event_id}/guests"}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            known = {name: records[name] for name in records if "{" + name + "}" in operation.path}
            fixed = known if mode == GenerationMode.POSITIVE and known else None

            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def fuzz(case):
                response = case.call(headers=bearer(token))
                case.validate_response(response, checks=CHECKS)

            fuzz()
