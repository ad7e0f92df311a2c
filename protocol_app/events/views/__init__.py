"""Event pages (a package: records, programme, guest list, seating and check-in); the
blueprint and the loaders every page shares."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ...core import record_parts
from ...core.crud import Column, CrudSpec, register_crud
from ...core.front_door import FrontDoor
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from .. import permissions, services
from ..forms import OccasionForm
from ..models import Event, OccasionTemplate

READ, EDIT = Permission.EVENT_READ, Permission.EVENT_EDIT

#: The only page of an embargoed event that others may open (it then shows no guests).
_EMBARGO_OPEN = frozenset({"events.detail"})


def _may_open(user, event: Event) -> bool:
    """The event's read rule, and during an embargo its guest list, seating, letters, attachments
    and check-in only for the honours roles (not before the announcement)."""
    return permissions.can_read(user, event) and (
        request.endpoint in _EMBARGO_OPEN or permissions.can_see_guests(user, event))


door = FrontDoor("events", __name__, url_prefix="/events", find=lambda reference: find_by_reference(Event, reference),
                 can_read=_may_open, can_edit=permissions.can_edit)
bp = door.blueprint
register_nav("events.index", _l("Events"), Permission.EVENT_READ, order=15)


def _detail(event: Event, anchor: str | None = None):
    return redirect(url_for("events.detail", reference=event.reference, _anchor=anchor))


record_parts.register_record_parts(bp, services.EVENT_PARTS, load=door.load, load_editable=door.load_for_change)

register_crud(bp, CrudSpec(
    "occasion-templates", OccasionTemplate, OccasionForm, _l("Recurring occasions"), _l("Recurring occasion"),
    [Column("name", _l("Name"), OccasionTemplate.name), Column("kind_label", _l("Kind")),
     Column("date_rule", _l("Date"), OccasionTemplate.month), Column("venue", _l("Usual venue")),
     Column("is_active", _l("Active"))],
    (OccasionTemplate.name,), "date_rule", (READ,), (Permission.ADMIN_TEMPLATES,),
))

from . import guest_list, programme, records, seating_pages  # noqa: E402,F401  (routes on this blueprint)
