"""Reminder rules of visits (run by beat through core.reminders; each reminder once)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import noload

from ..auth.models import User
from ..core.checklists.models import Task
from ..core.i18n import format_d
from ..core.notifications.services import notify
from ..core.reminders import create_once, reminder_rule
from ..core.time import BERLIN, now_utc, today_berlin
from ..core.urls import path_for
from ..extensions import db
from .models import Visit
from .services import SCOPE
from .workflow import OPEN_STATES, VisitState

#: (rule name, days ahead)
START_REMINDERS = (("visit-starts-7d", 7), ("visit-starts-1d", 1))
ESCALATE_AFTER_DAYS = 2
REQUESTED_TOO_LONG_DAYS = 7


def _open_task_count(visit_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Task.id)).where(
            Task.scope == SCOPE, Task.subject_id == visit_id, Task.done_at.is_(None)
        )
    )


def _link(visit: Visit, anchor: str | None = None) -> str:
    return path_for("visits.detail", reference=visit.reference, _anchor=anchor)


def _remind_start(rule: str, days: int) -> int:
    now = now_utc()
    visits = db.session.scalars(
        sa.select(Visit)
        .where(Visit.state.in_(OPEN_STATES), Visit.responsible_officer_id.is_not(None),
               Visit.arrival_at > now, Visit.arrival_at <= now + timedelta(days=days))
        .options(noload(Visit.hosts))
    ).all()
    created = 0
    for visit in visits:
        officer = visit.responsible_officer
        arrival_day = visit.arrival_at.astimezone(BERLIN).date()
        key = f"{rule}:{visit.id}:{arrival_day.isoformat()}:user:{officer.id}"
        if create_once(key, rule=rule, recipient=officer, target=visit):
            open_tasks = _open_task_count(visit.id)
            notify(officer, lambda v=visit, n=open_tasks, d=arrival_day: _l(
                "Visit %(reference)s “%(title)s” starts on %(date)s; %(n)s checklist tasks are still open.",
                reference=v.reference, title=v.title, date=format_d(d), n=n), link=_link(visit, "checklist"),
                subject_factory=lambda v=visit, d=arrival_day: _l("%(reference)s: the visit starts on %(date)s",
                                                                  reference=v.reference, date=format_d(d)))
            created += 1
    return created


@reminder_rule("visit-starts-7d")
def remind_start_in_7_days() -> int:
    """Tell the responsible officer a week before a visit, with the open tasks."""
    return _remind_start("visit-starts-7d", 7)


@reminder_rule("visit-starts-1d")
def remind_start_in_1_day() -> int:
    """Tell the responsible officer the day before a visit, with the open tasks."""
    return _remind_start("visit-starts-1d", 1)


@reminder_rule("visit-task-overdue")
def remind_overdue_tasks() -> int:
    """Remind task owners of overdue tasks; after two more days tell the responsible officer.

    Each task is reminded once (and escalated once); the tasks of one visit that fall due for
    one person together arrive as one notification, not one each."""
    today = today_berlin()
    rows = db.session.execute(
        sa.select(Task, Visit)
        .join(Visit, sa.and_(Task.scope == SCOPE, Task.subject_id == Visit.id))
        .where(Task.done_at.is_(None), Task.due_on < today, Visit.state.in_(OPEN_STATES))
        .order_by(Task.due_on, Task.id)
        .options(noload(Visit.hosts))
    ).all()
    overdue: dict[tuple, list[Task]] = {}
    escalated: dict[tuple, list[Task]] = {}
    for task, visit in rows:
        if task.owner is not None and create_once(
            f"task-overdue:{task.id}:{task.due_on.isoformat()}:user:{task.owner_id}",
            rule="visit-task-overdue", recipient=task.owner, target=task,
        ):
            overdue.setdefault((task.owner, visit), []).append(task)
        officer_id = visit.responsible_officer_id
        if officer_id and task.due_on <= today - timedelta(days=ESCALATE_AFTER_DAYS) and create_once(
            f"task-escalated:{task.id}:{task.due_on.isoformat()}:user:{officer_id}",
            rule="visit-task-escalated", recipient=visit.responsible_officer, target=task,
        ):
            escalated.setdefault((visit.responsible_officer, visit), []).append(task)
    for (owner, visit), tasks in overdue.items():
        notify(owner, lambda ts=tasks, v=visit: _l(
            "Overdue for visit %(reference)s: %(tasks)s.", reference=v.reference, tasks=_task_list(ts)),
            link=_link(visit, "checklist"),
            subject_factory=lambda ts=tasks, v=visit: _l("%(reference)s: %(n)s checklist tasks overdue",
                                                         reference=v.reference, n=len(ts)))
    for (officer, visit), tasks in escalated.items():
        notify(officer, lambda ts=tasks, v=visit: _l(
            "Escalation: overdue for visit %(reference)s for more than two days: %(tasks)s.",
            reference=v.reference, tasks=_task_list(ts)), link=_link(visit, "checklist"),
            subject_factory=lambda ts=tasks, v=visit: _l("%(reference)s: escalation, %(n)s checklist tasks overdue",
                                                         reference=v.reference, n=len(ts)))
    return sum(len(ts) for ts in overdue.values()) + sum(len(ts) for ts in escalated.values())


def _task_list(tasks: list[Task]) -> str:
    return "; ".join(str(_l("“%(task)s” (due %(date)s)", task=t.title, date=format_d(t.due_on))) for t in tasks)


@reminder_rule("visit-requested-too-long")
def remind_requested_too_long() -> int:
    """Tell the responsible officer when a request has waited more than a week for a decision."""
    limit = now_utc() - timedelta(days=REQUESTED_TOO_LONG_DAYS)
    visits = db.session.scalars(
        sa.select(Visit)
        .where(Visit.state == VisitState.REQUESTED, Visit.created_at < limit, Visit.responsible_officer_id.is_not(None))
        .options(noload(Visit.hosts))
    ).all()
    created = 0
    for visit in visits:
        officer: User = visit.responsible_officer
        if create_once(f"visit-requested:{visit.id}:user:{officer.id}", rule="visit-requested-too-long",
                       recipient=officer, target=visit):
            notify(officer, lambda v=visit: _l(
                "Visit request %(reference)s “%(title)s” has been waiting for more than a week.",
                reference=v.reference, title=v.title), link=_link(visit),
                subject_factory=lambda v=visit: _l("%(reference)s: request waiting for a decision",
                                                   reference=v.reference))
            created += 1
    return created
