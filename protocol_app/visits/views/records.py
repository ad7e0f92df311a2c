"""The visit itself: record, page, change, steps, printed programme, copy."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...core import letters, record_parts, workflow
from ...core.errors import DomainError
from ...core.forms import (
    ConfirmForm,
    TransitionForm,
    edit_form,
    flash_form_errors,
    local_to_utc,
    utc_to_local,
)
from ...core.front_door import saved
from ...core.pdf import pdf_response, render_pdf
from ...core.permissions import Permission, permission_required
from ...goldenbook import services as golden_book
from ...news import services as news
from .. import copying, permissions, services
from ..forms import CopyVisitForm, DelegationMemberForm, VisitForm
from ..workflow import VISIT_WORKFLOW, VisitState
from . import EDIT, READ, _detail, bp, door


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    form = VisitForm()
    if request.method == "GET":
        form.responsible_officer_id.data = current_user.id
    return saved(form, lambda: services.create_visit(actor=current_user, values=form.service_values(),
                                                     host_ids=form.host_ids.data),
                 message=lambda visit: _("Visit %(reference)s has been recorded.", reference=visit.reference),
                 then=_detail) or render_template("visits/form.html", form=form, visit=None)


@bp.route("/<reference>")
@permission_required(READ)
def detail(reference: str):
    visit = door.load(reference)
    editable = permissions.can_edit(current_user, visit)
    return render_template(
        "visits/detail.html",
        visit=visit,
        editable=editable,
        can_move=permissions.can_move(current_user),
        **VISIT_WORKFLOW.page_steps(visit, current_user, may_move=permissions.can_move(current_user)),
        history=workflow.history(VISIT_WORKFLOW, visit.id),
        state_labels={state.value: state.label for state in VisitState},
        transition_form=TransitionForm(version=visit.version),
        member_form=DelegationMemberForm(),
        confirm=ConfirmForm(),
        interpreting=services.interpreting_of(visit),
        book_entries=golden_book.entries_for(services.SCOPE, visit.id, reader=current_user),
        **news.occasion_panel(services.SCOPE, visit.id, reader=current_user),
        can_book_interpreters=permissions.can_request_interpreting(current_user, visit),
        copy_form=CopyVisitForm(arrival_at=utc_to_local(visit.arrival_at + timedelta(days=365)))
        if permissions.can_edit(current_user) else None,
        **record_parts.page_context(services.VISIT_PARTS, visit, editable=editable),
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(reference: str):
    visit = door.load_for_change(reference)
    form = edit_form(VisitForm, visit)
    return saved(form, lambda: services.update_visit(visit, actor=current_user, values=form.service_values(),
                                                     host_ids=form.host_ids.data,
                                                     expected_version=form.expected_version()),
                 message=_("The visit has been saved."),
                 then=lambda _changed: _detail(visit)) or render_template("visits/form.html", form=form, visit=visit)


door.add_step_route(bp, "/<reference>/transition", "transition", permissions=(Permission.VISIT_TRANSITION,),
                    then=lambda visit: _detail(visit, "history"), move=services.move_visit,
                    done=lambda v: _("New status: %(state)s", state=v.state_label))


def _programme_language() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in ("de", "en") else str(get_locale())


@bp.route("/<reference>/print")
@permission_required(READ)
def programme_print(reference: str):
    visit = door.load(reference)
    language = _programme_language()
    with force_locale(language):
        return render_template("visits/print.html", visit=visit, pdf=False, head=letters.layout(None, language))


@bp.route("/<reference>/programme.pdf")
@permission_required(READ)
def programme_pdf(reference: str):
    visit = door.load(reference)
    language = _programme_language()
    with force_locale(language):
        data = render_pdf("visits/print.html", visit=visit, head=letters.layout(None, language))
    return pdf_response(data, f"programm-{visit.reference}-{language}")


@bp.route("/<reference>/copy", methods=["POST"])
@permission_required(EDIT)
def copy(reference: str):
    """Copy the visit for a recurring delegation's next visit (programme, delegation, checklist)."""
    visit = door.load(reference)
    form = CopyVisitForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _detail(visit)
    try:
        new = copying.copy_visit(visit, actor=current_user, arrival_at=local_to_utc(form.arrival_at.data, "Europe/Berlin"))
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return _detail(visit)
    flash(_("Visit %(reference)s has been copied to %(new)s.", reference=visit.reference, new=new.reference), "success")
    return _detail(new)
