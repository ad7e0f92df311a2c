"""The Sprachendienst's assignments: the coming ones, a new one (with the AIIC team size), an
assignment with its ranked candidates and offers, its change and its cancellation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.errors import DomainError
from ...core.forms import (
    DATETIME_FORMAT,
    ConfirmForm,
    edit_form,
    flash_form_errors,
    local_to_utc,
)
from ...core.front_door import posted, saved
from ...core.languages import language_name
from ...core.permissions import Permission, permission_required
from ...core.time import now_utc
from ...extensions import db
from .. import candidates, offers, permissions, services
from ..forms import (
    AssignmentForm,
    CancelForm,
    ConfirmationForm,
    SourceForm,
)
from ..models import (
    Assignment,
    Offer,
)
from ..workflow import AssignmentState
from . import MANAGE, bp, door


def _back(assignment: Assignment):
    return redirect(url_for("translations.assignment", reference=assignment.reference))


@bp.route("/")
@permission_required(Permission.ASSIGNMENT_READ)
def index():
    """The coming assignments with their staffing state (open, offered, partly staffed, staffed);
    managers read it, the Sprachendienst's officers work from it."""
    upcoming = db.session.scalars(
        sa.select(Assignment).where(permissions.readable_filter(current_user),
                                    Assignment.state != AssignmentState.CANCELLED.value,
                                    sa.func.coalesce(Assignment.starts_at, Assignment.deadline) >= now_utc())
        .order_by(sa.func.coalesce(Assignment.starts_at, Assignment.deadline)).limit(200)).all()
    by_assignment: dict[int, list[Offer]] = {}
    for offer in db.session.scalars(sa.select(Offer).where(Offer.assignment_id.in_([a.id for a in upcoming]))):
        by_assignment.setdefault(offer.assignment_id, []).append(offer)
    rows = [(a, offers.staffing(a, by_assignment.get(a.id, []))) for a in upcoming]
    return render_template("language_service/index.html", rows=rows, row_classes=STAFFING_ROW_CLASSES,
                           can_manage=permissions.can_manage(current_user))


#: How the list marks what still needs staff: nobody asked yet, or places still open.
STAFFING_ROW_CLASSES = {AssignmentState.OPEN.value: "table-danger", AssignmentState.OFFERED.value: "table-warning",
                        AssignmentState.PARTLY_STAFFED.value: "table-warning"}


@bp.route("/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new():
    form = AssignmentForm()
    _propose_team_size(form)
    return saved(form, lambda: services.create_assignment(actor=current_user, values=form.service_values(),
                                                          needed=form.needed.data, team_reason=form.team_reason.data),
                 message=lambda assignment: _("Assignment %(reference)s has been recorded.",
                                              reference=assignment.reference),
                 then=_back) or render_template("language_service/assignment_form.html", form=form)


def _propose_team_size(form: AssignmentForm) -> None:
    """The team size field says what the AIIC rule proposes for the times given (and app.js asks
    `team_size` again while they are typed)."""
    needed, sentence = services.team_size_proposal(form.mode.data, *_typed_times(form.starts_at.data, form.ends_at.data))
    form.needed.description = sentence
    form.needed.render_kw = {"data-team-size": url_for("translations.team_size"), "placeholder": needed}


def _typed_times(*values):
    return [local_to_utc(value, "Europe/Berlin") if value else None for value in values]


@bp.route("/team-size")
@permission_required(MANAGE)
def team_size():
    """The AIIC team size for the mode and times typed so far (JSON, for the request form)."""
    def typed(name):
        try:
            return datetime.strptime(request.args.get(name, ""), DATETIME_FORMAT)
        except ValueError:
            return None

    needed, sentence = services.team_size_proposal(request.args.get("mode"),
                                                   *_typed_times(typed("starts_at"), typed("ends_at")))
    return jsonify(needed=needed, message=sentence)


@bp.route("/<reference>", methods=["GET", "POST"])
@permission_required(MANAGE)
def assignment(reference: str):
    assignment = door.load(reference)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        ids = [int(v) for v in request.form.getlist("profile_id") if v.isdigit()]
        try:
            made = offers.make_offers(assignment, ids, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(ngettext("Offered to %(n)s translator.", "Offered to %(n)s translators.", len(made), n=len(made)), "success")
        return redirect(url_for("translations.assignment", reference=assignment.reference))
    assignment_offers = offers.offers_of(assignment)
    ranked, excluded = candidates.rank(assignment)
    return render_template("language_service/assignment.html", assignment=assignment, offers=assignment_offers,
                           staffing=offers.staffing(assignment, assignment_offers), ranked=ranked,
                           excluded=excluded, confirm=ConfirmForm(), language=language_name,
                           source_form=SourceForm(), confirmation_form=ConfirmationForm(), now=now_utc(),
                           cancel_form=CancelForm(version=assignment.version),
                           can_change=permissions.can_edit(current_user, assignment))


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit(reference: str):
    """Change time, place, title or notes; the translators holding an offer are told."""
    assignment = door.load(reference)
    form = edit_form(AssignmentForm, assignment)
    return saved(form, lambda: services.update_assignment(assignment, actor=current_user, values=form.service_values()),
                 message=lambda changed: _("The assignment has been saved.") if changed else _("Nothing was changed."),
                 then=lambda _changed: _back(assignment)) or render_template("language_service/assignment_form.html", form=form, assignment=assignment)


@bp.route("/<reference>/cancel", methods=["POST"])
@permission_required(MANAGE)
def cancel(reference: str):
    """Cancel with a reason (asked for on the page); booked and asked translators are told."""
    assignment = door.load(reference)
    form = CancelForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("translations.assignment", reference=assignment.reference, _anchor="cancel"))
    return posted(form, lambda: services.cancel_assignment(assignment, actor=current_user, reason=form.reason.data,
                                                           expected_version=form.expected_version()),
                  message=lambda told: ngettext("The assignment has been cancelled; %(num)s translator has been told.",
                                                "The assignment has been cancelled; %(num)s translators have been "
                                                "told.", told),
                  then=lambda: _back(assignment))
