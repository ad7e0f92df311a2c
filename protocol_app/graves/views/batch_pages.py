"""The renewal list and the batches for the Senate: proposals, steps, the decision, the submission."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ...core import workflow
from ...core.errors import DomainError
from ...core.exports import table_response
from ...core.forms import ConfirmForm, TransitionForm
from ...core.front_door import part_of, posted
from ...core.pdf import pdf_response, render_pdf
from ...core.permissions import permission_required
from ...extensions import db
from .. import permissions, renewals
from ..forms import BatchDecisionForm, ProposalForm
from ..models import RenewalBatch, RenewalEntry
from ..permissions import DECIDE, EDIT
from ..workflow import BATCH_WORKFLOW, BatchState
from . import batches, bp

#: The office's lists are wider than the public one.
SUBMISSION_HEADERS = (_l("Name"), _l("Life dates"), _l("Cemetery"), _l("Grave location"), _l("District"),
                      _l("Term ends"), _l("Proposal"), _l("Reason"))


def _batch_page(batch: RenewalBatch, anchor: str | None = None):
    return redirect(url_for("graves.batch", batch_id=batch.id, _anchor=anchor))


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
    batch = batches.load(batch_id)
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
    batch = batches.load_for_change(batch_id)
    entry = part_of(RenewalEntry, batch, entry_id, parent="batch_id")
    form = ProposalForm()
    return posted(form, lambda: renewals.propose(entry, actor=current_user, proposal=form.proposal.data,
                                                 reason=form.reason.data, expected_version=form.expected_version()),
                  message=_("The proposal for %(name)s has been saved.", name=entry.grave.name),
                  then=lambda: _batch_page(batch, f"entry-{entry.id}"))


batches.add_step_route(bp, "/batches/<int:batch_id>/step", "batch_step", permissions=(EDIT, DECIDE),
                       then=_batch_page)


@bp.route("/batches/<int:batch_id>/decision", methods=["POST"])
@permission_required(DECIDE)
def batch_decide(batch_id: int):
    batch = batches.load(batch_id)
    form = BatchDecisionForm()
    return posted(form, lambda: renewals.decide(batch, actor=current_user, decision_date=form.decision_date.data,
                                                decision_reference=form.decision_reference.data,
                                                expected_version=form.expected_version()),
                  message=lambda _decided: _("The Senate's decision has been recorded for all %(num)d graves of the "
                                             "batch.", num=len(batch.entries)),
                  then=lambda: _batch_page(batch))


@bp.route("/batches/<int:batch_id>/submission.pdf")
@permission_required(EDIT, DECIDE)
def batch_pdf(batch_id: int):
    """The Senate submission: the batch grave by grave with the proposals and reasons."""
    batch = batches.load(batch_id)
    data = render_pdf("graves/submission_pdf.html", batch=batch, rows=renewals.submission_rows(batch),
                      headers=SUBMISSION_HEADERS)
    return pdf_response(data, f"senatsvorlage-ehrengraeber-{batch.id}.pdf")


@bp.route("/batches/<int:batch_id>/submission.<export:fmt>")
@permission_required(EDIT, DECIDE)
def batch_export(batch_id: int, fmt: str):
    batch = batches.load(batch_id)
    return table_response([str(h) for h in SUBMISSION_HEADERS], renewals.submission_rows(batch),
                          filename=f"senatsvorlage-ehrengraeber-{batch.id}", fmt=fmt)
