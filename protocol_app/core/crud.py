"""List, create and edit pages for simple reference tables (missions, venues,
hosts, …), declared once per table instead of written out per domain."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .audit import changes_of, record_event
from .db import check_version, transactional
from .errors import DomainError, ValidationFailed
from .forms import apply_domain_error
from .listing import paginate
from .permissions import Permission, permission_required, user_has


@dataclass(frozen=True)
class Column:
    attr: str
    label: object
    sort: object = None  # a column expression to sort by, or None


@dataclass
class CrudSpec:
    name: str
    model: type
    form: type
    title: object
    singular: object
    columns: list[Column]
    searchable: tuple
    default_sort: str
    read_permissions: tuple[Permission, ...]
    edit_permissions: tuple[Permission, ...]
    #: Template included above the list (e.g. the directory's tabs).
    tabs_template: str | None = None
    #: Template shown beside the form of an existing record (e.g. links to its parts).
    record_template: str | None = None
    #: Template of further buttons beside the list's heading (e.g. import and export).
    actions_template: str | None = None

    def can_edit(self, user) -> bool:
        return self.form is not None and any(user_has(user, p) for p in self.edit_permissions)


@transactional
def save_record(record, values: dict, *, actor, audit_name: str, expected_version: int | None = None,
                summary: str | None = None):
    """Create or update a record from form values, audited as `<audit_name>.create|update`.

    A record without an id yet is added; an existing one saved from a form of an older version
    is refused (ConcurrentChangeError) before anything is written.
    """
    is_new = record.id is None if hasattr(record, "id") else False
    if not is_new:
        check_version(record, expected_version)
    for key, value in values.items():
        setattr(record, key, value)
    changes = changes_of(record)
    if is_new:
        db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        raise ValidationFailed(_l("An entry with these values exists already."))
    if changes:
        record_event(
            f"{audit_name}.{'create' if is_new else 'update'}",
            actor=actor,
            target=record,
            summary=summary,
            changes=changes,
        )
    return record


def register_crud(bp, spec: CrudSpec) -> None:
    """Add list (/<name>), new (/<name>/new) and edit (/<name>/<id>) routes to `bp`."""
    endpoint = f"{spec.name.replace('-', '_')}_"
    audit_name = f"{bp.name}.{spec.name}"

    def list_view():
        sortable = {c.attr: c.sort for c in spec.columns if c.sort is not None}
        listing = paginate(
            sa.select(spec.model),
            sortable=sortable,
            default_sort=spec.default_sort,
            searchable=spec.searchable,
        )
        return render_template(
            "crud/list.html", spec=spec, listing=listing, can_edit=spec.can_edit(current_user),
            endpoint_prefix=f"{bp.name}.{endpoint}",
        )

    def form_view(record_id=None):
        record = None
        if record_id is not None:
            record = db.session.get(spec.model, record_id)
            if record is None:
                abort(404)
        form = spec.form(obj=record)
        if form.validate_on_submit():
            # A form may shape its values for the model itself (e.g. a list kept as text).
            values = form.crud_values() if hasattr(form, "crud_values") else {
                name: fld.data
                for name, fld in form._fields.items()
                if name not in ("csrf_token", "submit")
            }
            try:
                saved = save_record(
                    record if record is not None else spec.model(),
                    values,
                    actor=current_user,
                    audit_name=audit_name,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for(f"{bp.name}.{endpoint}edit", record_id=saved.id))
        return render_template(
            "crud/form.html", spec=spec, form=form, record=record,
            endpoint_prefix=f"{bp.name}.{endpoint}",
        )

    list_view.__name__ = f"{endpoint}list"
    bp.add_url_rule(
        f"/{spec.name}", f"{endpoint}list",
        permission_required(*spec.read_permissions)(list_view),
    )
    if spec.form is None:  # read-only table
        return
    bp.add_url_rule(
        f"/{spec.name}/new", f"{endpoint}new",
        permission_required(*spec.edit_permissions)(form_view), methods=["GET", "POST"],
    )
    bp.add_url_rule(
        f"/{spec.name}/<int:record_id>", f"{endpoint}edit",
        permission_required(*spec.edit_permissions)(form_view), methods=["GET", "POST"],
    )
