"""Reminder rules of the books (run by beat; each reminder once per person and entry)."""

from __future__ import annotations

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import today_berlin
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import BookEntry
from .workflow import EntryState


@reminder_rule("book-entry-unrecorded")
def remind_unrecorded_signings() -> int:
    """A planned entry whose day has passed: the owner of its calligrapher's task, or every
    officer, is asked to record the signing (volume and page) or to withdraw it — once."""
    entries = db.session.scalars(sa.select(BookEntry).where(
        BookEntry.state == EntryState.PLANNED.value, BookEntry.signed_on < today_berlin())).all()
    officers = None
    pairs = []
    for entry in entries:
        owner = entry.calligrapher_task.owner if entry.calligrapher_task else None
        if owner is None or not owner.is_active_account:
            officers = officers if officers is not None else users_with_role(Role.OFFICER)
            recipients = officers
        else:
            recipients = [owner]
        pairs += [(f"book-entry-unrecorded:{entry.id}:{user.id}", user, entry, (user, entry)) for user in recipients]
    due = remind_once("book-entry-unrecorded", pairs)
    for user, entry in due:
        notify(user, notices.SIGNING_TO_RECORD, {"name": entry.signatory, "book": entry.book_label,
                                                 "date": entry.signed_on},
               link=path_for("goldenbook.detail", entry_id=entry.id))
    return len(due)


