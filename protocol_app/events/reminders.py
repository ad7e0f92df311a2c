"""Reminder rules of events (run by beat; each reminder once)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..core.checklists.models import Task
from ..core.notifications.services import notify, queue_written
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc, today_berlin
from ..core.urls import path_for
from ..extensions import db
from . import mail_texts, notices
from .invitations import reply_link_of
from .mail_texts import guest_mail
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
    by_event = {event.id: event for event in events}
    silent: dict[int, list[Guest]] = {event.id: [] for event in events}
    if events:
        for guest in db.session.scalars(sa.select(Guest).where(
                Guest.event_id.in_(by_event), Guest.status == GuestStatus.INVITED.value).order_by(Guest.id)):
            silent[guest.event_id].append(guest)
    reminded = remind_once("event-reply-deadline", [
        (f"event-reply:{guest.event_id}:guest:{guest.id}", None, guest, guest)
        for guests in silent.values() for guest in guests if guest.email])
    for guest in reminded:
        event = by_event[guest.event_id]
        queue_written(guest.email, guest_mail(mail_texts.REPLY_REMINDER, guest, event, link=reply_link_of(guest)),
                      language=guest.language or "de")
    summaries = remind_once("event-reply-summary", [
        (f"event-reply-summary:{event.id}:user:{event.responsible_officer.id}", event.responsible_officer, event, event)
        for event in events if event.responsible_officer and silent[event.id]])
    for event in summaries:
        count = len(silent[event.id])
        notify(event.responsible_officer, notices.GUESTS_SILENT,
               {"reference": event.reference, "title": event.title, "n": count},
               link=path_for("events.detail", reference=event.reference, _anchor="guests"))
    return len(reminded) + len(summaries)


@reminder_rule("event-soon-open-tasks")
def remind_event_soon() -> int:
    """A week before an event with open checklist tasks: tell the responsible officer."""
    now = now_utc()
    events = db.session.scalars(
        sa.select(Event).where(Event.state.in_(OPEN_STATES), Event.responsible_officer_id.is_not(None),
                               Event.starts_at > now, Event.starts_at <= now + timedelta(days=EVENT_SOON_DAYS))
    ).all()
    open_tasks = dict(db.session.execute(
        sa.select(Task.subject_id, sa.func.count(Task.id))
        .where(Task.scope == "event", Task.subject_id.in_([e.id for e in events]), Task.done_at.is_(None))
        .group_by(Task.subject_id)).all()) if events else {}
    created = remind_once("event-soon-open-tasks", [
        (f"event-soon:{event.id}:user:{event.responsible_officer.id}", event.responsible_officer, event, event)
        for event in events if open_tasks.get(event.id)])
    for event in created:
        notify(event.responsible_officer, notices.SOON_WITH_TASKS,
               {"reference": event.reference, "title": event.title, "n": open_tasks[event.id]},
               link=path_for("events.detail", reference=event.reference))
    return len(created)
