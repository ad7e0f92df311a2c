"""The visits' part of the JSON API: the visits a token's user may read, with their programme,
and a visit request from a neighbour system (the Senate's front office) — recorded by the same
service and permissions as the page's form."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from marshmallow.validate import Length

from ..core.api import ID, api_blueprint
from ..core.api.fields import Choice, Maybe, Moment, Text
from ..core.api.paging import PageArgs, page_of, page_schema
from ..core.audit import record_read
from ..core.permissions import Permission, permission_required
from ..core.time import is_time_zone
from ..extensions import db
from ..programme.api_schemas import ProgrammeItemSchema
from . import permissions, services
from .models import Visit, VisitKind
from .workflow import VisitState

bp = api_blueprint("visits_api", __name__, "visits", "Visits of state guests and delegations, with their programme.")


class VisitSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    reference = ma.fields.String(required=True, metadata={"description": "The office's reference, e.g. V-2027-0042."})
    title = ma.fields.String(required=True)
    kind = Choice(VisitKind, required=True)
    state = Choice(VisitState, required=True)
    guest_name = ma.fields.String(required=True)
    guest_function = Maybe(ma.fields.String())
    guest_country_code = Maybe(ma.fields.String())
    country_code = Maybe(ma.fields.String())
    partner_city = Maybe(ma.fields.String(attribute="partner_city.name"))
    inviting_side = Maybe(ma.fields.String())
    occasion = Maybe(ma.fields.String())
    arrival_at = ma.fields.AwareDateTime(required=True)
    arrival_place = Maybe(ma.fields.String())
    departure_at = ma.fields.AwareDateTime(required=True)
    departure_place = Maybe(ma.fields.String())
    hotel = Maybe(ma.fields.String())
    languages = ma.fields.List(ma.fields.String(), attribute="language_list", required=True)
    responsible_officer = Maybe(ma.fields.String(attribute="responsible_officer.full_name"))
    is_confidential = ma.fields.Boolean(required=True)
    notes = Maybe(ma.fields.String())
    version = ma.fields.Integer(required=True, metadata={"description": "Rises with every change."})


class VisitWithProgrammeSchema(VisitSchema):
    programme = ma.fields.List(ma.fields.Nested(ProgrammeItemSchema), required=True)


class VisitListArgs(PageArgs):
    state = Choice(VisitState, metadata={"description": "Only visits in this state."})


def _time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ma.ValidationError("Unknown time zone: an IANA name such as Europe/Berlin, please.")


class VisitRequestSchema(ma.Schema):
    """A visit request, as the office's own form takes it (without the officers: the office
    names them when it takes the request up)."""

    class Meta:
        unknown = ma.RAISE

    title = Text(200, required=True)
    kind = Choice(VisitKind, load_default=VisitKind.OTHER.value)
    guest_name = Text(200, required=True)
    guest_function = Text(200)
    guest_form_of_address = Text(100)
    guest_country_code = ma.fields.String(validate=Length(equal=2), metadata={"description": "ISO 3166-1 alpha-2."})
    country_code = ma.fields.String(validate=Length(equal=2), metadata={"description": "ISO 3166-1 alpha-2."})
    inviting_side = Text(200)
    occasion = Text(300)
    arrival_at = Moment(required=True)
    arrival_place = Text(200)
    departure_at = Moment(required=True)
    departure_place = Text(200)
    travel_timezone = ma.fields.String(load_default="Europe/Berlin",
                                       validate=_time_zone,
                                       metadata={"description": "IANA time zone the guest's travel times are given in."})
    hotel = Text(200)
    languages = ma.fields.List(ma.fields.String(validate=Length(equal=2)), load_default=list, validate=Length(max=10),
                               metadata={"description": "ISO 639-1 codes of the guests' languages."})
    is_confidential = ma.fields.Boolean(load_default=False)
    notes = Text(5000)


def _log_confidential(visits) -> None:
    references = [v.reference for v in visits if v.is_confidential]
    if references:
        record_read(current_user, scope="visit", references=references, how="api_read")


@bp.route("")
@permission_required(Permission.VISIT_READ)
@bp.arguments(VisitListArgs, location="query")
@bp.response(200, page_schema(VisitSchema, "VisitPage"))
def list_visits(args):
    """The visits you may read, latest arrival first."""
    stmt = sa.select(Visit).where(permissions.readable_filter(current_user))
    page = page_of(stmt.order_by(Visit.arrival_at.desc(), Visit.id.desc()), args, narrowed_by={"state": Visit.state})
    _log_confidential(page["items"])
    return page


@bp.route(f"/<{ID}:visit_id>")
@permission_required(Permission.VISIT_READ)
@bp.response(200, VisitWithProgrammeSchema)
def get_visit(visit_id: int):
    """One visit with its programme."""
    visit = db.session.get(Visit, visit_id)
    if visit is None or not permissions.can_read(current_user, visit):
        abort(404)
    _log_confidential([visit])
    return visit


@bp.route("", methods=["POST"])
@permission_required(Permission.VISIT_EDIT)
@bp.arguments(VisitRequestSchema)
@bp.response(201, VisitWithProgrammeSchema)
def request_visit(values):
    """Record a visit request (state "requested"); needs the right to plan visits and a token
    that may write."""
    values["languages"] = ",".join(values.pop("languages")) or None
    return services.create_visit(actor=current_user, values=values)
