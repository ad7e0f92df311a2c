"""With the database unreachable every page answers the app's own 503 page in the reader's
language, and the app recovers by itself (issue 30, item 16). The drill: a database role with a
connection limit of one, its slot held by someone else."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from protocol_app.extensions import db
from tests import services
from tests.conftest import build_app
from tests.support import csrf_token, login, make_user

ROLE = services.own("protokoll_limited")


def _limited_role(schema: str) -> str:
    schema = services.own(schema)
    engine = sa.create_engine(services.PG_BASE_URL)
    with engine.begin() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE})
        if not exists:
            conn.execute(sa.text(f"CREATE ROLE {ROLE} LOGIN CONNECTION LIMIT 1"))
        conn.execute(sa.text(f'GRANT USAGE ON SCHEMA "{schema}" TO {ROLE}'))
        conn.execute(sa.text(f'GRANT ALL ON ALL TABLES IN SCHEMA "{schema}" TO {ROLE}'))
        conn.execute(sa.text(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA "{schema}" TO {ROLE}'))
    engine.dispose()
    base = services.PG_BASE_URL.replace("://postgres@", f"://{ROLE}@")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}%2Cpublic"


def _role_backends_gone(timeout: float = 10.0) -> bool:
    """Poll until no backend of the limited role is left (with a deadline, not a sleep)."""
    import time

    engine = sa.create_engine(services.PG_BASE_URL, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if not conn.scalar(sa.text("SELECT count(*) FROM pg_stat_activity WHERE usename = :r"), {"r": ROLE}):
                    return True
            time.sleep(0.05)
        return False
    finally:
        engine.dispose()


@pytest.mark.postgres_only
def test_every_page_answers_the_apps_own_503_in_the_readers_language_and_recovers(committing_app):
    url = _limited_role("protokoll_commit")
    app = build_app(url, UPLOAD_DIR=committing_app.config["UPLOAD_DIR"])
    make_user(app, "referent@example.org", roles=["officer"])
    german, english = app.test_client(), app.test_client()
    login(german, "referent@example.org")
    english.get("/auth/login?lang=en")
    login(english, "referent@example.org")
    anonymous = app.test_client()
    assert german.get("/visits/").status_code == 200
    with app.app_context():
        db.engine.dispose()  # the app holds no connection of its own now
    holder = sa.create_engine(url, poolclass=sa.pool.NullPool).connect()  # the one slot, taken
    try:
        token = csrf_token(german)
        for client, path, language, text in (
                (german, "/visits/", "de", "Vorübergehend nicht erreichbar"),
                (german, "/", "de", "Vorübergehend nicht erreichbar"),
                (english, "/visits/", "en", "Temporarily unavailable")):
            response = client.get(path)
            page = response.get_data(as_text=True)
            assert response.status_code == 503, (path, page[:200])
            assert f'<html lang="{language}">' in page and text in page
            assert "Internal Server Error" not in page
            assert response.headers["Retry-After"] == "30"
        posted = german.post("/auth/profile", data={"locale": "en", "csrf_token": token})
        assert posted.status_code == 503
        signing_in = login(anonymous, "referent@example.org")  # the login form itself needs no database
        assert signing_in.status_code == 503 and "Vorübergehend nicht erreichbar" in signing_in.get_data(as_text=True)
    finally:
        holder.close()
    # PostgreSQL frees the role's one slot when the closed connection's backend has exited, a
    # moment after close() returns: wait for that, then the very next page must be served.
    assert _role_backends_gone(), "the closed connection's backend did not exit"
    assert german.get("/visits/").status_code == 200  # recovered without a restart
    assert english.get("/visits/").status_code == 200
