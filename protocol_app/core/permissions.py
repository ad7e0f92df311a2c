"""Roles, permissions and the one place that decides who may do what.

Routes declare their access with exactly one of `public`, `login_required_only`
or `permission_required`; a test walks `app.url_map` so that no route is left
without a declaration. Everything not declared public requires login (deny by
default, enforced in `enforce_login`).
"""

from __future__ import annotations

import enum
import functools

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .enums import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin", _l("Administration")
    OFFICER = "officer", _l("Protocol officer")
    MANAGER = "manager", _l("Head of unit / department")
    TRANSLATOR = "translator", _l("Interpreter / translator")
    EMIGRATION = "emigration", _l("Emigrant programme team")
    VIEWER = "viewer", _l("Read-only access")


class Position(LabelledEnum):
    """A post in the hierarchy that some decisions belong to (an honours case's approval steps),
    held by a user and kept by admins; a role says what a user may do, a position which
    manager's decision a step is."""

    HEAD_OF_UNIT = "head_of_unit", _l("Head of unit (Referatsleitung)")
    HEAD_OF_DEPARTMENT = "head_of_department", _l("Head of department (Abteilungsleitung)")


class Permission(enum.Enum):
    """Capabilities from the matrix in DESIGN.md, section 1."""

    VISIT_READ = "visit.read"
    VISIT_READ_CONFIDENTIAL = "visit.read_confidential"
    VISIT_EDIT = "visit.edit"
    VISIT_TRANSITION = "visit.transition"
    DIRECTORY_EDIT = "directory.edit"
    EVENT_READ = "event.read"
    EVENT_EDIT = "event.edit"
    HONOURS_PREPARE = "honours.prepare"
    HONOURS_READ = "honours.read"
    HONOURS_DECIDE = "honours.decide"
    ASSIGNMENT_MANAGE = "assignment.manage"
    #: The staffing board, read only (managers follow what their reminders point to).
    ASSIGNMENT_READ = "assignment.read"
    ASSIGNMENT_ANSWER_OWN = "assignment.answer_own"
    EMIGRANTS_ACCESS = "emigrants.access"
    EMIGRANTS_ERASURE = "emigrants.erasure"
    REPORTS_ALL = "reports.all"
    REPORTS_VISITS = "reports.visits"
    REPORTS_OWN_HOURS = "reports.own_hours"
    REPORTS_EMIGRANTS = "reports.emigrants"
    GRAVES_READ = "graves.read"
    GRAVES_EDIT = "graves.edit"
    GRAVES_DECIDE = "graves.decide"
    GOLDEN_BOOK_READ = "golden_book.read"
    GOLDEN_BOOK_EDIT = "golden_book.edit"
    PARTNERSHIPS_READ = "partnerships.read"
    PARTNERSHIPS_EDIT = "partnerships.edit"
    NEWS_EDIT = "news.edit"
    NEWS_APPROVE = "news.approve"
    ADMIN_USERS = "admin.users"
    ADMIN_REFERENCE = "admin.reference"
    ADMIN_AUDIT = "admin.audit"
    ADMIN_TEMPLATES = "admin.templates"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            P.VISIT_READ,
            P.VISIT_READ_CONFIDENTIAL,
            P.DIRECTORY_EDIT,
            P.EVENT_READ,
            P.EMIGRANTS_ERASURE,
            P.ADMIN_USERS,
            P.ADMIN_REFERENCE,
            P.ADMIN_AUDIT,
            P.ADMIN_TEMPLATES,
        }
    ),
    Role.OFFICER: frozenset(
        {
            P.VISIT_READ,
            P.VISIT_READ_CONFIDENTIAL,
            P.VISIT_EDIT,
            P.VISIT_TRANSITION,
            P.DIRECTORY_EDIT,
            P.EVENT_READ,
            P.EVENT_EDIT,
            P.HONOURS_READ,
            P.HONOURS_PREPARE,
            P.ASSIGNMENT_MANAGE,
            P.ASSIGNMENT_READ,
            P.REPORTS_ALL,
            P.REPORTS_VISITS,
            P.GRAVES_READ,
            P.GRAVES_EDIT,
            P.GOLDEN_BOOK_READ,
            P.GOLDEN_BOOK_EDIT,
            P.PARTNERSHIPS_READ,
            P.PARTNERSHIPS_EDIT,
            P.NEWS_EDIT,
        }
    ),
    Role.MANAGER: frozenset(
        {
            P.VISIT_READ,
            P.VISIT_READ_CONFIDENTIAL,
            P.VISIT_TRANSITION,
            P.EVENT_READ,
            P.HONOURS_READ,
            P.HONOURS_DECIDE,
            P.ASSIGNMENT_READ,
            P.REPORTS_ALL,
            P.REPORTS_VISITS,
            P.GRAVES_READ,
            P.GRAVES_DECIDE,
            P.GOLDEN_BOOK_READ,
            P.PARTNERSHIPS_READ,
            P.NEWS_APPROVE,
        }
    ),
    Role.TRANSLATOR: frozenset({P.ASSIGNMENT_ANSWER_OWN, P.REPORTS_OWN_HOURS}),
    Role.EMIGRATION: frozenset({P.EMIGRANTS_ACCESS, P.REPORTS_EMIGRANTS}),
    Role.VIEWER: frozenset({P.VISIT_READ, P.EVENT_READ, P.REPORTS_VISITS, P.GRAVES_READ,
                                P.GOLDEN_BOOK_READ, P.PARTNERSHIPS_READ}),
}


def permissions_of(roles) -> frozenset[Permission]:
    """Return the union of the permissions of the given roles."""
    result: set[Permission] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(result)


def user_has(user, permission: Permission) -> bool:
    """Tell whether `user` (may be anonymous or None) holds `permission`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return permission in user.permissions


# --- route declarations -----------------------------------------------------------

ACCESS_ATTR = "_protokoll_access"


def whole_list_if(readable: bool):
    """The list filter of a domain whose readers read every record of a list (a WHERE clause)."""
    import sqlalchemy as sa

    return sa.true() if readable else sa.false()


def public(view):
    """Mark a view as reachable without login (login page, health check)."""
    setattr(view, ACCESS_ATTR, "public")
    return view


def login_required_only(view):
    """Mark a view as open to every logged-in user (own profile, dashboard)."""
    setattr(view, ACCESS_ATTR, "authenticated")
    return view


def permission_required(*permissions: Permission):
    """Allow the view only to users holding at least one of `permissions`; else 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not any(user_has(current_user, p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, ("permission", frozenset(permissions)))
        return wrapper

    return decorator


def access_rule_of(app, endpoint: str):
    """Return the access declaration of an endpoint's view, or None if it has none."""
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


#: Endpoints of extensions that serve static assets only.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def is_static_request() -> bool:
    """Whether the request asks for a static file: no login, no session look-up, no sign-in step."""
    return request.endpoint in STATIC_ENDPOINTS


def enforce_login(app):
    """Register the deny-by-default check: everything not public needs a login."""
    login_manager = app.login_manager

    @app.before_request
    def _deny_by_default():
        endpoint = request.endpoint
        if endpoint is None or is_static_request():
            return None
        rule = access_rule_of(app, endpoint)
        if rule == "public":
            return None
        if not current_user.is_authenticated:
            from .api.problems import is_api_request

            if is_api_request():  # a program asking: no redirect to a login page it cannot use
                abort(401, description="Send a valid personal access token as `Authorization: Bearer <token>`.")
            return login_manager.unauthorized()
        if rule is None:
            # A route without a declaration is a programming error: refuse it.
            abort(403)
        return None
