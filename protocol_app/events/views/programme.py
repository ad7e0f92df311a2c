"""The event's programme items."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from ...core.front_door import acted, part_of
from ...core.permissions import permission_required
from ...programme.pages import programme_item_page
from .. import permissions, services
from ..forms import (
    EventProgrammeItemForm,
)
from ..models import EventProgrammeItem
from . import EDIT, _detail, bp, door


@bp.route("/<reference>/programme/new", methods=["GET", "POST"])
@bp.route("/<reference>/programme/<int:item_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def programme_item(reference: str, item_id: int | None = None):
    event = door.load_for_change(reference)
    item = part_of(EventProgrammeItem, event, item_id, parent="event_id") if item_id is not None else None
    return programme_item_page(event, item, EventProgrammeItemForm, save=services.save_programme_item,
                               then=lambda _item: _detail(event), template="events/programme_form.html", event=event)


@bp.route("/<reference>/programme/<int:item_id>/interpreting", methods=["POST"])
@permission_required(EDIT)
def programme_interpreting(reference: str, item_id: int):
    """Ask the Sprachendienst for the item's interpreter (it sizes the team and offers the job)."""
    event = door.load(reference)
    if not permissions.can_request_interpreting(current_user, event):
        abort(403)
    item = part_of(EventProgrammeItem, event, item_id, parent="event_id")
    return acted(lambda: services.request_interpreting(event, item, actor=current_user),
                 message=_("The Sprachendienst has the request; the interpreters are offered the job from its page."),
                 then=lambda: _detail(event, "programme"))
