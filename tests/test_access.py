"""Deny by default: every route needs a login unless explicitly public, and every
route declares who may use it; the role → permission matrix of DESIGN.md."""

from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter

from protocol_app.core.permissions import (
    ROLE_PERMISSIONS,
    STATIC_ENDPOINTS,
    Permission,
    Role,
    access_rule_of,
)
from tests.api_support import bearer, token_for
from tests.support import csrf_token, login, make_user

#: The only endpoints reachable without login. Adding one here needs a reason.
#: calendar.feed: calendar programs cannot log in; its secret token is the credential.
#: events.reply: invited guests have no account; the personal reply link is the credential.
#: emigrants.volunteer_page: the same for the programme's volunteer companions.
#: news_public.*: the public website reads the published press notes (feed, list, their photos).
#: auth.provider_*: the way to the Land's login and back (its ID token is the credential) and the
#: provider's back-channel logout (its signed logout token is).
PUBLIC_ENDPOINTS = {"auth.login", "core.healthz", "core.readyz", "core.metrics", "core.accessibility", "calendar.feed", "events.reply",
                    "emigrants.volunteer_page", "news_public.feed", "news_public.news_list", "news_public.photo",
                    "auth.provider_sign_in", "auth.provider_callback", "auth.provider_logout",
                    "api-docs.openapi_json", "honours_public.suggest", "honours_public.challenge"}


def _url_for_rule(rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if isinstance(converter, AnyConverter):  # a choice of endings (<export:fmt>): the first
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = 1 if converter.__class__.__name__ in ("IntegerConverter", "NumberConverter") else "x"
    return rule.build(values, append_unknown=False)[1]


def _app_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in STATIC_ENDPOINTS]


def test_every_route_declares_its_access(app):
    undeclared = [r.endpoint for r in _app_rules(app) if access_rule_of(app, r.endpoint) is None]
    assert undeclared == []


def test_only_the_known_endpoints_are_public(app):
    public = {r.endpoint for r in _app_rules(app) if access_rule_of(app, r.endpoint) == "public"}
    assert public == PUBLIC_ENDPOINTS


def test_every_non_public_route_redirects_anonymous_users_to_login(app, client):
    token = csrf_token(client, "/auth/login")
    checked = 0
    for rule in _app_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = _url_for_rule(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            if url.startswith("/api/"):  # a program is told, not sent to a login page
                assert (response.status_code, response.mimetype) == (401, "application/problem+json"), (method, url)
                continue
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/auth/login"), (method, url)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", list(Role))
def test_permission_protected_pages_follow_the_role_matrix(app, role):
    make_user(app, f"{role.value}@example.org", roles=[role.value])
    client = app.test_client()
    login(client, f"{role.value}@example.org")
    # The API hears no session: the same person asks it with a token of theirs.
    api = {"headers": bearer(token_for(app, f"{role.value}@example.org", roles=[role.value]))}
    granted = ROLE_PERMISSIONS[role]
    for rule in _app_rules(app):
        declaration = access_rule_of(app, rule.endpoint)
        if not isinstance(declaration, tuple) or "GET" not in rule.methods:
            continue
        needed = declaration[1]
        url = _url_for_rule(rule)
        status = client.get(url, **(api if url.startswith("/api/") else {})).status_code
        if granted & needed:
            # Allowed: the page, a redirect, or 404/400 for the placeholder ids and formats of
            # the walk (422: the API's query without its required days); never a refusal and
            # never a server error.
            assert status in (200, 302, 400, 404, 422), (role, rule.endpoint, status)
        else:
            assert status == 403, (role, rule.endpoint, status)


def test_navigation_shows_only_what_the_role_may_open(app):
    make_user(app, "viewer@example.org", roles=["viewer"])
    make_user(app, "admin@example.org", roles=["admin"])
    viewer, admin = app.test_client(), app.test_client()
    login(viewer, "viewer@example.org")
    login(admin, "admin@example.org")
    viewer_page = viewer.get("/").get_data(as_text=True)
    admin_page = admin.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in viewer_page
    assert 'href="/admin/users"' in admin_page
    assert 'href="/directory/missions"' in viewer_page


# The matrix of DESIGN.md section 1, cell by cell where it matters most.
P = Permission
EXPECTED = {
    (Role.ADMIN, P.VISIT_EDIT): False,
    (Role.ADMIN, P.HONOURS_READ): False,
    (Role.ADMIN, P.EMIGRANTS_ACCESS): False,
    (Role.ADMIN, P.EMIGRANTS_ERASURE): True,
    (Role.ADMIN, P.ADMIN_USERS): True,
    (Role.OFFICER, P.VISIT_EDIT): True,
    (Role.OFFICER, P.HONOURS_DECIDE): False,
    (Role.OFFICER, P.ASSIGNMENT_MANAGE): True,
    (Role.OFFICER, P.EMIGRANTS_ACCESS): False,
    (Role.MANAGER, P.HONOURS_DECIDE): True,
    (Role.MANAGER, P.VISIT_EDIT): False,
    (Role.MANAGER, P.VISIT_TRANSITION): True,
    (Role.TRANSLATOR, P.VISIT_READ): False,
    (Role.TRANSLATOR, P.ASSIGNMENT_ANSWER_OWN): True,
    (Role.EMIGRATION, P.EMIGRANTS_ACCESS): True,
    (Role.EMIGRATION, P.VISIT_READ): False,
    (Role.VIEWER, P.VISIT_READ): True,
    (Role.VIEWER, P.VISIT_READ_CONFIDENTIAL): False,
    (Role.VIEWER, P.HONOURS_READ): False,
    (Role.VIEWER, P.EVENT_READ): True,
}


@pytest.mark.parametrize(("role", "permission"), list(EXPECTED))
def test_role_matrix_matches_design(role, permission):
    assert (permission in ROLE_PERMISSIONS[role]) is EXPECTED[(role, permission)]


def test_only_admins_administer(app):
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if P.ADMIN_USERS in perms}
    assert holders == {Role.ADMIN}
