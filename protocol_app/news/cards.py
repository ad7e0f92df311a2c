"""The manager's start-page card: press notes waiting for approval."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.permissions import Permission
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .models import NewsNote
from .workflow import NoteState


def notes_to_approve(user) -> list[WorkItem]:
    """Notes in review, the longest waiting first."""
    notes = db.session.scalars(sa.select(NewsNote).where(NewsNote.state == NoteState.IN_REVIEW.value)
                               .order_by(NewsNote.updated_at, NewsNote.id).limit(CARD_LENGTH + 1))
    return [WorkItem(note.title_de, url_for("news.detail", note_id=note.id), when=note.updated_at) for note in notes]


register_work_card("news-approval", title=_l("Press notes to approve"), empty=_l("No press note is waiting."),
                   permission=Permission.NEWS_APPROVE, items=notes_to_approve, more=lambda: url_for("news.index"),
                   order=3)
