"""A programme item as the JSON API gives it, for visits and events alike."""

from __future__ import annotations

import marshmallow as ma

from ..core.api.fields import Choice, Maybe
from . import DressCode, PressAccess


class ProgrammeItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    venue = Maybe(ma.fields.String(attribute="venue.name", metadata={"description": "The venue's name."}))
    location = Maybe(ma.fields.String())
    participants = Maybe(ma.fields.String())
    dress_code = Choice(DressCode, required=True)
    press = Choice(PressAccess, required=True)
    notes = Maybe(ma.fields.String())
