"""The event's programme items."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...core.front_door import acted, part_of, saved
from ...core.permissions import permission_required
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
    form = EventProgrammeItemForm(obj=item)
    if request.method == "GET" and item is not None:
        form.load(item)
    conflicts = []
    return saved(form, lambda: services.save_programme_item(
        event, item, actor=current_user, values=form.service_values(), host_ids=form.host_ids.data,
        conflict_reason=form.conflict_reason.data, expected_version=form.expected_version()),
        message=_("The programme item has been saved."), then=lambda _item: _detail(event),
        refused=lambda exc: conflicts.extend(getattr(exc, "conflicts", ()))
    ) or render_template("events/programme_form.html", form=form, event=event, item=item, conflicts=conflicts)


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
