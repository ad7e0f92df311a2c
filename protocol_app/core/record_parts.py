"""Attachments and checklists of a record (a visit, an event).

One set of models, services, forms and routes; each domain describes its record
type once in a `RecordParts` and registers the routes on its blueprint, so the
endpoints are `<blueprint>.attachment_add`, `<blueprint>.task` and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..extensions import db
from .audit import record_event
from .checklists import services as checklists
from .checklists.models import ChecklistTemplate, Task
from .db import transactional
from .errors import DomainError
from .files import AttachmentMixin, erase_file, send_stored, store_upload  # noqa: F401 (AttachmentMixin: for domains)
from .forms import (
    ConfirmForm,
    PlainTextField,
    VersionedForm,
    apply_domain_error,
    flash_form_errors,
    optional_id,
    required_file,
)
from .permissions import Permission, permission_required
from .time import today_berlin

# --- the description a domain gives ---------------------------------------------------


@dataclass(frozen=True)
class RecordParts:
    """How attachments and checklists attach to one record type."""

    #: "visit", "event": the audit prefix and the tasks' scope.
    scope: str
    attachment_model: type
    #: The attachment's column that points at the record, e.g. "visit_id".
    parent_key: str
    #: record → (first day, last day), the anchors of a checklist's due dates.
    dates: Callable
    #: record → {"responsible": user id, "deputy": user id}.
    owners: Callable
    #: record → None, or raises DomainError when the record may no longer change.
    require_open: Callable
    read_permission: Permission
    edit_permission: Permission
    #: () → [(user id, name)] of who may own a task (given by the domain: core knows no users).
    owner_choices: Callable

    def attachments_of(self, record) -> list:
        model = self.attachment_model
        return list(db.session.scalars(
            sa.select(model).where(getattr(model, self.parent_key) == record.id).order_by(model.id)
        ))

    def templates_for(self, record) -> list[ChecklistTemplate]:
        return checklists.templates_for(self.scope, getattr(record, "kind", None))

    def tasks_of(self, record) -> list[Task]:
        return checklists.tasks_of(self.scope, record.id)


# --- services -------------------------------------------------------------------------


@transactional
def attach_file(parts: RecordParts, record, *, actor, filename: str, data: bytes, description=None):
    """Check and store an upload and attach it to the record."""
    parts.require_open(record)
    stored = store_upload(filename, data, actor=actor)
    attachment = parts.attachment_model(file=stored, description=description, **{parts.parent_key: record.id})
    db.session.add(attachment)
    db.session.flush()
    record_event(f"{parts.scope}.attachment_add", actor=actor, target=record,
                 changes={"attachment": [None, stored.original_name]})
    return attachment


@transactional
def remove_attachment(parts: RecordParts, record, attachment, *, actor) -> None:
    """Delete an attachment and erase its file."""
    parts.require_open(record)
    record_event(f"{parts.scope}.attachment_remove", actor=actor, target=record,
                 changes={"attachment": [attachment.file.original_name, None]})
    stored = attachment.file
    db.session.delete(attachment)
    db.session.flush()
    erase_file(stored)
    db.session.flush()


def apply_checklist(parts: RecordParts, record, template: ChecklistTemplate, *, actor) -> int:
    """Create the dated tasks of a checklist template for the record."""
    parts.require_open(record)
    first, last = parts.dates(record)
    return checklists.apply_template(template, scope=parts.scope, subject_id=record.id, start=first, end=last,
                                     owners=parts.owners(record), actor=actor)


# --- forms ----------------------------------------------------------------------------


class AttachmentForm(FlaskForm):
    file = required_file(_l("File (PDF, DOCX, PNG, JPEG)"))
    description = PlainTextField(_l("Description"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Upload"))


class TaskForm(VersionedForm):
    title = PlainTextField(_l("Task"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    owner_id = SelectField(_l("Owner"), coerce=optional_id, default=0)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, owner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = list(owner_choices)


def page_context(parts: RecordParts, record, *, editable: bool) -> dict:
    """What the record page's attachment and checklist sections need."""
    return {
        "parts_endpoint": request.blueprint,
        "attachments": parts.attachments_of(record),
        "tasks": parts.tasks_of(record),
        "checklist_templates": parts.templates_for(record) if editable else [],
        "attachment_form": AttachmentForm(),
        "task_form": TaskForm(owner_choices=parts.owner_choices()),
        # The checklist marks overdue tasks against the day in Berlin.
        "today": today_berlin(),
    }


# --- routes ---------------------------------------------------------------------------


def register_record_parts(bp, parts: RecordParts, *, load: Callable, load_editable: Callable) -> None:
    """Add the attachment and checklist routes of `parts` to the blueprint `bp`.

    `load` turns a reference into a record the current user may read (else aborts 404),
    `load_editable` into one they may change (else aborts 403/404).
    """

    def back(record, anchor: str):
        return redirect(url_for(f"{bp.name}.detail", reference=record.reference, _anchor=anchor))

    def attachment_of(record, attachment_id: int):
        attachment = db.session.get(parts.attachment_model, attachment_id)
        if attachment is None or getattr(attachment, parts.parent_key) != record.id:
            abort(404)
        return attachment

    def task_of(record, task_id: int) -> Task:
        task = db.session.get(Task, task_id)
        if task is None or task.scope != parts.scope or task.subject_id != record.id:
            abort(404)
        return task

    @permission_required(parts.edit_permission)
    def attachment_add(reference: str):
        record = load_editable(reference)
        form = AttachmentForm()
        if form.validate_on_submit():
            upload = form.file.data
            try:
                attach_file(parts, record, actor=current_user, filename=upload.filename, data=upload.read(),
                            description=form.description.data)
            except DomainError as exc:
                flash(str(exc.message), "danger")
            else:
                flash(_("The file has been attached."), "success")
        else:
            for errors in form.errors.values():
                flash(errors[0], "danger")
        return back(record, "attachments")

    @permission_required(parts.read_permission)
    def attachment_download(reference: str, attachment_id: int):
        stored = attachment_of(load(reference), attachment_id).file
        return send_stored(stored)

    @permission_required(parts.edit_permission)
    def attachment_delete(reference: str, attachment_id: int):
        record = load_editable(reference)
        attachment = attachment_of(record, attachment_id)
        if ConfirmForm().validate_on_submit():
            try:
                remove_attachment(parts, record, attachment, actor=current_user)
            except DomainError as exc:
                flash(str(exc.message), "danger")
            else:
                flash(_("The attachment has been deleted."), "success")
        return back(record, "attachments")

    @permission_required(parts.edit_permission)
    def checklist_apply(reference: str):
        record = load_editable(reference)
        template = db.session.get(ChecklistTemplate, request.form.get("template_id", type=int) or 0)
        if template is None or not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            created = apply_checklist(parts, record, template, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(ngettext("%(n)s task created from the checklist.", "%(n)s tasks created from the checklist.", created,
                           n=created), "success")
        return back(record, "checklist")

    @permission_required(parts.edit_permission)
    def task(reference: str, task_id: int | None = None):
        record = load_editable(reference)
        existing = task_of(record, task_id) if task_id else None
        form = TaskForm(obj=existing, owner_choices=parts.owner_choices())
        if request.method == "GET" and existing is not None:
            form.version.data = existing.version
        if form.validate_on_submit():
            try:
                parts.require_open(record)
                if existing is None:
                    checklists.add_task(scope=parts.scope, subject_id=record.id, title=form.title.data,
                                        due_on=form.due_on.data, owner_id=form.owner_id.data, actor=current_user)
                else:
                    checklists.update_task(existing, owner_id=form.owner_id.data, due_on=form.due_on.data,
                                           actor=current_user, expected_version=form.expected_version())
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                flash(_("The task has been saved."), "success")
                return back(record, "checklist")
        elif request.method == "POST" and existing is None:
            flash_form_errors(form)
            return back(record, "checklist")
        return render_template("record_task_form.html", form=form, record=record, task=existing,
                               back_url=url_for(f"{bp.name}.detail", reference=record.reference,
                                                _anchor="checklist"))

    @permission_required(parts.edit_permission)
    def task_done(reference: str, task_id: int):
        record = load_editable(reference)
        existing = task_of(record, task_id)
        if ConfirmForm().validate_on_submit():
            checklists.set_done(existing, request.form.get("done") == "1", actor=current_user)
        return back(record, "checklist")

    bp.add_url_rule("/<reference>/attachments", view_func=attachment_add, methods=["POST"])
    bp.add_url_rule("/<reference>/attachments/<int:attachment_id>", view_func=attachment_download)
    bp.add_url_rule("/<reference>/attachments/<int:attachment_id>/delete", view_func=attachment_delete,
                    methods=["POST"])
    bp.add_url_rule("/<reference>/checklist", view_func=checklist_apply, methods=["POST"])
    bp.add_url_rule("/<reference>/tasks", view_func=task, methods=["POST"])
    bp.add_url_rule("/<reference>/tasks/<int:task_id>", view_func=task, methods=["GET", "POST"])
    bp.add_url_rule("/<reference>/tasks/<int:task_id>/done", view_func=task_done, methods=["POST"])
