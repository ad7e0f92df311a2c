"""Reminder rules of events (run by beat; each reminder once)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.checklists.models import Task
from ..core.i18n import format_long_d
from ..core.notifications.services import notify, queue_mail
from ..core.reminders import create_once, reminder_rule
from ..core.time import now_utc, today_berlin
from ..core.urls import path_for
from ..extensions import db
from .invitations import reply_link_of
from .models import Event, Guest, GuestStatus
from .workflow import OPEN_STATES, EventState

REPLY_REMINDER_DAYS = 7
EVENT_SOON_DAYS = 7


@reminder_rule("event-reply-deadline")
def remind_open_replies() -> int:
    """A week before the reply deadline: remind guests who have not answered, and tell the officer."""
    today = today_berlin()
    events = db.session.scalars(
        sa.select(Event).where(Event.state == EventState.INVITATIONS_SENT, Event.reply_by.is_not(None),
                               Event.reply_by >= today, Event.reply_by <= today + timedelta(days=REPLY_REMINDER_DAYS))
    ).all()
    created = 0
    for event in events:
        silent = db.session.scalars(
            sa.select(Guest).where(Guest.event_id == event.id, Guest.status == GuestStatus.INVITED.value)
        ).all()
        for guest in silent:
            if guest.email and create_once(f"event-reply:{event.id}:guest:{guest.id}", rule="event-reply-deadline",
                                           target=guest):
                with force_locale(guest.language or "de"):
                    queue_mail(guest.email, _("Reminder: please reply by %(date)s – %(title)s",
                                              date=format_long_d(event.reply_by), title=event.title),
                               render_template("events/reply_reminder_mail.txt", guest=guest, event=event,
                                               link=reply_link_of(guest)), language=guest.language or "de")
                created += 1
        officer = event.responsible_officer
        if officer and silent and create_once(f"event-reply-summary:{event.id}:user:{officer.id}",
                                              rule="event-reply-summary", recipient=officer, target=event):
            count = len(silent)
            notify(officer, lambda e=event, n=count: _l(
                "%(n)s guests of %(reference)s “%(title)s” have not answered yet.",
                n=n, reference=e.reference, title=e.title), link=path_for("events.detail", reference=event.reference,
                                                                         _anchor="guests"),
                subject_factory=lambda e=event, n=count: lazy_ngettext("%(reference)s: %(n)s guest has not answered",
                                                                      "%(reference)s: %(n)s guests have not answered",
                                                                      n, reference=e.reference, n=n))
            created += 1
    return created


@reminder_rule("event-soon-open-tasks")
def remind_event_soon() -> int:
    """A week before an event with open checklist tasks: tell the responsible officer."""
    now = now_utc()
    events = db.session.scalars(
        sa.select(Event).where(Event.state.in_(OPEN_STATES), Event.responsible_officer_id.is_not(None),
                               Event.starts_at > now, Event.starts_at <= now + timedelta(days=EVENT_SOON_DAYS))
    ).all()
    created = 0
    for event in events:
        open_tasks = db.session.scalar(sa.select(sa.func.count(Task.id)).where(
            Task.scope == "event", Task.subject_id == event.id, Task.done_at.is_(None)))
        officer = event.responsible_officer
        if open_tasks and create_once(f"event-soon:{event.id}:user:{officer.id}", rule="event-soon-open-tasks",
                                      recipient=officer, target=event):
            notify(officer, lambda e=event, n=open_tasks: _l(
                "Event %(reference)s “%(title)s” takes place within a week; %(n)s tasks are still open.",
                reference=e.reference, title=e.title, n=n), link=path_for("events.detail", reference=event.reference),
                subject_factory=lambda e=event, n=open_tasks: lazy_ngettext("%(reference)s: within a week, %(n)s task open",
                                                                           "%(reference)s: within a week, %(n)s tasks open",
                                                                           n, reference=e.reference, n=n))
            created += 1
    return created
