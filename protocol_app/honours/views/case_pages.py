"""The confidential cases: the list, a case with its parts and decision panel, the manager's desk."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...core import record_parts, workflow
from ...core.errors import DomainError
from ...core.exports import table_response
from ...core.forms import ConfirmForm, apply_domain_error, edit_form
from ...core.front_door import acted, part_of, posted, saved
from ...core.listing import paginate
from ...core.permissions import permission_required
from ...core.time import now_utc
from ...extensions import db
from .. import permissions, rules, services
from ..forms import (
    CaseForm,
    DecisionForm,
    DisclosureForm,
    HolderDeathForm,
    MeritForm,
    StatementForm,
    StatementReceivedForm,
    UndoDeathForm,
)
from ..models import AwardType, Merit, Nomination, Statement
from ..workflow import NOMINATION_WORKFLOW, NominationState
from . import DECIDE, PREPARE, READ, _detail, bp, door, log_cases_shown


@bp.route("/")
@permission_required(READ)
def index():
    stmt = sa.select(Nomination).where(permissions.readable_filter(current_user))
    if request.args.get("award", "").isdigit():
        stmt = stmt.where(Nomination.award_type_id == int(request.args["award"]))
    listing = paginate(stmt, choices={"state": (Nomination.state, NominationState)}, sortable={"reference": (Nomination.year, Nomination.number),
                                       "nominee": Nomination.nominee_name, "state": Nomination.state,
                                       "award_date": Nomination.award_date},
                       default_sort="reference", default_direction="desc",
                       searchable=(Nomination.nominee_name, Nomination.suggested_by))
    awards = db.session.scalars(sa.select(AwardType).order_by(AwardType.name)).all()
    log_cases_shown(listing.items)
    return render_template("honours/index.html", listing=listing, states=NominationState, awards=awards,
                           can_create=permissions.can_prepare(current_user))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(PREPARE)
def new():
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = services.create_case(actor=current_user, values=form.service_values())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Case %(reference)s has been recorded.", reference=case.reference), "success")
            return _detail(case)
    return render_template("honours/form.html", form=form, case=None)


@bp.route("/<reference>")
@permission_required(READ)
def detail(reference: str):
    case = door.load(reference)
    editable = permissions.can_edit(current_user, case)
    transitions, blocked = NOMINATION_WORKFLOW.options(case, current_user)
    return render_template(
        "honours/detail.html", case=case, editable=editable, transitions=transitions, blocked=blocked,
        rule_results=rules.check_rules(case, services.today()), history=workflow.history(NOMINATION_WORKFLOW, case.id),
        state_labels={s.value: s.label for s in NominationState}, decision_form=DecisionForm(version=case.version),
        merit_form=MeritForm(), statement_form=StatementForm(), received_form=StatementReceivedForm(),
        disclosure_form=DisclosureForm(), confirm=ConfirmForm(), four_eyes=services.involvement(case, current_user),
        can_prepare=permissions.can_prepare(current_user), death_form=HolderDeathForm(), undo_form=UndoDeathForm(),
        **record_parts.page_context(services.NOMINATION_PARTS, case, editable=editable),
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(PREPARE)
def edit(reference: str):
    case = door.load_for_change(reference)
    form = edit_form(CaseForm, case)
    return saved(form, lambda: services.update_case(case, actor=current_user, values=form.service_values(),
                                                    expected_version=form.expected_version()),
                 message=_("The case has been saved."), then=lambda _changed: _detail(case)
                 ) or render_template("honours/form.html", form=form, case=case)


#: The service function behind each decision button.
STEPS = {
    "submit": lambda case, form: services.submit(case, actor=current_user, expected_version=form.expected_version()),
    "start_review": lambda case, form: services.start_review(case, actor=current_user,
                                                             expected_version=form.expected_version()),
    "forward": lambda case, form: services.forward(case, actor=current_user, expected_version=form.expected_version()),
    "return_to_draft": lambda case, form: services.return_to_draft(
        case, actor=current_user, comment=form.comment.data, expected_version=form.expected_version()),
    "approve": lambda case, form: services.approve_step(
        case, actor=current_user, comment=form.comment.data, expected_version=form.expected_version()),
    "return": lambda case, form: services.return_step(
        case, actor=current_user, comment=form.comment.data, expected_version=form.expected_version()),
    "record_approval": lambda case, form: services.record_decision(
        case, actor=current_user, approved=True, decision_date=form.decision_date.data,
        decision_reference=form.decision_reference.data, comment=form.comment.data,
        expected_version=form.expected_version()),
    "record_rejection": lambda case, form: services.record_decision(
        case, actor=current_user, approved=False, decision_date=form.decision_date.data,
        decision_reference=form.decision_reference.data, comment=form.comment.data,
        expected_version=form.expected_version()),
    "schedule_ceremony": lambda case, form: services.schedule_ceremony(
        case, actor=current_user, expected_version=form.expected_version()),
    "mark_awarded": lambda case, form: services.mark_awarded(
        case, actor=current_user, expected_version=form.expected_version()),
    "withdraw": lambda case, form: services.withdraw(case, actor=current_user, comment=form.comment.data,
                                                     expected_version=form.expected_version()),
}


@bp.route("/<reference>/decide", methods=["POST"])
@permission_required(READ)
def decide(reference: str):
    """Take a step of the case; the service checks role, four-eyes rule, rules and version."""
    case = door.load(reference)
    form = DecisionForm()
    step = STEPS.get(request.form.get("action", ""))
    if step is None or not form.validate_on_submit():
        abort(400)
    try:
        step(case, form)
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("New status: %(state)s", state=case.state_label), "success")
    return _detail(case)


@bp.route("/<reference>/merits", methods=["POST"])
@permission_required(PREPARE)
def merit_add(reference: str):
    case, form = door.load_for_change(reference), MeritForm()
    return posted(form, lambda: services.add_merit(case, actor=current_user, description=form.description.data,
                                                   date_from=form.date_from.data, date_to=form.date_to.data),
                  message=None, then=lambda: _detail(case, "merits"))


@bp.route("/<reference>/merits/<int:merit_id>/delete", methods=["POST"])
@permission_required(PREPARE)
def merit_delete(reference: str, merit_id: int):
    case = door.load_for_change(reference)
    merit = part_of(Merit, case, merit_id, parent="nomination_id")
    return acted(lambda: services.remove_merit(merit, actor=current_user), message=None,
                 then=lambda: _detail(case, "merits"))


@bp.route("/<reference>/statements", methods=["POST"])
@permission_required(PREPARE)
def statement_add(reference: str):
    case, form = door.load(reference), StatementForm()
    return posted(form, lambda: services.request_statement(case, actor=current_user, from_whom=form.from_whom.data,
                                                           requested_on=form.requested_on.data),
                  message=None, then=lambda: _detail(case, "statements"))


@bp.route("/<reference>/statements/<int:statement_id>/received", methods=["POST"])
@permission_required(PREPARE)
def statement_received(reference: str, statement_id: int):
    case, form = door.load(reference), StatementReceivedForm()
    statement = part_of(Statement, case, statement_id, parent="nomination_id")

    def receive():
        upload = form.file.data
        return services.receive_statement(statement, actor=current_user, received_on=form.received_on.data,
                                          filename=getattr(upload, "filename", None),
                                          data=upload.read() if upload else None)

    return posted(form, receive, message=None, then=lambda: _detail(case, "statements"))


@bp.route("/<reference>/death", methods=["POST"])
@permission_required(PREPARE)
def death(reference: str):
    """The nominee died during the procedure: the rule check shows it at once."""
    case, form = door.load(reference), HolderDeathForm()
    return posted(form, lambda: services.record_death(case, form.died_on.data, actor=current_user),
                  message=None, then=lambda: _detail(case, "top"))


@bp.route("/<reference>/death/undo", methods=["POST"])
@permission_required(PREPARE)
def death_undo(reference: str):
    """A death recorded by mistake is taken back, with the reason."""
    case, form = door.load(reference), UndoDeathForm()
    return posted(form, lambda: services.undo_death(case, actor=current_user, reason=form.reason.data),
                  message=None, then=lambda: _detail(case, "top"))


@bp.route("/<reference>/disclosures", methods=["POST"])
@permission_required(PREPARE)
def disclosure_add(reference: str):
    case, form = door.load(reference), DisclosureForm()
    return posted(form, lambda: services.add_disclosure(case, actor=current_user, text=form.text.data,
                                                        delete_on=form.delete_on.data),
                  message=None, then=lambda: _detail(case, "disclosures"))


def _desk_rows(user) -> list[tuple[Nomination, int]]:
    """The cases waiting for `user`'s decision, oldest first, with their days in the step."""
    now = now_utc()
    return [(case, (now - case.step_entered_at).days) for case in db.session.scalars(services.waiting_for(user))]


@bp.route("/desk")
@permission_required(DECIDE)
def desk():
    """Everything waiting for this manager's decision, with its age in the step."""
    rows = _desk_rows(current_user)
    log_cases_shown(case for case, _days in rows)
    return render_template("honours/desk.html", rows=rows)


@bp.route("/desk.<export:fmt>")
@permission_required(DECIDE)
def desk_export(fmt: str):
    desk_rows = _desk_rows(current_user)
    log_cases_shown((case for case, _days in desk_rows), how="export")
    rows = [(case.reference, case.award_type.name, case.current_step.name, case.step_entered_at, days)
            for case, days in desk_rows]
    return table_response([_("Reference"), _("Award"), _("Step"), _("In the step since"), _("Days in the step")],
                          rows, filename="schreibtisch", fmt=fmt)


