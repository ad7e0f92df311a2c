"""The API under load, over real HTTP against PostgreSQL: programs sending the same guest at the
same instant, a token that tries past its rate limit, two tabs revoking one token."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from protocol_app.events.models import Guest
from protocol_app.extensions import db, limiter
from tests.api_support import bearer, token_for
from tests.conftest import build_app
from tests.drill_support import all_at_once, serve
from tests.event_support import make_event
from tests.support import ensure_reference_data

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def server(committing_app):
    ensure_reference_data(committing_app)
    live = serve(committing_app)
    yield live
    live.stop()


def test_the_same_guest_sent_by_four_programs_at_once_is_listed_once(committing_app, server):
    tokens = [token_for(committing_app, f"programm{n}@example.org", scope="write") for n in range(4)]
    event_id = make_event(committing_app)
    url = f"{server.url}/api/v1/events/{event_id}/guests"
    guest = {"guests": [{"name": "Dr. Erika Muster", "email": "erika@example.org"}]}
    answers = all_at_once(lambda token=token: requests.post(url, json=guest, headers=bearer(token), timeout=60)
                          for token in tokens)
    assert sorted(a.status_code for a in answers) == [201, 422, 422, 422]
    assert all(a.headers["Content-Type"] == "application/problem+json" for a in answers if a.status_code == 422)
    with committing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Guest.id))) == 1


@pytest.fixture
def limited(committing_app):
    """The committing app's database served by an app that counts each token's requests."""
    app = build_app(committing_app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI="memory://", API_RATE_LIMIT="3 per minute")
    yield app
    limiter.enabled = False  # one Limiter per process: the next apps start without limits


def test_a_token_past_its_limit_gets_429_problems_and_another_token_goes_on(limited, committing_app):
    ensure_reference_data(committing_app)
    first = token_for(committing_app, "presse@example.org")
    second = token_for(committing_app, "web@example.org")
    client = limited.test_client()
    statuses = [client.get("/api/v1/notes", headers=bearer(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/notes", headers=bearer(first))
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["status"] == 429
    assert client.get("/api/v1/notes", headers=bearer(second)).status_code == 200
