"""Pages of the emigrant programme (a package: cases, the week in Berlin, letters, privacy,
the office's settings) — only for the `emigration` role except the volunteer's link page;
every read of an application is logged, and every refused request too."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.audit import record_event
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from ...extensions import db
from ..models import Application

bp = Blueprint("emigrants", __name__, url_prefix="/emigrants", template_folder="../templates")

ACCESS = Permission.EMIGRANTS_ACCESS

register_nav("emigrants.index", _l("Emigrant programme"), ACCESS, order=30)


def _load(reference: str) -> Application:
    application = find_by_reference(Application, reference)
    if application is None:
        abort(404)
    return application


def _detail(application: Application, anchor: str | None = None):
    return redirect(url_for("emigrants.detail", reference=application.reference, _anchor=anchor))


@bp.errorhandler(403)
def refused(exc):
    """A refused request for anything of the programme is logged, then shown as the usual 403 page."""
    db.session.rollback()
    record_event("emigrants.access_refused", actor=current_user if current_user.is_authenticated else None,
                 summary=f"{request.method} {request.path}"[:200])
    db.session.commit()
    return render_template("errors/403.html"), 403



from . import cases, letter_pages, office, privacy, programme_pages  # noqa: E402,F401  (routes on this blueprint)
