"""The calendar's part of the JSON API: the entries a token's user may see in a window of days
(visits, programme items, events, assignments …, as the calendar page shows them)."""

from __future__ import annotations

from datetime import date, timedelta

import marshmallow as ma
from flask import current_app
from flask_login import current_user
from marshmallow.validate import Range

from ..core.api import api_blueprint
from ..core.api.fields import Maybe
from ..core.permissions import permission_required
from .services import berlin_range
from .sources import READERS, entries_for

bp = api_blueprint("calendar_api", __name__, "calendar", "The calendar of what the token's user may see.")

#: The longest window one request may ask for.
MAX_DAYS = 93


class WindowArgs(ma.Schema):
    start = ma.fields.Date(required=True, data_key="from", validate=Range(min=date(1900, 1, 1), max=date(2199, 1, 1)),
                           metadata={"description": "First day (Berlin), e.g. 2027-05-01."})
    end = ma.fields.Date(required=True, data_key="to", validate=Range(min=date(1900, 1, 1), max=date(2199, 1, 1)),
                         metadata={"description": f"Last day (Berlin), at most {MAX_DAYS} days after the first."})

    @ma.validates_schema
    def _window(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ma.ValidationError("The last day must not be before the first.", field_name="to")
        if data["end"] - data["start"] > timedelta(days=MAX_DAYS - 1):
            raise ma.ValidationError(f"At most {MAX_DAYS} days at once.", field_name="to")


class EntrySchema(ma.Schema):
    uid = ma.fields.String(required=True, metadata={"description": "Stable across changes (the iCalendar UID)."})
    title = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    all_day = ma.fields.Boolean(required=True)
    status = ma.fields.String(required=True, metadata={"description": "CONFIRMED, or TENTATIVE while only requested."})
    sequence = ma.fields.Integer(required=True)
    location = Maybe(ma.fields.String())
    description = Maybe(ma.fields.String())
    url = Maybe(ma.fields.Function(lambda entry: current_app.config["BASE_URL"].rstrip("/") + entry.link
                                   if entry.link else None, metadata={"type": "string"}))


class EntriesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(EntrySchema), required=True)


@bp.route("")
@permission_required(*READERS)
@bp.arguments(WindowArgs, location="query")
@bp.response(200, EntriesSchema)
def list_entries(args):
    """The entries overlapping the days asked for, by start."""
    start, end = berlin_range(args["start"], args["end"])
    return {"items": entries_for(current_user, start, end, how="api_read")}
