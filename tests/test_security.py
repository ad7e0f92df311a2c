"""CSRF, response headers and error pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.permissions import public
from protocol_app.extensions import db
from tests.support import login, make_user

#: One database: headers, CSRF and error pages do not touch what differs between the databases.
pytestmark = pytest.mark.one_backend


def test_post_without_csrf_token_is_refused_and_changes_nothing(app, client):
    make_user(app, "admin@example.org", roles=["admin"])
    login(client, "admin@example.org")
    response = client.post(
        "/admin/users/new",
        data={"email": "x@example.org", "full_name": "X", "roles": ["viewer"], "locale": "de"},
    )
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None


def test_login_without_csrf_token_is_refused(app, client):
    make_user(app, "a@example.org")
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400


def test_security_headers_on_every_page(app, client):
    for path in ("/auth/login", "/healthz", "/does-not-exist"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"]


def test_logged_in_pages_are_not_cached(app, client):
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")
    make_user(app, "a@example.org")
    login(client, "a@example.org")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_static_files_are_kept_by_the_browser_and_ask_nothing_of_the_database(app, client, count_queries):
    import re

    make_user(app, "a@example.org")
    login(client, "a@example.org")
    page = client.get("/")
    assets = re.findall(r'(?:href|src)="(/[a-z]+(?:/static)?/[^"]+\?v=[0-9a-f]{12})"', page.get_data(as_text=True))
    assert any("bootstrap" in a for a in assets) and any("app.css" in a for a in assets)
    with count_queries() as statements:
        answers = [client.get(asset) for asset in assets]
    # The files hold no personal data: kept a year under an address that changes with them,
    # served without looking up the session.
    assert {(r.status_code, r.headers["Cache-Control"]) for r in answers} == {(200, "public, max-age=31536000, immutable")}
    assert statements == []
    assert page.headers["Cache-Control"] == "no-store"


def test_the_files_address_changes_when_a_file_does(tmp_path):
    from protocol_app.core.static_assets import asset_version

    (tmp_path / "app.css").write_text("main { color: #000 }")
    before = asset_version([tmp_path])
    assert asset_version([tmp_path]) == before
    (tmp_path / "app.css").write_text("main { color: #111; }")
    assert asset_version([tmp_path]) != before


def test_no_inline_scripts_or_styles_in_pages(app, client):
    make_user(app, "admin@example.org", roles=["admin"])
    login(client, "admin@example.org")
    for path in ("/", "/admin/users", "/admin/audit", "/auth/profile", "/notifications"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick" not in html, path


def test_error_pages_are_german_and_in_the_layout(app, client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and "navbar" in html


def test_403_page_is_german(app, client):
    make_user(app, "t@example.org", roles=["translator"])
    login(client, "t@example.org")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.get_data(as_text=True)


def test_500_page_shows_no_stack_trace(app):
    from tests.conftest import build_app

    fresh = build_app(app.config["SQLALCHEMY_DATABASE_URI"])

    @fresh.route("/__boom")
    @public
    def boom():
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/__boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Interner Fehler" in html
    assert "secret internals" not in html and "Traceback" not in html
