"""The JSON API as a neighbour system uses it: a token made on the page, its user's roles and
nothing more, writing only with the write scope, every error as RFC 9457 problem details."""

from __future__ import annotations

import re

import sqlalchemy as sa

from protocol_app.auth.models import AccessToken, User
from protocol_app.events.models import Guest
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.api_support import bearer, token_for
from tests.event_support import make_event
from tests.support import audit_events, login, make_user, post
from tests.visit_support import make_visit, reference_data

REQUEST = {"title": "Antrittsbesuch der Botschafterin von Chile", "kind": "first_call",
           "guest_name": "Ximena Rincón", "guest_country_code": "CL", "arrival_at": "2027-04-20T10:00:00+02:00",
           "departure_at": "2027-04-20T11:00:00+02:00", "languages": ["es", "en"]}


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _change_account(app, email: str, *, roles=None, **values) -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if roles is not None:
            user.set_roles(roles)
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def test_a_user_makes_a_token_on_the_page_sees_it_once_and_reads_with_it(app):
    reference_data(app)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    reference = make_visit(app, officer_id)
    browser = app.test_client()
    login(browser, "referent@example.org")
    page = post(browser, "/auth/tokens", {"name": "Pressestelle", "scope": "read", "days": "30"})
    assert page.status_code == 200
    token = re.search(r'data-testid="new-token">([^<]+)<', page.get_data(as_text=True)).group(1)
    assert token not in browser.get("/auth/tokens").get_data(as_text=True)  # shown once
    with app.app_context():
        stored = db.session.scalar(sa.select(AccessToken))
        assert stored.token_hash != token and token not in stored.token_hash and stored.scope == "read"
    assert [e.actor_id for e in audit_events(app, "auth.token_issue")] == [officer_id]

    program = app.test_client()  # a program: no cookie, only the token
    listing = program.get("/api/v1/visits", headers=bearer(token))
    assert listing.status_code == 200
    assert [v["reference"] for v in listing.get_json()["items"]] == [reference]
    assert program.get("/api/v1/visits?state=confirmed", headers=bearer(token)).get_json()["total"] == 0
    visit_id = listing.get_json()["items"][0]["id"]
    one = program.get(f"/api/v1/visits/{visit_id}", headers=bearer(token)).get_json()
    assert one["guest_name"] == "Anne Hidalgo" and one["programme"] == []
    assert "Set-Cookie" not in listing.headers


def test_the_api_hears_only_tokens_never_the_browsers_session(app):
    reference_data(app)
    make_user(app, "referent@example.org", roles=["officer"])
    browser = app.test_client()
    login(browser, "referent@example.org")
    refused = browser.get("/api/v1/visits")
    _is_problem(refused, 401)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    # A page of another site posting with the signed-in user's cookie achieves nothing.
    _is_problem(browser.post("/api/v1/visits", json=REQUEST), 401)
    _is_problem(browser.get("/api/v1/visits", headers=bearer("ptk_not-a-token")), 401)
    assert _count(app, Visit) == 0


def test_a_read_token_only_reads_and_a_write_token_requests_a_visit_through_the_service(app):
    reference_data(app)
    reader = token_for(app, "referent@example.org", scope="read")
    writer = token_for(app, "referent@example.org", scope="write")
    client = app.test_client()
    body = _is_problem(client.post("/api/v1/visits", json=REQUEST, headers=bearer(reader)), 403)
    assert "Lesen und schreiben" in body["detail"]  # the scope it needs, in the user's language
    made = client.post("/api/v1/visits", json=REQUEST, headers=bearer(writer))
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["state"] == "requested" and made.get_json()["languages"] == ["es", "en"]
    assert len(audit_events(app, "visit.create")) == 1

    wrong = _is_problem(client.post("/api/v1/visits", headers=bearer(writer), json={
        **REQUEST, "departure_at": "2027-04-19T10:00:00+02:00"}), 422)
    assert "departure_at" in wrong["errors"]["json"]
    unknown = _is_problem(client.post("/api/v1/visits", headers=bearer(writer), json={**REQUEST, "secret": 1}), 422)
    assert "secret" in unknown["errors"]["json"]
    marked_up = _is_problem(client.post("/api/v1/visits", headers=bearer(writer), json={
        **REQUEST, "title": "<script>alert(1)</script>"}), 422)
    assert "title" in marked_up["errors"]["json"]
    assert _count(app, Visit) == 1


def test_a_token_stops_at_revocation_expiry_deactivation_and_a_reset(app):
    reference_data(app)
    user_id = make_user(app, "referent@example.org", roles=["officer"])
    tokens = [token_for(app, "referent@example.org") for _ in range(4)]
    client = app.test_client()
    for token in tokens:
        assert client.get("/api/v1/visits", headers=bearer(token)).status_code == 200
    browser = app.test_client()
    login(browser, "referent@example.org")
    with app.app_context():
        first = db.session.scalars(sa.select(AccessToken).order_by(AccessToken.id)).first()
        second = db.session.scalars(sa.select(AccessToken).order_by(AccessToken.id)).all()[1]
        second.expires_at = second.created_at
        db.session.commit()
        first_id = first.id
    assert post(browser, f"/auth/tokens/{first_id}/revoke").status_code == 302
    _is_problem(client.get("/api/v1/visits", headers=bearer(tokens[0])), 401)
    _is_problem(client.get("/api/v1/visits", headers=bearer(tokens[1])), 401)
    assert [e.actor_id for e in audit_events(app, "auth.token_revoke")] == [user_id]
    # Revoked meanwhile (another tab): "changed meanwhile", nothing else.
    assert post(browser, f"/auth/tokens/{first_id}/revoke").status_code == 409

    _change_account(app, "referent@example.org", must_change_password=True)
    _is_problem(client.get("/api/v1/visits", headers=bearer(tokens[2])), 401)
    _change_account(app, "referent@example.org", must_change_password=False, is_active_account=False)
    _is_problem(client.get("/api/v1/visits", headers=bearer(tokens[3])), 401)


def test_nobody_revokes_someone_elses_token(app):
    token_for(app, "referent@example.org")
    make_user(app, "andere@example.org", roles=["officer"])
    other = app.test_client()
    login(other, "andere@example.org")
    with app.app_context():
        token_id = db.session.scalar(sa.select(AccessToken.id))
    assert post(other, f"/auth/tokens/{token_id}/revoke").status_code == 404
    assert _count(app, AccessToken, AccessToken.revoked_at.is_(None)) == 1


def test_a_token_has_its_users_roles_of_the_moment(app):
    reference_data(app)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, officer_id)
    secret = make_visit(app, officer_id, title="Vertraulicher Besuch", is_confidential=True)
    viewer = token_for(app, "leser@example.org", roles=["viewer"], scope="write")
    manager = token_for(app, "leitung@example.org", roles=["manager"])
    translator = token_for(app, "dolmetscher@example.org", roles=["translator"])
    client = app.test_client()
    seen = [v["reference"] for v in client.get("/api/v1/visits", headers=bearer(viewer)).get_json()["items"]]
    assert secret not in seen and len(seen) == 1
    with app.app_context():
        secret_id = db.session.scalar(sa.select(Visit.id).where(Visit.is_confidential.is_(True)))
    _is_problem(client.get(f"/api/v1/visits/{secret_id}", headers=bearer(viewer)), 404)
    _is_problem(client.post("/api/v1/visits", json=REQUEST, headers=bearer(viewer)), 403)  # a reader, write scope or not
    _is_problem(client.get("/api/v1/visits", headers=bearer(translator)), 403)
    managed = [v["reference"] for v in client.get("/api/v1/visits", headers=bearer(manager)).get_json()["items"]]
    assert secret in managed
    assert [e.summary for e in audit_events(app, "visit.api_read")] == [secret]  # a confidential read is logged
    # A role taken away is taken from the token too.
    _change_account(app, "leitung@example.org", roles=["translator"])
    _is_problem(client.get("/api/v1/visits", headers=bearer(manager)), 403)


def test_a_guest_list_comes_in_whole_or_not_at_all_with_every_rows_mistakes(app):
    reference_data(app)
    writer = token_for(app, "referent@example.org", scope="write")
    event_id = make_event(app)
    client = app.test_client()
    path = f"/api/v1/events/{event_id}/guests"
    broken = _is_problem(client.post(path, headers=bearer(writer), json={"guests": [
        {"name": "Dr. Erika Muster", "category": "diplomatic_corps", "rank": 120, "email": "erika@example.org"},
        {"name": "Max Muster", "email": "kein-mail"},
        {"name": "Dr. Erika Muster", "email": "erika@example.org"}]}), 422)
    assert set(broken["errors"]["guests"]) == {"2", "3"}  # rows named from 1, each with its reason
    assert _count(app, Guest) == 0
    added = client.post(path, headers=bearer(writer), json={"guests": [
        {"name": "Dr. Erika Muster", "category": "diplomatic_corps", "rank": 120, "email": "erika@example.org",
         "address_form": "Frau", "in_office_since": "2024-09-01", "language": "en", "companions": 1},
        {"name": "Max Muster"}]})
    assert added.status_code == 201 and added.get_json() == {"added": 2}
    again = _is_problem(client.post(path, headers=bearer(writer), json={"guests": [
        {"name": "Dr. Erika Muster", "email": "erika@example.org"}]}), 422)
    assert set(again["errors"]["guests"]) == {"1"}
    listed = client.get(path, headers=bearer(writer)).get_json()
    assert [g["name"] for g in listed["items"]] == ["Dr. Erika Muster", "Max Muster"] and listed["total"] == 2
    assert listed["items"][0]["language"] == "en" and listed["items"][0]["companions_allowed"] == 1
    _is_problem(client.post(f"/api/v1/events/{event_id}/guests", headers=bearer(writer), json={"guests": []}), 422)


def test_the_document_is_public_openapi_3_1_and_names_every_part(app):
    document = app.test_client().get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/visits", "/api/v1/visits/{visit_id}", "/api/v1/events", "/api/v1/events/{event_id}",
            "/api/v1/events/{event_id}/guests", "/api/v1/calendar", "/api/v1/directory/contacts",
            "/api/v1/directory/missions", "/api/v1/directory/venues", "/api/v1/notes"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"]["content"]


def test_the_calendar_directory_and_notes_read_as_the_pages_do(app):
    reference_data(app)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, officer_id)
    token = token_for(app, "referent@example.org")
    client = app.test_client()
    entries = client.get("/api/v1/calendar?from=2027-03-01&to=2027-03-31", headers=bearer(token)).get_json()["items"]
    assert [e["title"] for e in entries] and all(e["uid"] for e in entries)
    assert any("Paris" in e["title"] or "Hidalgo" in e["title"] for e in entries)
    too_long = _is_problem(client.get("/api/v1/calendar?from=2027-01-01&to=2027-12-31", headers=bearer(token)), 422)
    assert "to" in too_long["errors"]["query"]
    venues = client.get("/api/v1/directory/venues?per_page=100", headers=bearer(token)).get_json()
    assert venues["total"] >= 1 and venues["items"][0]["name"]
    assert client.get("/api/v1/notes", headers=bearer(token)).get_json()["items"] == []
    _is_problem(client.get("/api/v1/directory/venues?per_page=1000", headers=bearer(token)), 422)


def test_invisible_characters_are_refused_by_name_before_the_database_sees_them(app):
    reference_data(app)
    writer = token_for(app, "referent@example.org", scope="write")
    event_id = make_event(app)
    client = app.test_client()
    body = _is_problem(client.post("/api/v1/visits", headers=bearer(writer), json={**REQUEST, "title": "Besuch\u0000"}), 422)
    assert "U+0000" in body["errors"]["json"]["title"][0]
    rows = _is_problem(client.post(f"/api/v1/events/{event_id}/guests", headers=bearer(writer),
                                   json={"guests": [{"name": "Erika\u0007 Muster"}]}), 422)
    assert "name" in rows["errors"]["json"]["guests"]["0"]
    assert _count(app, Visit) == 0 and _count(app, Guest) == 0
