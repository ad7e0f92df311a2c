"""Visit pages (a package: the list, the record, its programme and parts, the gifts register,
the reports); the front door every page uses. Thin: load, check permission, validate, call a
service, redirect."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core import record_parts
from ...core.audit import record_read
from ...core.forms import ConfirmForm
from ...core.front_door import FrontDoor, part_of
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from .. import cards as _cards  # noqa: F401 (registers the start-page cards)
from .. import permissions, services
from ..models import Visit

READ = Permission.VISIT_READ
EDIT = Permission.VISIT_EDIT


def _log_confidential_read(visit: Visit) -> None:
    if visit.is_confidential:  # every route that loads a confidential visit logs the read here
        record_read(current_user, target=visit)


door = FrontDoor("visits", __name__, url_prefix="/visits", find=lambda reference: find_by_reference(Visit, reference),
                 can_read=permissions.can_read, can_edit=permissions.can_edit, after_read=_log_confidential_read,
                 closed_meanwhile=_l("This visit was cancelled or closed meanwhile. Please reload it."),
                 may_edit_some=permissions.can_edit)
bp = door.blueprint
register_nav("visits.index", _l("Visits"), Permission.VISIT_READ, order=10)


def log_confidential_shown(visits, how: str = "list_read") -> None:
    """Lists and exports log which confidential visits they showed (references only)."""
    record_read(current_user, scope="visit", references=[v.reference for v in visits if v.is_confidential],
                how=how)


def _detail(visit: Visit, anchor: str | None = None):
    return redirect(url_for("visits.detail", reference=visit.reference, _anchor=anchor))


def _child(model, visit: Visit, child_id: int):
    return part_of(model, visit, child_id, parent="visit_id")


def _delete_child(reference: str, model, child_id: int, delete, message, anchor: str):
    """Delete one part of a visit after the confirmation POST, then show the visit."""
    visit = door.load_for_change(reference)
    child = _child(model, visit, child_id)
    if ConfirmForm().validate_on_submit():
        delete(child, actor=current_user)
        if message:
            flash(str(message), "success")
    return _detail(visit, anchor)


record_parts.register_record_parts(bp, services.VISIT_PARTS, load=door.load, load_editable=door.load_for_change)

from . import gift_register, listing, programme, records, reports  # noqa: E402,F401  (routes on this blueprint)
