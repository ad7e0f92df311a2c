"""Event pages: list, record, process, and the year's recurring occasions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core import record_parts, workflow
from ..core.crud import Column, CrudSpec, register_crud
from ..core.errors import DomainError, ValidationFailed
from ..core.exports import FORMATS, table_response
from ..core.forms import ConfirmForm, apply_domain_error, flash_form_errors
from ..core.listing import paginate
from ..core.navigation import register_nav
from ..core.pdf import pdf_response, render_pdf
from ..core.permissions import Permission, permission_required, public, user_has
from ..core.references import find_by_reference
from ..core.tabular_import import template_rows
from ..core.time import now_utc
from ..extensions import db, limiter
from ..programme import ConflictsFound
from . import checkin, guest_import, guests, invitations, permissions, seating, services
from .forms import (
    AdhocGuestForm,
    CategoryForm,
    ContactGuestForm,
    EventForm,
    EventProgrammeItemForm,
    GuestImportForm,
    OccasionForm,
    ReplyForm,
    StaffReplyForm,
    UsualCategoriesForm,
)
from .models import Event, EventKind, EventProgrammeItem, Guest, GuestStatus, OccasionTemplate
from .workflow import EVENT_WORKFLOW, OPEN_STATES, EventState

bp = Blueprint("events", __name__, url_prefix="/events", template_folder="templates")

register_nav("events.index", _l("Events"), Permission.EVENT_READ, order=15)

READ, EDIT = Permission.EVENT_READ, Permission.EVENT_EDIT


#: The only page of an embargoed event that others may open (it then shows no guests).
_EMBARGO_OPEN = frozenset({"events.detail"})


def _load(reference: str) -> Event:
    event = find_by_reference(Event, reference)
    if event is None:
        abort(404)
    if request.endpoint not in _EMBARGO_OPEN and not permissions.can_see_guests(current_user, event):
        abort(404)  # guest list, seating, letters, attachments, check-in: not before the announcement
    return event


def _load_editable(reference: str) -> Event:
    event = _load(reference)
    if event.state not in OPEN_STATES:
        abort(403)
    return event


def _detail(event: Event, anchor: str | None = None):
    return redirect(url_for("events.detail", reference=event.reference, _anchor=anchor))


record_parts.register_record_parts(bp, services.EVENT_PARTS, load=_load, load_editable=_load_editable)

register_crud(bp, CrudSpec(
    "occasion-templates", OccasionTemplate, OccasionForm, _l("Recurring occasions"), _l("Recurring occasion"),
    [Column("name", _l("Name"), OccasionTemplate.name), Column("kind_label", _l("Kind")),
     Column("date_rule", _l("Date"), OccasionTemplate.month), Column("venue", _l("Usual venue")),
     Column("is_active", _l("Active"))],
    (OccasionTemplate.name,), "date_rule", (READ,), (Permission.ADMIN_TEMPLATES,),
))


@bp.route("/")
@permission_required(READ)
def index():
    stmt = sa.select(Event)
    if request.args.get("kind") in {k.value for k in EventKind}:
        stmt = stmt.where(Event.kind == request.args["kind"])
    if request.args.get("state") in {s.value for s in EventState}:
        stmt = stmt.where(Event.state == request.args["state"])
    listing = paginate(stmt, sortable={"start": Event.starts_at, "title": Event.title},
                       default_sort="start", default_direction="desc", searchable=(Event.title,))
    return render_template("events/index.html", listing=listing, kinds=EventKind, states=EventState,
                           can_create=user_has(current_user, EDIT))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    form = EventForm()
    if request.method == "GET":
        form.responsible_officer_id.data = current_user.id
    if form.validate_on_submit():
        try:
            event = services.create_event(actor=current_user, values=form.service_values())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Event %(reference)s has been recorded.", reference=event.reference), "success")
            return _detail(event)
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<reference>")
@permission_required(READ)
def detail(reference: str):
    event = _load(reference)
    can_edit = user_has(current_user, EDIT)
    editable = can_edit and event.state in OPEN_STATES
    can_see_guests = permissions.can_see_guests(current_user, event)
    return render_template(
        "events/detail.html", event=event, editable=editable, can_see_guests=can_see_guests,
        # Invitations are sent with their own button, which takes that step itself.
        transitions=[t for t in EVENT_WORKFLOW.available(event, current_user) if t.action != "send_invitations"]
        if can_edit else [],
        history=workflow.history(EVENT_WORKFLOW, event.id), confirm=ConfirmForm(),
        guests=guests.guest_listing(event) if can_see_guests else None, guest_states=GuestStatus,
        guest_total=db.session.scalar(sa.select(sa.func.count(Guest.id)).where(Guest.event_id == event.id)),
        category_form=CategoryForm(), adhoc_form=AdhocGuestForm(),
        contact_form=ContactGuestForm() if can_edit else None,
        reply_form=StaffReplyForm(), seats=invitations.seats_taken(event),
        state_labels={state.value: state.label for state in EventState},
        usual_form=UsualCategoriesForm(), import_form=GuestImportForm(),
        **record_parts.page_context(services.EVENT_PARTS, event, editable=editable),
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(reference: str):
    event = _load(reference)
    if event.state not in OPEN_STATES:
        abort(403)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.load(event)
    if form.validate_on_submit():
        try:
            services.update_event(event, actor=current_user, values=form.service_values(),
                                  expected_version=form.expected_version())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The event has been saved."), "success")
            return _detail(event)
    return render_template("events/form.html", form=form, event=event)


@bp.route("/<reference>/transition", methods=["POST"])
@permission_required(EDIT)
def transition(reference: str):
    event = _load(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.move_event(event, request.form.get("action", ""), actor=current_user,
                            comment=request.form.get("comment"),
                            expected_version=request.form.get("version", type=int))
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("New status: %(state)s", state=event.state_label), "success")
    return _detail(event)


def _year_arg() -> int:
    raw = request.args.get("year", "") or request.form.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else now_utc().year


@bp.route("/occasions")
@permission_required(READ)
def occasions():
    year = _year_arg()
    return render_template("events/occasions.html", year=year, rows=services.occasions_of_year(year),
                           confirm=ConfirmForm(), can_create=user_has(current_user, EDIT),
                           can_maintain=user_has(current_user, Permission.ADMIN_TEMPLATES))


@bp.route("/occasions/<int:occasion_id>/create", methods=["POST"])
@permission_required(EDIT)
def occasion_create(occasion_id: int):
    occasion = db.session.get(OccasionTemplate, occasion_id)
    if occasion is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    year = _year_arg()
    try:
        event = services.create_from_occasion(occasion, year, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("events.occasions", year=year))
    flash(_("Event %(reference)s has been recorded.", reference=event.reference), "success")
    return _detail(event)


@bp.route("/<reference>/programme/new", methods=["GET", "POST"])
@bp.route("/<reference>/programme/<int:item_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def programme_item(reference: str, item_id: int | None = None):
    event = _load(reference)
    if event.state not in OPEN_STATES:
        abort(403)
    item = None
    if item_id is not None:
        item = db.session.get(EventProgrammeItem, item_id)
        if item is None or item.event_id != event.id:
            abort(404)
    form = EventProgrammeItemForm(obj=item)
    if request.method == "GET" and item is not None:
        form.load(item)
    conflicts = []
    if form.validate_on_submit():
        try:
            services.save_programme_item(event, item, actor=current_user, values=form.service_values(),
                                         host_ids=form.host_ids.data, conflict_reason=form.conflict_reason.data,
                                         expected_version=form.expected_version())
        except ConflictsFound as exc:
            conflicts = exc.conflicts
            apply_domain_error(form, exc)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The programme item has been saved."), "success")
            return _detail(event)
    return render_template("events/programme_form.html", form=form, event=event, item=item, conflicts=conflicts)



@bp.route("/<reference>/guests/category", methods=["POST"])
@permission_required(EDIT)
def guests_add_category(reference: str):
    event = _load(reference)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            added, already = guests.add_category(event, form.category.data, companions=form.companions.data,
                                                 actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("%(added)s guests added; %(already)s were on the list already.", added=added, already=already),
                  "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))


@bp.route("/<reference>/guests/new", methods=["GET", "POST"])
@permission_required(EDIT)
def guests_add(reference: str):
    """A guest entered by hand: the quick form on the event page or the full form here."""
    event = _load_editable(reference)
    form = AdhocGuestForm()
    if form.validate_on_submit():
        try:
            guests.add_adhoc(event, actor=current_user, name=form.name.data, function=form.function.data,
                             organisation=form.organisation.data, rank=form.rank.data,
                             companions=form.companions.data, email=form.email.data or None,
                             language=form.language.data, address_form_id=form.address_form_id.data,
                             category=form.category.data, in_office_since=form.in_office_since.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("%(name)s is on the guest list.", name=form.name.data), "success")
            return _detail(event, "guests")
    return render_template("events/guest_form.html", event=event, form=form)


@bp.route("/<reference>/guests/usual", methods=["POST"])
@permission_required(EDIT)
def guests_add_usual(reference: str):
    event = _load(reference)
    form = UsualCategoriesForm()
    if form.validate_on_submit():
        try:
            added, already = guests.add_usual_categories(event, companions=form.companions.data, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("%(added)s guests added; %(already)s were on the list already.", added=added, already=already),
                  "success")
    else:
        flash_form_errors(form)
    return _detail(event, "guests")


@bp.route("/<reference>/guests/import", methods=["GET", "POST"])
@permission_required(EDIT)
def guests_import(reference: str):
    """Import a guest list; a file with any broken row is refused as a whole, with every error listed."""
    event = _load_editable(reference)
    form = GuestImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = guest_import.import_guests(event, upload.filename or "", upload.read(), actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if result.ok:
                flash(_("%(n)s guests imported.", n=len(result.rows)), "success")
                return _detail(event, "guests")
    return render_template("events/guest_import.html", event=event, form=form, result=result,
                           columns=guest_import.columns())


@bp.route("/guest-import-template.<fmt>")
@permission_required(EDIT)
def guests_import_template(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    example = ["Dr. Erika Beispiel", "Frau", "Generalkonsulin", "Generalkonsulat Beispielland",
               "Diplomatisches Korps", 120, "01.09.2024", "erika.beispiel@example.org", "de", 1]
    return table_response(template_rows(guest_import.columns()), [example], filename="gaesteliste-vorlage",
                          fmt=fmt)


@bp.route("/<reference>/guests/<int:guest_id>/invitation.pdf")
@permission_required(READ)
def guest_invitation_pdf(reference: str, guest_id: int):
    """A guest's personalised invitation to print (the reply link is only in the sent invitation)."""
    event = _load(reference)
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.event_id != event.id:
        abort(404)
    return pdf_response(invitations.letters_pdf(event, [(guest, None)]), f"einladung-{event.reference}-{guest.id}")


@bp.route("/<reference>/guests/<int:guest_id>/delete", methods=["POST"])
@permission_required(EDIT)
def guest_remove(reference: str, guest_id: int):
    event = _load(reference)
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.event_id != event.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            guests.remove_guest(guest, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))


@bp.route("/<reference>/invitations", methods=["POST"])
@permission_required(EDIT)
def invitations_send(reference: str):
    event = _load(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        tokens = invitations.send_invitations(event, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("%(n)s invitations sent.", n=len(tokens)), "success")
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))


@bp.route("/<reference>/guests/<int:guest_id>/reply", methods=["POST"])
@permission_required(EDIT)
def guest_reply(reference: str, guest_id: int):
    event = _load(reference)
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.event_id != event.id:
        abort(404)
    form = StaffReplyForm()
    if form.validate_on_submit():
        try:
            status = invitations.record_reply(guest, accept=form.answer.data == "accept",
                                              companion=form.companion.data, channel=form.channel.data,
                                              actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("Reply recorded: %(status)s", status=guest.status_label if status else ""), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))


@bp.route("/reply/<token>", methods=["GET", "POST"])
@public  # the invited guest has no account: the secret link is the credential
@limiter.limit("20 per minute")
def reply(token: str):
    guest = invitations.guest_for_token(token)
    if guest is None:
        return render_template("events/reply_unknown.html"), 404
    with force_locale(guest.language or "de"):  # the page speaks the invitation's language
        form = ReplyForm()
        done = None
        if form.validate_on_submit():
            try:
                done = invitations.record_reply(guest, accept=form.answer.data == "accept",
                                                companion=form.companion.data, channel="online")
            except DomainError as exc:
                apply_domain_error(form, exc)
        return render_template("events/reply.html", guest=guest, event=guest.event, form=form, done=done)


@bp.route("/<reference>/seating", methods=["GET", "POST"])
@permission_required(EDIT)
def seating_page(reference: str):
    event = _load(reference)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        action = request.form.get("action")
        try:
            if action == "tables":
                seating.set_tables(event, count=request.form.get("count", type=int) or 0,
                                   seats=request.form.get("seats", type=int) or 0, actor=current_user)
            elif action == "propose":
                placed = seating.propose(event, actor=current_user)
                flash(_("%(n)s guests seated by precedence.", n=placed), "success")
            elif action == "move":
                # "12" moves guest 12, "12:companion" the companion guest 12 named.
                guest_ref, _sep, who = (request.form.get("guest_id") or "").partition(":")
                guest = db.session.get(Guest, int(guest_ref)) if guest_ref.isdigit() else None
                if guest is None or guest.event_id != event.id:
                    abort(404)
                seating.move_guest(event, guest, table_number=request.form.get("table", type=int) or 0,
                                   seat=request.form.get("seat", type=int) or 0,
                                   lock=request.form.get("lock") == "1", actor=current_user,
                                   companion=who == "companion")
            else:
                abort(400)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        return redirect(url_for("events.seating_page", reference=event.reference))
    accepted = [g for g in guests.guest_list(event) if g.status == GuestStatus.ACCEPTED.value]
    return render_template("events/seating.html", event=event, tables=seating.tables_of(event),
                           accepted=accepted, confirm=ConfirmForm(), honour_order=seating.honour_order)


@bp.route("/<reference>/seating/<document>.pdf")
@permission_required(READ)
def seating_pdf(reference: str, document: str):
    event = _load(reference)
    if document not in ("place-cards", "table-plan"):
        abort(404)
    template = "events/place_cards.html" if document == "place-cards" else "events/table_plan.html"
    data = render_pdf(template, event=event, tables=seating.tables_of(event))
    return pdf_response(data, f"{document}-{event.reference}")


@bp.route("/<reference>/checkin", methods=["GET", "POST"])
@permission_required(EDIT)
def checkin_page(reference: str):
    event = _load(reference)
    query = (request.values.get("q") or "").strip()[:100]
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            if request.form.get("action") == "walk_in":
                name = (request.form.get("name") or "").strip()
                if not name or "<" in name:
                    raise ValidationFailed(_l("Please enter the walk-in guest's name as plain text."))
                checkin.add_walk_in(event, name=name[:200], organisation=(request.form.get("organisation") or "")[:200] or None,
                                    actor=current_user)
            else:
                guest = db.session.get(Guest, request.form.get("guest_id", type=int) or 0)
                if guest is None or guest.event_id != event.id:
                    abort(404)
                checkin.set_arrived(guest, request.form.get("arrived") == "1", actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        return redirect(url_for("events.checkin_page", reference=event.reference, q=query or None))
    return render_template("events/checkin.html", event=event, query=query, guests=checkin.search(event, query),
                           confirm=ConfirmForm(), counts=checkin.door_counts(event))


@bp.route("/<reference>/attendance")
@permission_required(READ)
def attendance_report(reference: str):
    event = _load(reference)
    return render_template("events/attendance.html", event=event, report=checkin.attendance(event))


@bp.route("/<reference>/guests/contact", methods=["POST"])
@permission_required(EDIT)
def guests_add_contact(reference: str):
    event = _load(reference)
    form = ContactGuestForm()
    if form.validate_on_submit():
        try:
            guests.add_contact(event, form.contact_id.data, companions=form.companions.data, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))
