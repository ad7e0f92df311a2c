"""Applying checklist templates and keeping tasks."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ..audit import record_event
from ..db import check_version, transactional
from ..errors import ValidationFailed
from ..time import now_utc, today_berlin
from .models import Anchor, ChecklistTemplate, ChecklistTemplateItem, Task


def templates_for(scope: str, kind: str | None) -> list[ChecklistTemplate]:
    """Templates that fit a record of `scope` and `kind` (kind-specific ones first)."""
    return list(
        db.session.scalars(
            sa.select(ChecklistTemplate)
            .where(
                ChecklistTemplate.scope == scope,
                sa.or_(ChecklistTemplate.kind == kind, ChecklistTemplate.kind.is_(None)),
            )
            .order_by(ChecklistTemplate.kind.is_(None), ChecklistTemplate.name)
        )
    )


def tasks_of(scope: str, subject_id: int) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.scope == scope, Task.subject_id == subject_id)
            .order_by(Task.done_at.is_not(None), Task.due_on, Task.id)
        )
    )


def due_date(item: ChecklistTemplateItem, start: date, end: date) -> date:
    anchor = start if item.anchor == Anchor.START.value else end
    return anchor + timedelta(days=item.offset_days)


@transactional
def apply_template(template, *, scope, subject_id, start: date, end: date, owners: dict, actor) -> int:
    """Create the template's tasks for one record; items applied before are skipped.

    `owners` maps an owner rule ("responsible", "deputy") to a user id.
    """
    if template.scope != scope:
        raise ValidationFailed(_l("This checklist does not fit this record."))
    existing = set(
        db.session.scalars(
            sa.select(Task.template_item_id).where(
                Task.scope == scope, Task.subject_id == subject_id,
                Task.template_item_id.is_not(None),
            )
        )
    )
    created = 0
    for item in template.items:
        if item.id in existing:
            continue
        db.session.add(
            Task(
                scope=scope, subject_id=subject_id, title=item.title,
                # A task is never due before it exists: a checklist applied late starts today,
                # instead of sending its reminders and escalations at once.
                due_on=max(due_date(item, start, end), today_berlin()),
                owner_id=owners.get(item.owner_rule) or owners.get("responsible"),
                template_item_id=item.id,
            )
        )
        created += 1
    db.session.flush()
    record_event(
        f"{scope}.checklist_apply", actor=actor, object_type=scope, object_id=subject_id,
        summary=f"template {template.id}: {created} tasks",
    )
    return created


@transactional
def add_task(*, scope, subject_id, title: str, due_on: date, owner_id, actor) -> Task:
    """Add a single task to a record's checklist."""
    task = Task(scope=scope, subject_id=subject_id, title=title.strip(), due_on=due_on, owner_id=owner_id)
    db.session.add(task)
    db.session.flush()
    record_event(f"{scope}.task_add", actor=actor, target=task,
                 changes={"title": [None, task.title], "due_on": [None, due_on.isoformat()]})
    return task


@transactional
def update_task(task: Task, *, owner_id, due_on: date, actor, expected_version=None, title: str | None = None) -> None:
    """Reassign a task, move its due date or (for a task a record keeps) rename it."""
    check_version(task, expected_version)
    changes = {}
    if title is not None and task.title != title.strip():
        changes["title"] = [task.title, title.strip()]
        task.title = title.strip()
    if task.owner_id != owner_id:
        changes["owner_id"] = [task.owner_id, owner_id]
        task.owner_id = owner_id
    if task.due_on != due_on:
        changes["due_on"] = [task.due_on.isoformat(), due_on.isoformat()]
        task.due_on = due_on
    if changes:
        db.session.flush()
        record_event(f"{task.scope}.task_update", actor=actor, target=task, changes=changes)


@transactional
def set_done(task: Task, done: bool, *, actor) -> None:
    """Tick a task off (or reopen it)."""
    if task.is_done == done:
        return
    task.done_at = now_utc() if done else None
    task.done_by_id = actor.id if done else None
    db.session.flush()
    record_event(f"{task.scope}.task_done" if done else f"{task.scope}.task_reopen",
                 actor=actor, target=task)


# --- templates (admins) ---------------------------------------------------------------

@transactional
def create_template(*, scope: str, kind: str | None, name: str, actor) -> ChecklistTemplate:
    """Create an empty checklist template."""
    template = ChecklistTemplate(scope=scope, kind=kind or None, name=name.strip())
    db.session.add(template)
    db.session.flush()
    record_event("checklist_template.create", actor=actor, target=template,
                 changes={"name": [None, template.name], "kind": [None, template.kind]})
    return template


@transactional
def add_template_item(template: ChecklistTemplate, *, title: str, offset_days: int, anchor: str,
                      owner_rule: str, actor) -> ChecklistTemplateItem:
    """Add a task with its offset to a template."""
    if not -365 <= offset_days <= 365:
        raise ValidationFailed(_l("The offset must lie within a year (−365 to 365 days)."),
                               field="offset_days")
    item = ChecklistTemplateItem(template=template, title=title.strip(), offset_days=offset_days,
                                 anchor=anchor, owner_rule=owner_rule)
    db.session.add(item)
    db.session.flush()
    record_event("checklist_template.item_add", actor=actor, target=template,
                 changes={"item": [None, f"{item.title} ({offset_days:+d} {anchor})"]})
    return item


@transactional
def delete_template_item(item: ChecklistTemplateItem, *, actor) -> None:
    """Remove a task from a template; tasks already created from it stay."""
    record_event("checklist_template.item_delete", actor=actor, target=item.template,
                 changes={"item": [item.title, None]})
    db.session.delete(item)
    db.session.flush()


@transactional
def remove_task(task: Task, *, actor, reason: str | None = None) -> None:
    """Take a task off its record's checklist (a task that lost its purpose, not one done)."""
    record_event(f"{task.scope}.task_remove", actor=actor, target=task,
                 changes={"title": [task.title, None]}, summary=reason)
    db.session.delete(task)
    db.session.flush()
