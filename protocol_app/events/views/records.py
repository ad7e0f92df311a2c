"""Event pages: list, record, process, and the year's recurring occasions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import record_parts, workflow
from ...core.errors import DomainError
from ...core.forms import ConfirmForm, apply_domain_error, edit_form
from ...core.listing import paginate, year_arg
from ...core.permissions import permission_required
from ...extensions import db
from ...goldenbook import services as golden_book
from ...news import services as news
from .. import guests, invitations, needs, permissions, services
from ..forms import (
    AdhocGuestForm,
    CategoryForm,
    ContactGuestForm,
    EventForm,
    GuestImportForm,
    StaffReplyForm,
    UsualCategoriesForm,
)
from ..models import Event, EventKind, Guest, GuestStatus, OccasionTemplate
from ..workflow import EVENT_WORKFLOW, OPEN_STATES, EventState
from . import EDIT, READ, _detail, bp, door


@bp.route("/")
@permission_required(READ)
def index():
    stmt = sa.select(Event).where(permissions.readable_filter(current_user))
    listing = paginate(stmt, choices={"kind": (Event.kind, EventKind), "state": (Event.state, EventState)},
                       sortable={"start": Event.starts_at, "title": Event.title},
                       default_sort="start", default_direction="desc", searchable=(Event.title,))
    return render_template("events/index.html", listing=listing, kinds=EventKind, states=EventState,
                           can_create=permissions.can_edit(current_user))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    form = EventForm()
    if request.method == "GET":
        form.responsible_officer_id.data = current_user.id
    conflicts = []
    if form.validate_on_submit():
        try:
            event = services.create_event(actor=current_user, values=form.service_values(),
                                          conflict_reason=form.conflict_reason.data)
        except DomainError as exc:
            conflicts = getattr(exc, "conflicts", [])
            apply_domain_error(form, exc)
        else:
            flash(_("Event %(reference)s has been recorded.", reference=event.reference), "success")
            return _detail(event)
    return render_template("events/form.html", form=form, event=None, conflicts=conflicts)


@bp.route("/<reference>")
@permission_required(READ)
def detail(reference: str):
    event = door.load(reference)
    can_edit = permissions.can_edit(current_user)
    editable = permissions.can_edit(current_user, event)
    can_see_guests = permissions.can_see_guests(current_user, event)
    listing = guests.guest_listing(event) if can_see_guests else None
    return render_template(
        "events/detail.html", event=event, editable=editable, can_see_guests=can_see_guests,
        # Invitations are sent with their own button, which takes that step itself.
        **EVENT_WORKFLOW.page_steps(event, current_user, may_move=can_edit, leave_out=("send_invitations",)),
        history=workflow.history(EVENT_WORKFLOW, event.id), confirm=ConfirmForm(),
        interpreting=services.interpreting_of(event),
        book_entries=golden_book.entries_for(services.SCOPE, event.id, reader=current_user),
        **news.occasion_panel(services.SCOPE, event.id, reader=current_user),
        guests=listing, guest_states=GuestStatus, needs_asked=bool(needs.questions(event)),
        guest_needs=needs.shown_to(current_user, event, listing.items, how="needs_read") if listing else {},
        can_read_needs=permissions.can_read_needs(current_user, event),
        guest_total=db.session.scalar(sa.select(sa.func.count(Guest.id)).where(Guest.event_id == event.id)),
        category_form=CategoryForm(), adhoc_form=AdhocGuestForm(),
        contact_form=ContactGuestForm() if can_edit else None,
        reply_form=StaffReplyForm(), seats=invitations.seats_taken(event),
        places_planned=guests.places_planned(event), over_capacity=guests.over_capacity(event),
        state_labels={state.value: state.label for state in EventState},
        usual_form=UsualCategoriesForm(), import_form=GuestImportForm(),
        **record_parts.page_context(services.EVENT_PARTS, event, editable=editable),
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(reference: str):
    event = door.load(reference)
    if event.state not in OPEN_STATES:
        abort(403)
    form = edit_form(EventForm, event)
    conflicts = []
    if form.validate_on_submit():
        try:
            services.update_event(event, actor=current_user, values=form.service_values(),
                                  expected_version=form.expected_version(), conflict_reason=form.conflict_reason.data)
        except DomainError as exc:
            conflicts = getattr(exc, "conflicts", [])
            apply_domain_error(form, exc)
        else:
            flash(_("The event has been saved."), "success")
            return _detail(event)
    return render_template("events/form.html", form=form, event=event, conflicts=conflicts)


door.add_step_route(bp, "/<reference>/transition", "transition", permissions=(EDIT,), then=_detail,
                    move=services.move_event, done=lambda e: _("New status: %(state)s", state=e.state_label))


@bp.route("/occasions")
@permission_required(READ)
def occasions():
    year = year_arg()
    return render_template("events/occasions.html", year=year, rows=services.occasions_of_year(year),
                           confirm=ConfirmForm(), can_create=permissions.can_edit(current_user),
                           can_maintain=permissions.can_maintain_occasions(current_user))


@bp.route("/occasions/<int:occasion_id>/create", methods=["POST"])
@permission_required(EDIT)
def occasion_create(occasion_id: int):
    occasion = db.session.get(OccasionTemplate, occasion_id)
    if occasion is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    year = year_arg()
    try:
        event = services.create_from_occasion(occasion, year, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("events.occasions", year=year))
    flash(_("Event %(reference)s has been recorded.", reference=event.reference), "success")
    return _detail(event)


