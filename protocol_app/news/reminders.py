"""Reminder rules of the press notes (run by beat; each reminder once per person and note)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import NewsNote
from .workflow import NoteState

#: A note waiting this long for approval is overdue: news are news only for a few days.
REVIEW_WAIT = timedelta(days=2)


@reminder_rule("news-review-waiting")
def remind_waiting_notes() -> int:
    """A note in review for two days: every manager, once per note."""
    waiting = list(db.session.scalars(sa.select(NewsNote).where(
        NewsNote.state == NoteState.IN_REVIEW.value, NewsNote.updated_at <= now_utc() - REVIEW_WAIT)))
    managers = users_with_role(Role.MANAGER)
    due = remind_once("news-review-waiting", [
        (f"news-review-waiting:{note.id}:{note.version}:{manager.id}", manager, note, (manager, note))
        for note in waiting for manager in managers])
    for manager, note in due:
        notify(manager, notices.NOTE_WAITING, {"title": note.title_de}, link=path_for("news.detail", note_id=note.id))
    return len(due)
