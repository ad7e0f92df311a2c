"""The officer's start-page card: what the calendar holds for the next 14 days."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..core.permissions import Permission
from ..core.time import now_utc
from ..core.work_cards import WorkItem, register_work_card
from .sources import entries_for

AHEAD = timedelta(days=14)


def next_two_weeks(user) -> list[WorkItem]:
    """Visits, events, assignments and stays the user may see that begin in the next 14 days
    (running ones too); showing a confidential one is a logged read."""
    now = now_utc()
    return [WorkItem(entry.title, entry.link or url_for("calendar.index"), when=entry.starts_at)
            for entry in entries_for(user, now, now + AHEAD, how="dashboard_read")]


register_work_card("next-two-weeks", title=_l("The next 14 days"), empty=_l("Nothing in the calendar for 14 days."),
                   permission=Permission.VISIT_EDIT, items=next_two_weeks,
                   more=lambda: url_for("calendar.index"), more_label=_l("Calendar"), order=2)
