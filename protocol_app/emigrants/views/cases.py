"""The applications: list, intake, the case page with its decisions, duplicates, waiting list, stay and travel."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    abort,
    render_template,
    request,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...core import workflow
from ...core.forms import ConfirmForm, edit_form
from ...core.front_door import posted, saved
from ...core.listing import paginate
from ...core.permissions import permission_required
from .. import (
    documents,
    duplicates,
    letters,
    permissions,
    planning,
    programme,
    services,
    waiting_list,
)
from ..forms import (
    ApplicationForm,
    BookingForm,
    DocumentForm,
    DuplicateForm,
    OverrideForm,
    StayForm,
    StayItemForm,
)
from ..models import (
    ApplicantCategory,
    Application,
    LetterKind,
)
from ..workflow import APPLICATION_WORKFLOW, ApplicationState
from . import ACCESS, _detail, bp, door


@bp.route("/")
@permission_required(ACCESS)
def index():
    stmt = sa.select(Application).where(permissions.readable_filter(current_user))
    listing = paginate(stmt, choices={"state": (Application.state, ApplicationState),
                                      "category": (Application.category, ApplicantCategory)},
                       sortable={"reference": (Application.year, Application.number), "name": Application.name,
                                       "birth": Application.birth_date, "state": Application.state},
                       default_sort="reference", default_direction="desc",
                       searchable=(Application.name, Application.birth_name))
    services.log_list_read(listing.items, current_user, page="list")
    return render_template("emigrants/index.html", listing=listing, states=ApplicationState,
                           categories=ApplicantCategory)


@bp.route("/blank-form")
@permission_required(ACCESS)
def blank_form():
    """The printable application form, in German or English (?lang=en)."""
    language = "en" if request.args.get("lang") == "en" else "de"
    with force_locale(language):
        return render_template("emigrants/blank_form.html", language=language)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(ACCESS)
def new():
    form = ApplicationForm()
    return saved(form, lambda: services.create_application(actor=current_user, values=form.service_values()),
                 message=lambda application: _("Application %(reference)s has been recorded.",
                                               reference=application.reference),
                 then=_detail) or render_template("emigrants/form.html", form=form, application=None)


@bp.route("/<reference>")
@permission_required(ACCESS)
def detail(reference: str):
    application = door.load(reference)
    services.log_read(application, current_user)
    score, reasons = waiting_list.priority(application, waiting_list.weights(), services.today())
    items = programme.items_of(application)
    return render_template(
        "emigrants/detail.html", application=application, matches=duplicates.possible_duplicates(application),
        duplicate_form=DuplicateForm(), **APPLICATION_WORKFLOW.page_steps(application, current_user),
        history=workflow.history(APPLICATION_WORKFLOW, application.id), confirm=ConfirmForm(),
        state_labels={s.value: s.label for s in ApplicationState}, score=score, reasons=reasons,
        override_form=OverrideForm(), editable=permissions.can_change_details(current_user, application),
        letters=letters.letters_of(application), letter_kinds=LetterKind,
        plan=planning.plan_of(application), bookings=planning.bookings_of(application),
        plannable=permissions.can_plan(current_user, application), stay_form=stay_form(application),
        booking_form=BookingForm(country_code=application.country_code), items=items, interpreting=programme.interpreting_of(items),
        item_form=StayItemForm(), documents=documents.documents_of(application), document_form=DocumentForm(),
    )


def stay_form(application):
    plan = planning.plan_of(application)
    return StayForm(obj=plan) if plan else StayForm()


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(ACCESS)
def edit(reference: str):
    application = door.load(reference)
    if not permissions.can_change_details(current_user, application):
        abort(403)
    form = edit_form(ApplicationForm, application)
    if request.method == "GET":
        services.log_read(application, current_user)  # the form shows the whole record
    return saved(form, lambda: services.update_application(application, actor=current_user,
                                                           values=form.service_values(),
                                                           expected_version=form.expected_version()),
                 message=_("The application has been saved."), then=lambda _changed: _detail(application)
                 ) or render_template("emigrants/form.html", form=form, application=application)


@bp.route("/<reference>/duplicates/<kind>/<int:match_id>", methods=["POST"])
@permission_required(ACCESS)
def duplicate(reference: str, kind: str, match_id: int):
    application = door.load_for_change(reference)
    form = DuplicateForm()
    return posted(form, lambda: duplicates.decide_duplicate(application, actor=current_user, kind=kind,
                                                            match_id=match_id, reason=form.reason.data,
                                                            same_person=form.verdict.data == "same_person"),
                  message=None, then=lambda: _detail(application, "duplicates"))


door.add_step_route(bp, "/<reference>/transition", "transition", permissions=(ACCESS,), for_change=True,
                    then=_detail, move=services.move,
                    done=lambda a: _("New status: %(state)s", state=a.state_label))


@bp.route("/<reference>/priority", methods=["POST"])
@permission_required(ACCESS)
def override(reference: str):
    application = door.load_for_change(reference)
    form = OverrideForm()
    return posted(form, lambda: waiting_list.set_override(application, actor=current_user, points=form.points.data,
                                                          reason=form.reason.data),
                  message=None, then=lambda: _detail(application, "priority"))


@bp.route("/waiting-list")
@permission_required(ACCESS)
def waiting():
    rows = waiting_list.waiting_list()
    services.log_list_read([application for application, _score, _reasons in rows], current_user,
                           page="waiting list")
    return render_template("emigrants/waiting.html", rows=rows)


@bp.route("/<reference>/stay", methods=["POST"])
@permission_required(ACCESS)
def stay(reference: str):
    application, form = door.load_for_change(reference), StayForm()
    return posted(form, lambda: planning.save_plan(
        application, actor=current_user, arrives_on=form.arrives_on.data, departs_on=form.departs_on.data,
        hotel=form.hotel.data, room_type=form.room_type.data, half_board=form.half_board.data,
        hotel_cost=form.hotel_cost.data, volunteer=form.volunteer.data, volunteer_email=form.volunteer_email.data,
        transfers=form.transfers.data, overrun_reason=form.overrun_reason.data),
        message=None, then=lambda: _detail(application, "planning"))


@bp.route("/<reference>/travel", methods=["POST"])
@permission_required(ACCESS)
def travel(reference: str):
    application = door.load_for_change(reference)
    form = BookingForm(country_code=application.country_code)
    return posted(form, lambda: planning.add_booking(
        application, actor=current_user, traveller=form.traveller.data, mode=form.mode.data,
        carrier=form.carrier.data, number=form.number.data, departs_at=form.departs_at.data,
        departs_tz=form.departs_tz.data, arrives_at=form.arrives_at.data, arrives_tz=form.arrives_tz.data,
        booking_code=form.booking_code.data, cost=form.cost.data, overrun_reason=form.overrun_reason.data),
        message=None, then=lambda: _detail(application, "planning"))


