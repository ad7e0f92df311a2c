"""Reminder rules of visits (run by beat through core.reminders; each reminder once)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import noload

from ..core.checklists.models import Task
from ..core.i18n import format_d
from ..core.notifications.services import notify
from ..core.reminders import create_reminders, reminder_key, reminder_rule
from ..core.time import BERLIN, now_utc, today_berlin
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import Visit
from .services import SCOPE
from .workflow import OPEN_STATES, VisitState

#: (rule name, days ahead)
START_REMINDERS = (("visit-starts-7d", 7), ("visit-starts-1d", 1))
ESCALATE_AFTER_DAYS = 2
REQUESTED_TOO_LONG_DAYS = 7


def _open_task_counts(visit_ids) -> dict[int, int]:
    """{visit id: open checklist tasks} for the given visits, in one query."""
    if not visit_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Task.subject_id, sa.func.count(Task.id))
        .where(Task.scope == SCOPE, Task.subject_id.in_(visit_ids), Task.done_at.is_(None))
        .group_by(Task.subject_id)).all())


def _link(visit: Visit, anchor: str | None = None) -> str:
    return path_for("visits.detail", reference=visit.reference, _anchor=anchor)


def _remind_start(rule: str, days: int) -> int:
    now = now_utc()
    # Few visits start within a week; their keys carry the arrival day in Berlin, which is
    # worked out here and written in one multi-row insert.
    visits = db.session.scalars(
        sa.select(Visit)
        .where(Visit.state.in_(OPEN_STATES), Visit.responsible_officer_id.is_not(None),
               Visit.arrival_at > now, Visit.arrival_at <= now + timedelta(days=days))
        .options(noload(Visit.hosts))
    ).all()
    by_key = {f"{rule}:{v.id}:{v.arrival_at.astimezone(BERLIN).date().isoformat()}:user:{v.responsible_officer_id}": v
              for v in visits}
    created = create_reminders(rule, [
        {"key": key, "recipient_id": v.responsible_officer_id, "object_type": Visit.__tablename__,
         "object_id": str(v.id)} for key, v in by_key.items()])
    started = [by_key[row.key] for row in created]
    open_tasks = _open_task_counts([v.id for v in started])
    for visit in started:
        arrival_day = visit.arrival_at.astimezone(BERLIN).date()
        n = open_tasks.get(visit.id, 0)
        notify(visit.responsible_officer, notices.STARTS_SOON,
               {"reference": visit.reference, "title": visit.title, "date": arrival_day, "n": n},
               link=_link(visit, "checklist"))
    return len(started)


@reminder_rule("visit-starts-7d")
def remind_start_in_7_days() -> int:
    """Tell the responsible officer a week before a visit, with the open tasks."""
    return _remind_start("visit-starts-7d", 7)


@reminder_rule("visit-starts-1d")
def remind_start_in_1_day() -> int:
    """Tell the responsible officer the day before a visit, with the open tasks."""
    return _remind_start("visit-starts-1d", 1)


def _overdue_candidates(prefix: str, recipient, *conditions) -> sa.Select:
    """Open tasks of open visits past their day, keyed per task, day and recipient."""
    return (
        sa.select(reminder_key(prefix, Task.id, ":", Task.due_on, ":user:", recipient).label("key"),
                  recipient.label("recipient_id"), sa.literal(Task.__tablename__).label("object_type"),
                  sa.cast(Task.id, sa.String).label("object_id"))
        .join(Visit, sa.and_(Task.scope == SCOPE, Task.subject_id == Visit.id))
        .where(Task.done_at.is_(None), Visit.state.in_(OPEN_STATES), recipient.is_not(None), *conditions)
    )


@reminder_rule("visit-task-overdue")
def remind_overdue_tasks() -> int:
    """Remind task owners of overdue tasks; after two more days tell the responsible officer.

    Each task is reminded once (and escalated once); the tasks of one visit that fall due for
    one person together arrive as one notification, not one each. The reminders are made in
    two statements however many tasks are overdue (issue 18: 5,500 of them on the bulk data)."""
    today = today_berlin()
    reminded = create_reminders("visit-task-overdue", _overdue_candidates(
        "task-overdue:", Task.owner_id, Task.due_on < today))
    escalated_rows = create_reminders("visit-task-escalated", _overdue_candidates(
        "task-escalated:", Visit.responsible_officer_id, Task.due_on <= today - timedelta(days=ESCALATE_AFTER_DAYS)))
    task_ids = {int(row.object_id) for row in (*reminded, *escalated_rows)}
    if not task_ids:
        return 0
    rows = db.session.execute(
        sa.select(Task, Visit)
        .join(Visit, sa.and_(Task.scope == SCOPE, Task.subject_id == Visit.id))
        .where(Task.id.in_(task_ids))
        .order_by(Task.due_on, Task.id)
        .options(noload(Visit.hosts))
    ).all()
    reminded_ids = {int(row.object_id) for row in reminded}
    escalated_ids = {int(row.object_id) for row in escalated_rows}
    overdue: dict[tuple, list[Task]] = {}
    escalated: dict[tuple, list[Task]] = {}
    for task, visit in rows:
        if task.id in reminded_ids:
            overdue.setdefault((task.owner, visit), []).append(task)
        if task.id in escalated_ids:
            escalated.setdefault((visit.responsible_officer, visit), []).append(task)
    for (owner, visit), tasks in overdue.items():
        notify(owner, notices.TASKS_OVERDUE, _overdue_values(visit, tasks), link=_link(visit, "checklist"))
    for (officer, visit), tasks in escalated.items():
        notify(officer, notices.TASKS_ESCALATED, _overdue_values(visit, tasks), link=_link(visit, "checklist"))
    return len(reminded) + len(escalated_rows)


def _overdue_values(visit: Visit, tasks: list[Task]) -> dict:
    # The list is written when the notice is, in the recipient's language.
    return {"reference": visit.reference, "n": len(tasks), "tasks": lambda: "; ".join(
        str(_l("“%(task)s” (due %(date)s)", task=t.title, date=format_d(t.due_on))) for t in tasks)}


@reminder_rule("visit-requested-too-long")
def remind_requested_too_long() -> int:
    """Tell the responsible officer when a request has waited more than a week for a decision."""
    limit = now_utc() - timedelta(days=REQUESTED_TOO_LONG_DAYS)
    created = create_reminders("visit-requested-too-long", (
        sa.select(reminder_key("visit-requested:", Visit.id, ":user:", Visit.responsible_officer_id).label("key"),
                  Visit.responsible_officer_id.label("recipient_id"),
                  sa.literal(Visit.__tablename__).label("object_type"), sa.cast(Visit.id, sa.String).label("object_id"))
        .where(Visit.state == VisitState.REQUESTED, Visit.created_at < limit, Visit.responsible_officer_id.is_not(None))
    ))
    if not created:
        return 0
    visits = db.session.scalars(sa.select(Visit).where(Visit.id.in_([int(row.object_id) for row in created]))
                                .options(noload(Visit.hosts))).all()
    for visit in visits:
        notify(visit.responsible_officer, notices.REQUEST_WAITING, {"reference": visit.reference, "title": visit.title},
               link=_link(visit))
    return len(visits)
