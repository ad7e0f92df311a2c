"""Event pages (a package: records, programme, guest list, seating and check-in); the
blueprint and the loaders every page shares."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core import record_parts
from ...core.crud import Column, CrudSpec, register_crud
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from .. import permissions, services
from ..forms import OccasionForm
from ..models import Event, OccasionTemplate
from ..workflow import OPEN_STATES

bp = Blueprint("events", __name__, url_prefix="/events", template_folder="../templates")

register_nav("events.index", _l("Events"), Permission.EVENT_READ, order=15)

READ, EDIT = Permission.EVENT_READ, Permission.EVENT_EDIT


#: The only page of an embargoed event that others may open (it then shows no guests).
_EMBARGO_OPEN = frozenset({"events.detail"})


def _load(reference: str) -> Event:
    event = find_by_reference(Event, reference)
    if event is None:
        abort(404)
    if request.endpoint not in _EMBARGO_OPEN and not permissions.can_see_guests(current_user, event):
        abort(404)  # guest list, seating, letters, attachments, check-in: not before the announcement
    return event


def _load_editable(reference: str) -> Event:
    event = _load(reference)
    if event.state not in OPEN_STATES:
        abort(403)
    return event


def _detail(event: Event, anchor: str | None = None):
    return redirect(url_for("events.detail", reference=event.reference, _anchor=anchor))


record_parts.register_record_parts(bp, services.EVENT_PARTS, load=_load, load_editable=_load_editable)

register_crud(bp, CrudSpec(
    "occasion-templates", OccasionTemplate, OccasionForm, _l("Recurring occasions"), _l("Recurring occasion"),
    [Column("name", _l("Name"), OccasionTemplate.name), Column("kind_label", _l("Kind")),
     Column("date_rule", _l("Date"), OccasionTemplate.month), Column("venue", _l("Usual venue")),
     Column("is_active", _l("Active"))],
    (OccasionTemplate.name,), "date_rule", (READ,), (Permission.ADMIN_TEMPLATES,),
))

from . import guest_list, programme, records, seating_pages  # noqa: E402,F401  (routes on this blueprint)
