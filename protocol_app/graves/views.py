"""Pages of the honorary graves: the register, its import and public list, the renewal list
and the batches for the Senate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..core import workflow
from ..core.errors import DomainError
from ..core.exports import FORMATS, table_response
from ..core.forms import (
    ConfirmForm,
    TransitionForm,
    apply_domain_error,
    flash_form_errors,
    form_values,
    take_posted_step,
)
from ..core.listing import paginate
from ..core.navigation import register_nav
from ..core.pdf import pdf_response, render_pdf
from ..core.permissions import permission_required
from ..core.tabular_import import stash_upload, take_stash, template_rows
from ..extensions import db
from . import permissions, renewals, services
from .forms import GRAVE_FIELDS, BatchDecisionForm, GraveForm, GraveImportForm, ProposalForm
from .models import DISTRICTS, HonoraryGrave, RenewalBatch, RenewalEntry
from .permissions import DECIDE, EDIT, READ
from .workflow import BATCH_WORKFLOW, BatchState, GraveStatus

bp = Blueprint("graves", __name__, url_prefix="/graves", template_folder="templates")
register_nav("graves.index", _l("Honorary graves"), READ, order=55, menu="registers")

#: The office's lists are wider than the public one.
SUBMISSION_HEADERS = (_l("Name"), _l("Life dates"), _l("Cemetery"), _l("Grave location"), _l("District"),
                      _l("Term ends"), _l("Proposal"), _l("Reason"))


@bp.route("/")
@permission_required(READ)
def index():
    stmt = sa.select(HonoraryGrave)
    status = request.args.get("status")
    if status in {s.value for s in GraveStatus}:
        stmt = stmt.where(HonoraryGrave.status == status)
    district = request.args.get("district")
    if district in DISTRICTS:
        stmt = stmt.where(HonoraryGrave.district == district)
    listing = paginate(stmt, sortable={"name": HonoraryGrave.name, "term": HonoraryGrave.term_ends_on,
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
    grave = db.get_or_404(HonoraryGrave, grave_id)
    if request.method == "POST" and not permissions.can_edit(current_user):
        abort(403)
    if not permissions.sees_internals(current_user):
        return render_template("graves/public.html", grave=grave)
    return _edit(grave)


def _edit(grave: HonoraryGrave | None):
    form = GraveForm(obj=grave)
    if grave is not None and request.method == "GET":
        form.version.data = grave.version
    if form.validate_on_submit():
        try:
            saved = services.save_grave(grave, form_values(form, *GRAVE_FIELDS), actor=current_user,
                                        expected_version=form.expected_version() if grave else None)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The honorary grave has been saved."), "success")
            return redirect(url_for("graves.detail", grave_id=saved.id))
    return render_template("graves/form.html", form=form, grave=grave, can_edit=permissions.can_edit(current_user))


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


@bp.route("/import/template.<fmt>")
@permission_required(EDIT)
def import_template(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return table_response(template_rows(services.import_columns()), [services.EXAMPLE_ROW],
                          filename="ehrengraeber-vorlage", fmt=fmt)


@bp.route("/public.<fmt>")
@permission_required(READ)
def public_list(fmt: str):
    """The public list (name, life dates, cemetery, location) as CSV or XLSX."""
    if fmt not in FORMATS:
        abort(404)
    return table_response([str(h) for h in services.PUBLIC_COLUMNS], services.public_rows(),
                          filename="ehrengrabstaetten", fmt=fmt, sheet_title=_("Honorary graves"))


@bp.route("/renewals", endpoint="renewals")
@permission_required(EDIT, DECIDE)
def renewals_page():
    due = db.session.scalars(renewals.due_stmt()).all()
    batches = db.session.scalars(sa.select(RenewalBatch).order_by(RenewalBatch.first_term_end.desc(),
                                                                  RenewalBatch.id.desc()).limit(50)).all()
    return render_template("graves/renewals.html", due=due, horizon=renewals.horizon(), batches=batches,
                           can_edit=permissions.can_edit(current_user), confirm=ConfirmForm())



@bp.route("/batches", methods=["POST"])
@permission_required(EDIT)
def batch_new():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        batch = renewals.start_batch(actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "warning")
        return redirect(url_for("graves.renewals"))
    flash(ngettext("A renewal batch of %(num)d grave has been started.", "A renewal batch of %(num)d graves has been started.",
                   len(batch.entries)), "success")
    return redirect(url_for("graves.batch", batch_id=batch.id))


@bp.route("/batches/<int:batch_id>")
@permission_required(EDIT, DECIDE)
def batch(batch_id: int):
    batch = db.get_or_404(RenewalBatch, batch_id)
    return render_template(
        "graves/batch.html", batch=batch, forms={e.id: ProposalForm(obj=e, version=batch.version) for e in batch.entries},
        **BATCH_WORKFLOW.page_steps(batch, current_user, leave_out=("decide",)),
        may_decide=any(t.action == "decide" for t in BATCH_WORKFLOW.available(batch, current_user)),
        transition_form=TransitionForm(version=batch.version),
        decision_form=BatchDecisionForm(version=batch.version), history=workflow.history(BATCH_WORKFLOW, batch.id),
        state_labels={s.value: s.label for s in BatchState}, can_edit=permissions.can_edit(current_user))


@bp.route("/batches/<int:batch_id>/entries/<int:entry_id>", methods=["POST"])
@permission_required(EDIT)
def batch_propose(batch_id: int, entry_id: int):
    batch = db.get_or_404(RenewalBatch, batch_id)
    entry = db.session.get(RenewalEntry, entry_id)
    if entry is None or entry.batch_id != batch.id:
        abort(404)
    form = ProposalForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("graves.batch", batch_id=batch.id, _anchor=f"entry-{entry.id}"))
    try:
        renewals.propose(entry, actor=current_user, proposal=form.proposal.data, reason=form.reason.data,
                         expected_version=form.expected_version())
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("The proposal for %(name)s has been saved.", name=entry.grave.name), "success")
    return redirect(url_for("graves.batch", batch_id=batch.id, _anchor=f"entry-{entry.id}"))


@bp.route("/batches/<int:batch_id>/step", methods=["POST"])
@permission_required(EDIT, DECIDE)
def batch_step(batch_id: int):
    batch = db.get_or_404(RenewalBatch, batch_id)
    take_posted_step(batch)
    return redirect(url_for("graves.batch", batch_id=batch.id))


@bp.route("/batches/<int:batch_id>/decision", methods=["POST"])
@permission_required(DECIDE)
def batch_decide(batch_id: int):
    batch = db.get_or_404(RenewalBatch, batch_id)
    form = BatchDecisionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("graves.batch", batch_id=batch.id))
    try:
        renewals.decide(batch, actor=current_user, decision_date=form.decision_date.data,
                        decision_reference=form.decision_reference.data, expected_version=form.expected_version())
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("The Senate's decision has been recorded for all %(num)d graves of the batch.", num=len(batch.entries)),
              "success")
    return redirect(url_for("graves.batch", batch_id=batch.id))


@bp.route("/batches/<int:batch_id>/submission.pdf")
@permission_required(EDIT, DECIDE)
def batch_pdf(batch_id: int):
    """The Senate submission: the batch grave by grave with the proposals and reasons."""
    batch = db.get_or_404(RenewalBatch, batch_id)
    data = render_pdf("graves/submission_pdf.html", batch=batch, rows=renewals.submission_rows(batch),
                      headers=SUBMISSION_HEADERS)
    return pdf_response(data, f"senatsvorlage-ehrengraeber-{batch.id}.pdf")


@bp.route("/batches/<int:batch_id>/submission.<fmt>")
@permission_required(EDIT, DECIDE)
def batch_export(batch_id: int, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    batch = db.get_or_404(RenewalBatch, batch_id)
    return table_response([str(h) for h in SUBMISSION_HEADERS], renewals.submission_rows(batch),
                          filename=f"senatsvorlage-ehrengraeber-{batch.id}", fmt=fmt)
