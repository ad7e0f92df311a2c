"""Redis refused or hung costs no request more than REDIS_REQUEST_TIMEOUT (issue 30, items 12
and 13): the health check asks it once within that timeout, the rate limits' client has it as
its socket timeouts, and a request hands its mails to the process's publishing thread instead
of waiting on the broker itself. No elapsed time is asserted: the counts of connections show
what the request did and did not wait for."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from protocol_app.core.notifications.models import OutboxMail
from protocol_app.extensions import db
from tests import services
from tests.conftest import build_app, migrate
from tests.drill_support import HungRedis, event_with_mailed_guests
from tests.smtp import free_port
from tests.support import ensure_reference_data, login, make_user, post
from tests.worker_support import wait_for


@pytest.fixture
def hung():
    server = HungRedis()
    yield server
    server.stop()


def _app(tmp_path, **settings):
    app = build_app(f"sqlite:///{tmp_path / 'stall.sqlite'}", UPLOAD_DIR=str(tmp_path / "u"), **settings)
    migrate(app)
    return app


@pytest.mark.one_backend
def test_the_health_check_asks_a_hung_or_refused_redis_once_and_still_answers(tmp_path, hung):
    app = _app(tmp_path, REDIS_URL=hung.url)
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 200  # the database serves: a proxy keeps the host
    assert response.json["database"] == "ok" and response.json["broker"] == "error: TimeoutError"
    assert response.json["status"] == "degraded"
    assert hung.accepted == 1  # one attempt, no retry loop inside the check
    wait_for(lambda: hung.closed_by_client == 1, timeout=10)  # and it gave up on its own
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # refused
    refused = client.get("/readyz")
    assert refused.status_code == 200 and refused.json["broker"] == "error: ConnectionError"
    assert app.config["REDIS_REQUEST_TIMEOUT"] < 0.5  # what "asked once" costs at most


@pytest.mark.one_backend
def test_liveness_never_asks_redis(tmp_path, hung):
    app = _app(tmp_path, REDIS_URL=hung.url)  # the broker and the readiness check's Redis
    answers = [app.test_client().get("/healthz") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert hung.accepted == 0  # not one connection: a hung Redis cannot slow the liveness probe


@pytest.mark.one_backend
def test_the_rate_limits_count_in_memory_with_redis_hung(tmp_path, hung):
    app = _app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=hung.url,
               LOGIN_RATE_LIMIT_ACCOUNT="3 per minute")
    options = app.config["RATELIMIT_STORAGE_OPTIONS"]
    timeout = app.config["REDIS_REQUEST_TIMEOUT"]
    assert (options["socket_connect_timeout"], options["socket_timeout"]) == (timeout, timeout)
    make_user(app, "referent@example.org")
    codes = [login(app.test_client(), "referent@example.org").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]  # counted in memory while Redis does not answer
    assert hung.accepted >= 1  # Redis was asked (and not waited for beyond its timeout)


@pytest.mark.postgres_only
def test_a_request_hands_its_mails_over_and_answers_while_redis_hangs(committing_app, hung):
    services.require("postgresql")
    app = build_app(services.pg_url("protokoll_commit"), REDIS_URL=hung.url, OUTBOX_PUBLISH_DISABLED=False,
                    UPLOAD_DIR=committing_app.config["UPLOAD_DIR"])
    ensure_reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    reference = event_with_mailed_guests(app, 3)
    response = post(client, f"/events/{reference}/invitations", {})
    # The answer came before the publisher gave up on Redis: had the request published itself,
    # its connection would have timed out (and been closed) before the answer.
    assert response.status_code == 302
    assert hung.closed_by_client == 0
    wait_for(lambda: hung.accepted >= 1, timeout=30)  # the publishing thread did try
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail).where(
            OutboxMail.status == "pending")) == 3  # written, left for the sweep
        db.session.remove()
