"""The events' part of the JSON API: the events with their programme, an event's guest list,
and guests sent by a neighbour system (an Excel-based list) — checked and stored exactly as an
imported file's rows, by the same service and permissions as the import page."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from marshmallow.validate import Length, OneOf, Range

from ..core.api import ID, api_blueprint, problem
from ..core.api.fields import Choice, Maybe, Text
from ..core.api.paging import PageArgs, page_of, page_schema
from ..core.permissions import Permission, permission_required
from ..directory.models import GuestCategory
from ..extensions import db
from ..programme.api_schemas import ProgrammeItemSchema
from . import guest_import, permissions
from .guests import MAX_COMPANIONS, precedence_order
from .models import Event, EventKind, Guest
from .workflow import EventState, GuestStatus

bp = api_blueprint("events_api", __name__, "events", "Events and ceremonies, with their programme and guest lists.")

#: Guests one request may send (a file of the import page holds as many).
MAX_GUESTS = 500


class EventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    reference = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    kind = Choice(EventKind, required=True)
    state = Choice(EventState, required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    venue = Maybe(ma.fields.String(attribute="venue.name"))
    host = Maybe(ma.fields.String(attribute="host.name"))
    responsible_officer = Maybe(ma.fields.String(attribute="responsible_officer.full_name"))
    capacity = Maybe(ma.fields.Integer())
    reply_by = Maybe(ma.fields.Date())
    notes = Maybe(ma.fields.String())
    version = ma.fields.Integer(required=True)


class EventWithProgrammeSchema(EventSchema):
    programme = ma.fields.List(ma.fields.Nested(ProgrammeItemSchema), required=True)


class EventListArgs(PageArgs):
    state = Choice(EventState, metadata={"description": "Only events in this state."})


class GuestSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    function = Maybe(ma.fields.String())
    organisation = Maybe(ma.fields.String())
    category = Maybe(Choice(GuestCategory))
    rank = ma.fields.Integer(required=True)
    email = Maybe(ma.fields.String())
    language = ma.fields.String(required=True)
    companions_allowed = ma.fields.Integer(required=True)
    status = Choice(GuestStatus, required=True)


class GuestRowSchema(ma.Schema):
    """One guest as a row of the import's template, its columns by their keys."""

    class Meta:
        unknown = ma.RAISE

    name = Text(200, required=True)
    address_form = Text(100, data_key="address_form", metadata={"description": "A form of address the office keeps (e.g. Frau, Exzellenz)."})
    function = Text(200)
    organisation = Text(200)
    category = Choice(GuestCategory)
    rank = ma.fields.Integer(strict=True, validate=Range(min=1, max=9999))
    in_office_since = ma.fields.Date()
    email = Text(254)
    language = ma.fields.String(validate=OneOf(["de", "en"]))
    companions = ma.fields.Integer(strict=True, validate=Range(min=0, max=MAX_COMPANIONS))


class GuestListSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    guests = ma.fields.List(ma.fields.Nested(GuestRowSchema), required=True, validate=Length(min=1, max=MAX_GUESTS))


class GuestsAddedSchema(ma.Schema):
    added = ma.fields.Integer(required=True)


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


@bp.route("")
@permission_required(Permission.EVENT_READ)
@bp.arguments(EventListArgs, location="query")
@bp.response(200, page_schema(EventSchema, "EventPage"))
def list_events(args):
    """The events, latest first."""
    stmt = sa.select(Event).where(permissions.readable_filter(current_user))
    return page_of(stmt.order_by(Event.starts_at.desc(), Event.id.desc()), args, narrowed_by={"state": Event.state})


@bp.route(f"/<{ID}:event_id>")
@permission_required(Permission.EVENT_READ)
@bp.response(200, EventWithProgrammeSchema)
def get_event(event_id: int):
    """One event with its programme."""
    return _event(event_id)


@bp.route(f"/<{ID}:event_id>/guests")
@permission_required(Permission.EVENT_READ)
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_schema(GuestSchema, "GuestPage"))
def list_guests(args, event_id: int):
    """An event's guest list by precedence; during an embargo only for the honours team."""
    event = _event(event_id)
    if not permissions.can_see_guests(current_user, event):
        abort(403)
    return page_of(sa.select(Guest).where(Guest.event_id == event.id).order_by(*precedence_order()), args)


@bp.route(f"/<{ID}:event_id>/guests", methods=["POST"])
@permission_required(Permission.EVENT_EDIT)
@bp.arguments(GuestListSchema)
@bp.response(201, GuestsAddedSchema)
def add_guests(body, event_id: int):
    """Put guests on an event's list, checked as the rows of an imported file: with any broken
    row, or a person already on the list, nothing is stored and every row's mistakes are named
    (rows count from 1)."""
    event = _event(event_id)
    if not (permissions.can_edit(current_user, event) and permissions.can_see_guests(current_user, event)):
        abort(403)
    rows = [{**row, "address_form_id": row.pop("address_form", None)} for row in body["guests"]]
    result = guest_import.import_rows(event, rows, actor=current_user)
    if result.errors:
        errors: dict = {}
        for error in result.errors:
            errors.setdefault(str(error.row), {}).setdefault(error.column, []).append(error.message)
        return problem(422, "Some guests were refused; nothing was stored.", errors={"guests": errors})
    return {"added": len(result.rows)}
