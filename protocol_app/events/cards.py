"""The officer's start-page card of the events area: her tasks for events due within a week or
overdue (the visits' card lists those of visits)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.checklists.models import Task
from ..core.permissions import Permission
from ..core.references import format_reference
from ..core.time import today_berlin
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .models import REFERENCE_PREFIX, Event
from .services import SCOPE

#: Tasks due within this many days count as due.
DUE_WITHIN_DAYS = 7


def event_tasks_due(user) -> list[WorkItem]:
    """The user's open event tasks due within DUE_WITHIN_DAYS or overdue, the oldest first."""
    today = today_berlin()
    rows = db.session.execute(
        sa.select(Task.due_on, Task.title, Event.year, Event.number)
        .join(Event, sa.and_(Task.scope == SCOPE, Task.subject_id == Event.id))
        .where(Task.owner_id == user.id, Task.done_at.is_(None),
               Task.due_on <= today + timedelta(days=DUE_WITHIN_DAYS))
        .order_by(Task.due_on).limit(CARD_LENGTH + 1))
    items = []
    for row in rows:
        reference = format_reference(REFERENCE_PREFIX, row.year, row.number)
        items.append(WorkItem(f"{row.title} · {reference}", url_for("events.detail", reference=reference,
                                                                     _anchor="checklist"),
                              when=row.due_on, note=_("overdue") if row.due_on < today else "",
                              urgent=row.due_on < today))
    return items


register_work_card("event-tasks", title=_l("My event tasks due and overdue"),
                   empty=_l("No event task due this week."), permission=Permission.EVENT_EDIT,
                   items=event_tasks_due, more=lambda: url_for("events.index"), order=3)
