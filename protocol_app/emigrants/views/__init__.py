"""Pages of the emigrant programme (a package: cases, the week in Berlin, letters, privacy,
the office's settings) — only for the `emigration` role except the volunteer's link page;
every read of an application is logged, and every refused request too."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.audit import record_event
from ...core.front_door import FrontDoor
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from ...extensions import db
from .. import permissions
from ..models import Application

ACCESS = Permission.EMIGRANTS_ACCESS

door = FrontDoor("emigrants", __name__, url_prefix="/emigrants",
                 find=lambda reference: find_by_reference(Application, reference),
                 can_read=permissions.can_read, can_edit=permissions.can_edit)
bp = door.blueprint
register_nav("emigrants.index", _l("Emigrant programme"), ACCESS, order=30)


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
