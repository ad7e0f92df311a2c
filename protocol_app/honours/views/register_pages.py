"""Pages of the registers of holders: the list per award, deaths and revocations, the
import of earlier holders with a preview, and the quota dashboard."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.errors import DomainError
from ...core.exports import table_response
from ...core.forms import ConfirmForm, apply_domain_error, edit_form
from ...core.front_door import saved
from ...core.import_stash import stash_upload, take_stash
from ...core.listing import paginate, year_range
from ...core.permissions import Permission, permission_required
from ...core.tabular_import import template_response
from .. import permissions, register, reports, services
from ..forms import (
    HolderCorrectionForm,
    HolderDeathForm,
    HolderImportForm,
    RevocationForm,
    StepForm,
    UndoDeathForm,
)
from ..models import Holder
from . import PREPARE, READ, award_types, bp, register_entries


@bp.route("/quotas")
@permission_required(READ)
def quotas():
    return render_template("honours/quotas.html", quotas=register.quotas(services.today()))


@bp.route("/award-types/<int:award_type_id>/holders")
@permission_required(READ)
def holders(award_type_id: int):
    award_type = award_types.load(award_type_id)
    stmt = sa.select(Holder).where(Holder.award_type_id == award_type.id)
    if request.args.get("living") == "1":
        stmt = stmt.where(Holder.died_on.is_(None), Holder.revoked_on.is_(None))
    listing = paginate(stmt, sortable={"number": Holder.number, "name": Holder.name, "awarded": Holder.awarded_on},
                       default_sort="number", default_direction="desc", searchable=(Holder.name,))
    return render_template("honours/holders.html", award_type=award_type, listing=listing,
                           can_prepare=permissions.can_prepare(current_user), death_form=HolderDeathForm(),
                           revocation_form=RevocationForm(), undo_form=UndoDeathForm())


def _holder_action(holder_id: int, form, act, done, invalid):
    """A register action from the holders list: the form checked, the service run, the list again."""
    holder = register_entries.load_for_change(holder_id)
    if form.validate_on_submit():
        try:
            act(holder, form)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(done(holder), "success")
    else:
        flash(invalid, "danger")
    return redirect(url_for("honours.holders", award_type_id=holder.award_type_id))


@bp.route("/holders/<int:holder_id>/death", methods=["POST"])
@permission_required(PREPARE)
def holder_death(holder_id: int):
    return _holder_action(
        holder_id, HolderDeathForm(),
        lambda h, f: services.record_holder_death(h, f.died_on.data, actor=current_user),
        lambda h: _("The death of %(name)s has been recorded.", name=h.name), _("Please enter the date of death."))


@bp.route("/holders/<int:holder_id>/death/undo", methods=["POST"])
@permission_required(PREPARE)
def holder_death_undo(holder_id: int):
    """A death recorded by mistake is taken back, with the reason."""
    return _holder_action(
        holder_id, UndoDeathForm(),
        lambda h, f: services.undo_holder_death(h, actor=current_user, reason=f.reason.data),
        lambda h: _("The date of death of %(name)s has been taken back.", name=h.name),
        _("Please give the reason for taking the date of death back."))


@bp.route("/holders/<int:holder_id>/revoke", methods=["POST"])
@permission_required(PREPARE)
def holder_revoke(holder_id: int):
    return _holder_action(
        holder_id, RevocationForm(),
        lambda h, f: services.revoke(h, actor=current_user, revoked_on=f.revoked_on.data, reason=f.reason.data),
        lambda h: _("The award of %(name)s has been revoked.", name=h.name),
        _("Please enter the date and the reason of the revocation."))


@bp.route("/holders/<int:holder_id>/edit", methods=["GET", "POST"])
@permission_required(PREPARE)
def holder_edit(holder_id: int):
    """Correct a register entry; the reason goes into the audit log with the changed fields."""
    holder = register_entries.load_for_change(holder_id)
    form = edit_form(HolderCorrectionForm, holder)
    return saved(form, lambda: services.correct_holder(holder, actor=current_user, name=form.name.data,
                                                       birth_date=form.birth_date.data, gender=form.gender.data,
                                                       awarded_on=form.awarded_on.data, reason=form.reason.data),
                 message=lambda changed: _("The entry has been corrected.") if changed else _("Nothing was changed."),
                 then=lambda _changed: redirect(url_for("honours.holders", award_type_id=holder.award_type_id))
                 ) or render_template("honours/holder_form.html", holder=holder, form=form)


@bp.route("/award-types/<int:award_type_id>/holders/import", methods=["GET", "POST"])
@permission_required(PREPARE)
def holders_import(award_type_id: int):
    """Upload → preview with every row's errors → confirm; nothing is stored before the confirmation."""
    award_type = award_types.load_for_change(award_type_id)
    form = HolderImportForm()
    result, token = None, None
    if request.form.get("token"):  # the confirmation of a clean preview
        if not ConfirmForm().validate_on_submit():
            abort(400)
        data = take_stash(request.form["token"])
        if data is None:
            flash(_("The preview has expired; please upload the file again."), "danger")
            return redirect(url_for("honours.holders_import", award_type_id=award_type.id))
        result = register.import_holders(award_type, request.form.get("filename", ""), data, actor=current_user)
        if result.ok:
            flash(ngettext("%(n)s holder imported.", "%(n)s holders imported.", len(result.rows), n=len(result.rows)), "success")
            return redirect(url_for("honours.holders", award_type_id=award_type.id))
    elif form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            result = register.check_import(award_type, upload.filename or "", data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if result.ok:
                token = stash_upload(data)
    return render_template("honours/holders_import.html", award_type=award_type, form=form, result=result,
                           token=token, filename=getattr(form.file.data, "filename", ""), confirm=ConfirmForm(),
                           columns=register.columns())


@bp.route("/holders-template.<export:fmt>")
@permission_required(PREPARE)
def holders_template(fmt: str):
    return template_response(register.columns(), register.EXAMPLE_ROW, filename="traegerregister-vorlage",
                          fmt=fmt)


@bp.route("/report")
@permission_required(READ)
def report():
    year_from, year_to = year_range()
    return render_template("honours/report.html", rows=reports.report(year_from, year_to), year_from=year_from,
                           year_to=year_to)


@bp.route("/report.<export:fmt>")
@permission_required(READ)
def report_export(fmt: str):
    year_from, year_to = year_range()
    headers = [_("Year"), _("Award"), _("Women"), _("Men"), _("Diverse"), _("Not stated"), _("Total"),
               _("Median days from suggestion to decision")]
    rows = [(r.year, r.award, r.by_gender["f"], r.by_gender["m"], r.by_gender["d"], r.by_gender["u"], r.total,
             r.median_days) for r in reports.report(year_from, year_to)]
    return table_response(headers, rows, filename=f"ehrungen-{year_from}-{year_to}", fmt=fmt)


@bp.route("/award-types/<int:award_type_id>/steps", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_REFERENCE)
def award_type_steps(award_type_id: int):
    """The approval chain of an award: its ordered steps and the role deciding each."""
    award_type = award_types.load(award_type_id)  # the chain is the admins' (the route's permission)
    form = StepForm()
    if request.method == "POST":
        try:
            if request.form.get("action") == "remove_last":
                if not ConfirmForm().validate_on_submit():
                    abort(400)
                services.remove_last_step(award_type, actor=current_user)
            elif form.validate_on_submit():
                services.add_step(award_type, name=form.name.data, role=form.role.data,
                                  required_position=form.required_position.data or None, actor=current_user)
            else:
                return render_template("honours/steps.html", award_type=award_type, form=form, confirm=ConfirmForm())
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("The approval chain has been saved."), "success")
        return redirect(url_for("honours.award_type_steps", award_type_id=award_type.id))
    return render_template("honours/steps.html", award_type=award_type, form=form, confirm=ConfirmForm())
