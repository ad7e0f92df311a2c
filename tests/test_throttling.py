"""Login throttling per IP and per account (Flask-Limiter), shared through Redis."""

from __future__ import annotations

import pytest
import redis

from protocol_app.extensions import limiter
from tests import services
from tests.conftest import build_app
from tests.support import csrf_token, make_user

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend


@pytest.fixture(autouse=True)
def _restore_global_limiter():
    """Flask-Limiter keeps `enabled` on its one global instance: the limited apps
    built here must not leave throttling switched on for the apps of other tests."""
    yield
    limiter.enabled = False


LIMITED = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT_IP": "6 per minute",
    "LOGIN_RATE_LIMIT_ACCOUNT": "3 per minute",
}


def _attempt(client, email, ip="10.0.0.1"):
    token = csrf_token(client)
    return client.post(
        "/auth/login",
        data={"email": email, "password": "falsch-falsch-1", "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_too_many_attempts_on_one_account_get_a_german_429(app):
    limited = build_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI="memory://", **LIMITED)
    client = limited.test_client()
    statuses = [_attempt(client, "a@example.org", ip=f"10.0.0.{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = _attempt(client, "a@example.org", ip="10.0.0.99")
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)
    # Another account from a fresh address is not affected.
    assert _attempt(client, "b@example.org", ip="10.0.1.1").status_code == 200


def test_too_many_attempts_from_one_address_are_limited(app):
    limited = build_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI="memory://", **LIMITED)
    client = limited.test_client()
    statuses = [_attempt(client, f"user{i}@example.org").status_code for i in range(7)]
    assert statuses[:6] == [200] * 6 and statuses[6] == 429


def test_limits_are_shared_between_web_processes_through_redis(app):
    services.require("redis")
    url = services.redis_url(1)
    redis.Redis.from_url(url).flushdb()
    make_user(app, "a@example.org")
    first = build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=url, **LIMITED)
    second = build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=url, **LIMITED)
    assert first.config["RATELIMIT_STORAGE_URI"] == url
    c1, c2 = first.test_client(), second.test_client()
    assert [_attempt(c1, "x@example.org", ip=f"10.1.0.{i}").status_code for i in range(2)] == [200, 200]
    assert _attempt(c2, "x@example.org", ip="10.1.0.9").status_code == 200
    assert _attempt(c2, "x@example.org", ip="10.1.0.10").status_code == 429


def test_rate_limit_does_not_apply_to_get(app):
    limited = build_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_STORAGE_URI="memory://", **LIMITED)
    client = limited.test_client()
    assert all(client.get("/auth/login").status_code == 200 for _ in range(20))


def test_an_app_without_limits_stays_without_them_when_a_limited_one_is_made_after_it(tmp_path):
    """One Limiter serves every app of a process; each app's own setting decides (the shared
    instance once throttled the tests' unlimited app after a drill built a limited one)."""
    free = build_app(f"sqlite:///{tmp_path / 'free.sqlite'}", UPLOAD_DIR=str(tmp_path / "up1"),
                     EMBEDDED_BROKER_DIR=str(tmp_path / "b1"))
    build_app(f"sqlite:///{tmp_path / 'limited.sqlite'}", UPLOAD_DIR=str(tmp_path / "up2"),
              EMBEDDED_BROKER_DIR=str(tmp_path / "b2"), **LIMITED)
    assert limiter.enabled  # the shared instance now says "on"
    from tests.conftest import migrate

    migrate(free)
    client = free.test_client()
    statuses = {_attempt(client, "nobody@example.org").status_code for _ in range(12)}  # its own limit: 10
    assert 429 not in statuses and statuses == {200}
