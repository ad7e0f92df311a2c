"""The press notes' part of the JSON API: the published notes in both languages (what the
website shows; drafts and notes in review stay with the office)."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, url_for

from ..core.api import api_blueprint
from ..core.api.fields import Maybe
from ..core.api.paging import PageArgs, page_of, page_schema
from ..core.permissions import login_required_only
from .models import NewsNote
from .workflow import NoteState

bp = api_blueprint("news_api", __name__, "notes", "Published press notes of the protocol office.")


class NoteSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    occasion_on = ma.fields.Date(required=True)
    published_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    title_de = ma.fields.String(required=True)
    title_en = Maybe(ma.fields.String())
    lead_de = Maybe(ma.fields.String())
    lead_en = Maybe(ma.fields.String())
    text_de = Maybe(ma.fields.String())
    text_en = Maybe(ma.fields.String())
    photo_url = Maybe(ma.fields.Function(
        lambda note: current_app.config["BASE_URL"].rstrip("/") + url_for("news_public.photo", note_id=note.id)
        if note.photo_id else None, metadata={"type": "string"}))
    photo_credit = Maybe(ma.fields.String())


@bp.route("")
@login_required_only
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_schema(NoteSchema, "NotePage"))
def list_notes(args):
    """The published notes, latest occasion first."""
    stmt = sa.select(NewsNote).where(NewsNote.state == NoteState.PUBLISHED.value)
    return page_of(stmt.order_by(NewsNote.occasion_on.desc(), NewsNote.published_at.desc(), NewsNote.id.desc()), args)
