"""The directory's part of the JSON API: missions, contacts and venues, searchable, for the
office's neighbours (the Senate's front office, the website's address lists)."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from ..core.api import api_blueprint
from ..core.api.fields import Maybe, Text
from ..core.api.paging import PageArgs, page_of, page_schema
from ..core.listing import search_clause
from ..core.permissions import permission_required
from .models import Contact, Mission, Venue
from .search import READERS

bp = api_blueprint("directory_api", __name__, "directory", "The diplomatic and protocol directory: missions, contacts, venues.")


class SearchArgs(PageArgs):
    q = Text(100, metadata={"description": "Only entries whose name (or organisation) holds this text."})


class MissionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    country_code = ma.fields.String(required=True)
    address = Maybe(ma.fields.String())
    head_of_mission = Maybe(ma.fields.String())
    head_title = Maybe(ma.fields.String())
    phone = Maybe(ma.fields.String())
    email = Maybe(ma.fields.String())


class ContactSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    form_of_address = Maybe(ma.fields.String())
    function = Maybe(ma.fields.String())
    organisation = Maybe(ma.fields.String())
    mission = Maybe(ma.fields.String(attribute="mission.name"))
    category = Maybe(ma.fields.String())
    rank = ma.fields.Integer(required=True)
    email = Maybe(ma.fields.String())
    phone = Maybe(ma.fields.String())
    language = ma.fields.String(required=True)
    postal_address = Maybe(ma.fields.String())
    postal_country_code = Maybe(ma.fields.String())


class VenueSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    building = Maybe(ma.fields.String())
    address = Maybe(ma.fields.String())
    capacity = Maybe(ma.fields.Integer())
    is_active = ma.fields.Boolean(required=True)


def _search(model, args: dict, *columns):
    stmt = sa.select(model)
    if args.get("q"):
        stmt = stmt.where(search_clause(args["q"], columns))  # as the list pages search
    return page_of(stmt.order_by(model.name, model.id), args)


@bp.route("/missions")
@permission_required(*READERS)
@bp.arguments(SearchArgs, location="query")
@bp.response(200, page_schema(MissionSchema, "MissionPage"))
def list_missions(args):
    """The diplomatic and consular missions, by name."""
    return _search(Mission, args, Mission.name)


@bp.route("/contacts")
@permission_required(*READERS)
@bp.arguments(SearchArgs, location="query")
@bp.response(200, page_schema(ContactSchema, "ContactPage"))
def list_contacts(args):
    """The contacts, by name."""
    return _search(Contact, args, Contact.name, Contact.organisation)


@bp.route("/venues")
@permission_required(*READERS)
@bp.arguments(SearchArgs, location="query")
@bp.response(200, page_schema(VenueSchema, "VenuePage"))
def list_venues(args):
    """The venues, by name."""
    return _search(Venue, args, Venue.name, Venue.building)
