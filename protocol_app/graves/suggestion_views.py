"""Pages of the suggestions to recognise a grave: the list, a new one, its statements and the
Senate's decision."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core import workflow
from ..core.errors import DomainError
from ..core.forms import (
    TransitionForm,
    apply_domain_error,
    flash_form_errors,
    form_values,
    take_posted_step,
)
from ..core.listing import paginate
from ..core.permissions import permission_required
from ..extensions import db
from . import permissions, suggestions
from .forms import SUGGESTION_FIELDS, StatementForm, SuggestionDecisionForm, SuggestionForm
from .models import GraveSuggestion
from .permissions import DECIDE, EDIT
from .views import bp
from .workflow import SUGGESTION_WORKFLOW, SuggestionState


@bp.route("/suggestions")
@permission_required(EDIT, DECIDE)
def suggestion_list():
    listing = paginate(sa.select(GraveSuggestion), sortable={"received": GraveSuggestion.received_on,
                                                             "name": GraveSuggestion.name},
                       default_sort="received", default_direction="desc", searchable=(GraveSuggestion.name,))
    return render_template("graves/suggestions.html", listing=listing, can_edit=permissions.can_edit(current_user))


@bp.route("/suggestions/new", methods=["GET", "POST"])
@permission_required(EDIT)
def suggestion_new():
    form = SuggestionForm()
    if form.validate_on_submit():
        try:
            suggestion = suggestions.record_suggestion(form_values(form, *SUGGESTION_FIELDS), actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The suggestion has been recorded."), "success")
            return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))
    return render_template("graves/suggestion_form.html", form=form)


@bp.route("/suggestions/<int:suggestion_id>")
@permission_required(EDIT, DECIDE)
def suggestion(suggestion_id: int):
    suggestion = db.get_or_404(GraveSuggestion, suggestion_id)
    return render_template(
        "graves/suggestion.html", suggestion=suggestion, statement_form=StatementForm(version=suggestion.version),
        transitions=[t for t in SUGGESTION_WORKFLOW.available(suggestion, current_user)
                     if t.action not in ("recognise", "refuse")],
        refusals=SUGGESTION_WORKFLOW.options(suggestion, current_user)[1],
        can_decide=permissions.can_decide(current_user) and suggestion.state == SuggestionState.COUNCIL.value,
        transition_form=TransitionForm(version=suggestion.version),
        decision_form=SuggestionDecisionForm(version=suggestion.version),
        five_years=suggestions.five_years_problem(suggestion) if suggestions.is_undecided(suggestion) else None,
        statement_asked=suggestions.statement_asked(suggestion),
        history=workflow.history(SUGGESTION_WORKFLOW, suggestion.id),
        state_labels={s.value: s.label for s in SuggestionState}, can_edit=permissions.can_edit(current_user))


@bp.route("/suggestions/<int:suggestion_id>/statements", methods=["POST"])
@permission_required(EDIT)
def suggestion_statement(suggestion_id: int):
    suggestion = db.get_or_404(GraveSuggestion, suggestion_id)
    form = StatementForm()
    if form.validate_on_submit():
        try:
            suggestions.add_statement(suggestion, actor=current_user,
                                      by_council=suggestion.state == SuggestionState.COUNCIL.value,
                                      author=form.author.data, received_on=form.received_on.data,
                                      summary=form.summary.data, expected_version=form.expected_version())
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("The statement has been recorded."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))


@bp.route("/suggestions/<int:suggestion_id>/step", methods=["POST"])
@permission_required(EDIT)
def suggestion_step(suggestion_id: int):
    suggestion = db.get_or_404(GraveSuggestion, suggestion_id)
    take_posted_step(suggestion, actions=("ask_departments", "ask_council"))
    return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))


@bp.route("/suggestions/<int:suggestion_id>/decision", methods=["POST"])
@permission_required(DECIDE)
def suggestion_decide(suggestion_id: int):
    suggestion = db.get_or_404(GraveSuggestion, suggestion_id)
    form = SuggestionDecisionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))
    try:
        suggestions.decide(suggestion, form.action.data, actor=current_user, decision_date=form.decision_date.data,
                           decision_reference=form.decision_reference.data, comment=form.comment.data,
                           expected_version=form.expected_version())
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("Done: %(state)s.", state=suggestion.state_label), "success")
    return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))
