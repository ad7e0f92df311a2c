"""Pages of the award ceremony: order of presentation, guest list proposal, documents."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.errors import DomainError, ValidationFailed
from ...core.forms import ConfirmForm
from ...core.pdf import pdf_response
from ...core.permissions import permission_required
from .. import ceremony, permissions
from ..models import AwardType
from . import PREPARE, READ, award_types, bp, door, log_cases_shown


def _ceremony(award_type_id: int, day: str) -> tuple[AwardType, date]:
    award_type = award_types.load(award_type_id)
    try:
        return award_type, date.fromisoformat(day)
    except ValueError:
        abort(404)


@bp.route("/ceremony/<int:award_type_id>/<day>")
@permission_required(READ)
def ceremony_page(award_type_id: int, day: str):
    award_type, award_date = _ceremony(award_type_id, day)
    cases = ceremony.cases_for(award_type, award_date)
    log_cases_shown(cases)
    event = ceremony.ceremony_event(award_type, award_date)
    return render_template("honours/ceremony.html", award_type=award_type, award_date=award_date, cases=cases,
                           event=event, invitations=ceremony.guest_status(event, cases), confirm=ConfirmForm(),
                           can_prepare=permissions.can_prepare(current_user))


def _positions() -> list[int]:
    """Case ids ordered by the places typed into the form (ties keep the listed order)."""
    places = []
    for key, value in request.form.items():
        if key.startswith("position-") and key[9:].isdigit():
            try:
                places.append((int(value), len(places), int(key[9:])))
            except ValueError:
                places.append((10**6, len(places), int(key[9:])))
    return [case_id for _place, _index, case_id in sorted(places)]


@bp.route("/ceremony/<int:award_type_id>/<day>/<action>", methods=["POST"])
@permission_required(PREPARE)
def ceremony_action(award_type_id: int, day: str, action: str):
    award_type, award_date = _ceremony(award_type_id, day)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "event":
            event = ceremony.make_event(award_type, award_date, actor=current_user)
            flash(_("Event %(reference)s has been recorded.", reference=event.reference), "success")
        elif action == "guests":
            counts = ceremony.propose_guests(award_type, award_date, actor=current_user,
                                             family_guests=request.form.get("family_guests", type=int) or 0)
            flash(_("Added to the guest list: %(a)s awardees, %(h)s earlier holders, %(c)s honorary citizens.",
                    a=counts["awardees"], h=counts["holders"], c=counts["honorary_citizens"]), "success")
        elif action == "schedule":
            scheduled = ceremony.schedule_all(award_type, award_date, actor=current_user)
            flash(ngettext("%(n)s case scheduled for the ceremony.", "%(n)s cases scheduled for the ceremony.",
                           scheduled, n=scheduled), "success")
        elif action == "announce":
            raw = request.form.get("announced_on", "")
            try:
                announced_on = date.fromisoformat(raw)
            except ValueError:
                raise ValidationFailed(_l("Please enter the day of the announcement.")) from None
            ceremony.set_announcement(award_type, award_date, announced_on, actor=current_user)
            flash(_("The guest list stays with the honours team until %(date)s.",
                    date=format_date(announced_on)), "success")
        elif action == "order":
            ceremony.set_order(award_type, award_date, _positions(), actor=current_user)
            flash(_("The order of presentation has been saved."), "success")
        else:
            abort(404)
    except DomainError as exc:
        flash(str(exc.message), "danger")
    return redirect(url_for("honours.ceremony_page", award_type_id=award_type.id, day=award_date.isoformat()))


@bp.route("/ceremony/<int:award_type_id>/<day>/booklet.pdf")
@permission_required(READ)
def ceremony_booklet(award_type_id: int, day: str):
    award_type, award_date = _ceremony(award_type_id, day)
    log_cases_shown(ceremony.cases_for(award_type, award_date), how="export")
    return pdf_response(ceremony.booklet_pdf(award_type, award_date), f"programmheft-{award_date.isoformat()}")


@bp.route("/<reference>/certificate.pdf")
@permission_required(READ)
def certificate(reference: str):
    case = door.load(reference)
    try:
        data = ceremony.certificate_pdf(case)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("honours.detail", reference=case.reference))
    return pdf_response(data, f"urkunde-{case.reference}")
