"""Seating plan, check-in at the door and the attendance report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ...core.audit import record_read
from ...core.errors import DomainError, ValidationFailed
from ...core.exports import table_response
from ...core.forms import ConfirmForm
from ...core.pdf import pdf_response, render_pdf
from ...core.permissions import permission_required
from ...extensions import db
from .. import checkin, guests, needs, permissions, seating
from ..models import Guest, GuestStatus
from . import EDIT, READ, bp, door


@bp.route("/<reference>/seating", methods=["GET", "POST"])
@permission_required(EDIT)
def seating_page(reference: str):
    event = door.load(reference)
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
                flash(ngettext("%(n)s guest seated by precedence.", "%(n)s guests seated by precedence.", placed,
                               n=placed), "success")
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
                           accepted=accepted, confirm=ConfirmForm(),
                           guest_needs=needs.shown_to(current_user, event, accepted, how="needs_read"), honour_order=seating.honour_order,
                           seat_layout=seating.seat_layout, centre=seating.DRAWING_CENTRE,
                           table_radius=seating.TABLE_RADIUS)


@bp.route("/<reference>/seating/<document>.pdf")
@permission_required(READ)
def seating_pdf(reference: str, document: str):
    event = door.load(reference)
    if document not in ("place-cards", "table-plan"):
        abort(404)
    template = "events/place_cards.html" if document == "place-cards" else "events/table_plan.html"
    data = render_pdf(template, event=event, tables=seating.tables_of(event))
    return pdf_response(data, f"{document}-{event.reference}")


@bp.route("/<reference>/caterer.<export:fmt>")
@permission_required(EDIT)
def caterer_list(reference: str, fmt: str):
    """What the kitchen needs to know, without names; its download is logged as a read."""
    event = door.load(reference)
    if not permissions.can_read_needs(current_user, event):
        abort(403)
    record_read(current_user, scope="event", references=[event.reference], how="export")
    return table_response([_("What"), _("Number or note")], needs.caterer_rows(event),
                          filename=f"caterer-{event.reference}", fmt=fmt)


@bp.route("/<reference>/checkin", methods=["GET", "POST"])
@permission_required(EDIT)
def checkin_page(reference: str):
    event = door.load(reference)
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
    found = checkin.search(event, query)
    return render_template("events/checkin.html", event=event, query=query, guests=found,
                           guest_needs=needs.shown_to(current_user, event, found, how="needs_read"),
                           confirm=ConfirmForm(), counts=checkin.door_counts(event))


@bp.route("/<reference>/attendance")
@permission_required(READ)
def attendance_report(reference: str):
    event = door.load(reference)
    return render_template("events/attendance.html", event=event, report=checkin.attendance(event))
