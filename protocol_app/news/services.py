"""Rules of the press notes: which visit or event may be told of, the draft and its photo, what a
note needs before it is published, and the lists of the office.

Every changing function takes the acting user, runs in one SAVEPOINT and records its audit event;
the steps of the life cycle go through the workflow engine.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..core import workflow
from ..core.audit import record_event
from ..core.crud import save_record
from ..core.db import transactional
from ..core.errors import ConcurrentChangeError, DomainError, ValidationFailed
from ..core.photo_part import PhotoPart
from ..core.webhooks import services as webhooks
from ..extensions import db
from ..programme.occasions import Occasion, occasion_of
from .models import NewsNote
from .workflow import NoteState

NOTE_FIELDS = ("title_de", "title_en", "lead_de", "lead_en", "text_de", "text_en", "photo_credit")
#: What the public reads, by field, for the message of what is still missing.
REQUIRED_PARTS = {
    "title_en": _l("the English title"),
    "lead_de": _l("the German lead"),
    "lead_en": _l("the English lead"),
    "text_de": _l("the German text"),
    "text_en": _l("the English text"),
}


def source_refusal(scope: str | None, subject_id: int | None) -> str | None:
    """Why the visit or event cannot be the source of a press note (None: it can).

    Only visits and events tell the public anything: the emigrant programme, the honours and the
    registers are not sources at all; a confidential visit or an event under embargo (an award
    not yet announced) is refused, and so is anything that has not taken place.
    """
    occasion = occasion_of(scope, subject_id)
    if occasion is None:
        return str(_l("Only a visit or an event can be the source of a press note "
                      "(nothing of the emigrant programme or of the honours is published)."))
    if occasion.not_public:
        return occasion.not_public
    if not occasion.took_place:
        return str(_l("A press note tells of a completed visit or an event that was held; this one has not "
                      "taken place yet."))
    return None


def source_of(scope: str | None, subject_id: int | None) -> Occasion:
    """The visit or event a new note starts from; ValidationFailed says why it cannot be one."""
    refusal = source_refusal(scope, subject_id)
    if refusal is not None:
        raise ValidationFailed(refusal)
    return occasion_of(scope, subject_id)


def note_for(scope: str, subject_id: int) -> NewsNote | None:
    """The note about a visit or event (there is at most one)."""
    return db.session.scalar(sa.select(NewsNote).where(NewsNote.source_scope == scope,
                                                       NewsNote.source_id == subject_id))


@transactional
def create_note(scope: str, subject_id: int, values: dict, *, actor) -> NewsNote:
    """Draft the press note about a visit or event that took place and may be told of."""
    occasion = source_of(scope, subject_id)
    if not (values.get("title_de") or "").strip():
        raise ValidationFailed(_l("Please give the German title."), field="title_de")
    if note_for(scope, subject_id) is not None:
        # The page offered the draft because there was none: another officer was quicker.
        raise ConcurrentChangeError(_l("A press note about this was drafted meanwhile. Please open it."))
    note = NewsNote(source_scope=occasion.scope, source_id=occasion.subject_id, source_label=occasion.label,
                    occasion_on=occasion.day, state=NoteState.DRAFT.value, author_id=actor.id,
                    **{k: (values.get(k) or None) for k in NOTE_FIELDS})
    db.session.add(note)
    try:
        db.session.flush()
    except IntegrityError:
        # Two officers drafted the same note at once: the first one stands.
        raise ConcurrentChangeError(_l("A press note about this was drafted meanwhile. Please open it."))
    workflow.start(note, actor=actor)
    record_event("news_note.create", actor=actor, target=note, summary=note.title_de)
    return note


def _require_draft(note: NewsNote) -> None:
    if note.state != NoteState.DRAFT.value:
        raise DomainError(_l("Only a draft can be changed; a published note is withdrawn and revised first."))


@transactional
def save_note(note: NewsNote, values: dict, *, actor, expected_version=None) -> NewsNote:
    """Change the texts of a draft (a form of an older version is refused)."""
    _require_draft(note)
    values = {k: values.get(k) or None for k in NOTE_FIELDS}
    if not values["title_de"]:
        raise ValidationFailed(_l("Please give the German title."), field="title_de")
    return save_record(note, values, actor=actor, audit_name="news_note", expected_version=expected_version)


#: The note's photo, changed only while the note is a draft.
photo = PhotoPart(audit_name="news_note", check=_require_draft)


def missing_parts(note: NewsNote) -> list:
    """What the note lacks before the public may read it, in words."""
    missing = [label for field, label in REQUIRED_PARTS.items() if not (getattr(note, field) or "").strip()]
    if note.photo_id is not None and not (note.photo_credit or "").strip():
        missing.append(_l("the photo credit"))
    return missing


def list_stmt(state: str | None = None):
    stmt = sa.select(NewsNote)
    if state:
        stmt = stmt.where(NewsNote.state == state)
    return stmt


def occasion_panel(scope: str, subject_id: int, *, reader) -> dict:
    """What a visit's or event's page shows of its press note: the note, and whether one may be
    drafted (only for those who read notes)."""
    from . import permissions

    if not permissions.can_read(reader):
        return {"press_note": None, "may_be_told": False}
    return {"press_note": note_for(scope, subject_id), "may_be_told": source_refusal(scope, subject_id) is None}


def tell_published(note: NewsNote) -> None:
    """The neighbour systems subscribed to it (the Senate's website) hear of the publication."""
    base = current_app.config["BASE_URL"].rstrip("/")
    webhooks.emit("note.published", {
        "id": note.id, "title_de": note.title_de, "title_en": note.title_en, "occasion_on": note.occasion_on,
        "published_at": note.published_at, "feed": f"{base}/public/news/de/feed.atom",
    })
