"""The register: the list, a grave, its import (with the question about rows already there),
the import template and the public list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.errors import DomainError
from ...core.exports import table_response
from ...core.forms import ConfirmForm, apply_domain_error, form_values
from ...core.front_door import saved
from ...core.import_stash import stash_upload, take_stash
from ...core.listing import choice_arg, paginate
from ...core.permissions import permission_required
from ...core.tabular_import import template_response
from .. import permissions, services
from ..forms import GRAVE_FIELDS, GraveForm, GraveImportForm
from ..models import DISTRICTS, HonoraryGrave
from ..permissions import EDIT, READ
from ..workflow import GraveStatus
from . import bp, door


@bp.route("/")
@permission_required(READ)
def index():
    stmt = sa.select(HonoraryGrave).where(permissions.readable_filter(current_user))
    status = choice_arg("status", GraveStatus)
    district = request.args.get("district")
    if district in DISTRICTS:
        stmt = stmt.where(HonoraryGrave.district == district)
    listing = paginate(stmt, choices={"status": (HonoraryGrave.status, GraveStatus)},
                       sortable={"name": HonoraryGrave.name, "term": HonoraryGrave.term_ends_on,
                                       "cemetery": HonoraryGrave.cemetery, "district": HonoraryGrave.district},
                       default_sort="name", searchable=(HonoraryGrave.name, HonoraryGrave.cemetery))
    return render_template("graves/index.html", listing=listing, statuses=GraveStatus, districts=DISTRICTS,
                           status=status, district=district, internals=permissions.sees_internals(current_user),
                           can_edit=permissions.can_edit(current_user))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    return _edit(None)


@bp.route("/<int:grave_id>", methods=["GET", "POST"])
@permission_required(READ)
def detail(grave_id: int):
    grave = door.load_for_change(grave_id) if request.method == "POST" else door.load(grave_id)
    if not permissions.sees_internals(current_user):
        return render_template("graves/public.html", grave=grave)
    return _edit(grave)


def _edit(grave: HonoraryGrave | None):
    form = GraveForm(obj=grave)
    if grave is not None and request.method == "GET":
        form.version.data = grave.version
    return saved(form, lambda: services.save_grave(grave, form_values(form, *GRAVE_FIELDS), actor=current_user,
                                                   expected_version=form.expected_version() if grave else None),
                 message=_("The honorary grave has been saved."),
                 then=lambda grave: redirect(url_for("graves.detail", grave_id=grave.id))) or render_template("graves/form.html", form=form, grave=grave, can_edit=permissions.can_edit(current_user))


@bp.route("/import", methods=["GET", "POST"])
@permission_required(EDIT)
def import_graves():
    """Upload → stored, or the rows to correct, or (rows already in the register) the question
    whether to leave them out or add them again, answered with the upload kept meanwhile."""
    form = GraveImportForm()
    result, token = None, None
    if request.form.get("token"):  # the answer about the rows already in the register
        if not ConfirmForm().validate_on_submit():
            abort(400)
        data = take_stash(request.form["token"])
        if data is None:
            flash(_("The preview has expired; please upload the file again."), "danger")
            return redirect(url_for("graves.import_graves"))
        filename = request.form.get("filename", "")
        try:
            result = services.import_graves(filename, data, actor=current_user, known=request.form.get("known", ""))
        except DomainError as exc:
            flash(str(exc.message), "danger")
            return redirect(url_for("graves.import_graves"))
    elif form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), upload.filename or ""
        try:
            result = services.import_graves(filename, data, actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if result.ok and not result.stored:
                token = stash_upload(data)
    if result is not None and result.ok and not token:
        flash(ngettext("%(num)d honorary grave imported.", "%(num)d honorary graves imported.", result.stored), "success")
        if result.stored < len(result.rows):
            flash(ngettext("%(num)d row already in the register was left out.",
                           "%(num)d rows already in the register were left out.", len(result.rows) - result.stored),
                  "info")
        return redirect(url_for("graves.index"))
    return render_template("graves/import.html", form=form, result=result, columns=services.import_columns(),
                           token=token, filename=getattr(form.file.data, "filename", "") or request.form.get("filename", ""),
                           confirm=ConfirmForm())


@bp.route("/import/template.<export:fmt>")
@permission_required(EDIT)
def import_template(fmt: str):
    return template_response(services.import_columns(), services.EXAMPLE_ROW, filename="ehrengraeber-vorlage", fmt=fmt)


@bp.route("/public.<export:fmt>")
@permission_required(READ)
def public_list(fmt: str):
    """The public list (name, life dates, cemetery, location) as CSV or XLSX."""
    return table_response([str(h) for h in services.PUBLIC_COLUMNS], services.public_rows(),
                          filename="ehrengrabstaetten", fmt=fmt, sheet_title=_("Honorary graves"))
