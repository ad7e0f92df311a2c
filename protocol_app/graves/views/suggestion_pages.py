"""The suggestions to recognise a grave: the list, a new one, its statements and the Senate's decision."""

from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import workflow
from ...core.forms import TransitionForm, form_values
from ...core.front_door import posted, saved
from ...core.listing import paginate
from ...core.permissions import permission_required
from .. import permissions, suggestions
from ..forms import SUGGESTION_FIELDS, StatementForm, SuggestionDecisionForm, SuggestionForm
from ..models import GraveSuggestion
from ..permissions import DECIDE, EDIT
from ..workflow import SUGGESTION_WORKFLOW, SuggestionState
from . import bp
from . import suggestions as loaded


def _suggestion_page(suggestion: GraveSuggestion):
    return redirect(url_for("graves.suggestion", suggestion_id=suggestion.id))


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
    return saved(form, lambda: suggestions.record_suggestion(form_values(form, *SUGGESTION_FIELDS), actor=current_user),
                 message=_("The suggestion has been recorded."),
                 then=_suggestion_page) or render_template("graves/suggestion_form.html", form=form)


@bp.route("/suggestions/<int:suggestion_id>")
@permission_required(EDIT, DECIDE)
def suggestion(suggestion_id: int):
    suggestion = loaded.load(suggestion_id)
    return render_template(
        "graves/suggestion.html", suggestion=suggestion, statement_form=StatementForm(version=suggestion.version),
        transitions=[t for t in SUGGESTION_WORKFLOW.available(suggestion, current_user)
                     if t.action not in ("recognise", "refuse")],
        refusals=SUGGESTION_WORKFLOW.options(suggestion, current_user)[1],
        can_decide=permissions.can_decide_suggestion(current_user, suggestion),
        transition_form=TransitionForm(version=suggestion.version),
        decision_form=SuggestionDecisionForm(version=suggestion.version),
        five_years=suggestions.five_years_problem(suggestion) if suggestions.is_undecided(suggestion) else None,
        statement_asked=suggestions.statement_asked(suggestion),
        history=workflow.history(SUGGESTION_WORKFLOW, suggestion.id),
        state_labels={s.value: s.label for s in SuggestionState}, can_edit=permissions.can_edit(current_user))


@bp.route("/suggestions/<int:suggestion_id>/statements", methods=["POST"])
@permission_required(EDIT)
def suggestion_statement(suggestion_id: int):
    suggestion = loaded.load_for_change(suggestion_id)
    form = StatementForm()
    return posted(form, lambda: suggestions.add_statement(
        suggestion, actor=current_user, by_council=suggestion.state == SuggestionState.COUNCIL.value,
        author=form.author.data, received_on=form.received_on.data, summary=form.summary.data,
        expected_version=form.expected_version()),
        message=_("The statement has been recorded."), then=lambda: _suggestion_page(suggestion))


loaded.add_step_route(bp, "/suggestions/<int:suggestion_id>/step", "suggestion_step", permissions=(EDIT,),
                      then=_suggestion_page, actions=("ask_departments", "ask_council"))


@bp.route("/suggestions/<int:suggestion_id>/decision", methods=["POST"])
@permission_required(DECIDE)
def suggestion_decide(suggestion_id: int):
    suggestion = loaded.load(suggestion_id)
    form = SuggestionDecisionForm()
    return posted(form, lambda: suggestions.decide(
        suggestion, form.action.data, actor=current_user, decision_date=form.decision_date.data,
        decision_reference=form.decision_reference.data, comment=form.comment.data,
        expected_version=form.expected_version()),
        message=lambda _step: _("Done: %(state)s.", state=suggestion.state_label),
        then=lambda: _suggestion_page(suggestion))
