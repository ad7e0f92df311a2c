"""Pages after the booking: source and translation files, receipt, confirmation, monthly report."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.exports import money, table_response
from ...core.files import send_stored
from ...core.front_door import acted, posted
from ...core.listing import year_arg
from ...core.permissions import Permission, permission_required
from ...core.time import today_berlin
from .. import delivery, permissions
from ..forms import ConfirmationForm, DeliveryForm, SourceForm
from . import MANAGE, OWN, bp, door, own_offers
from .translator_pages import _own_profile


def _back(assignment):
    return redirect(url_for("translations.assignment", reference=assignment.reference))


@bp.route("/<reference>/source", methods=["POST"])
@permission_required(MANAGE)
def source_upload(reference: str):
    assignment, form = door.load(reference), SourceForm()
    return posted(form, lambda: delivery.attach_source(assignment, actor=current_user,
                                                       filename=form.file.data.filename or "",
                                                       data=form.file.data.read()),
                  message=None, then=lambda: _back(assignment))


@bp.route("/<reference>/file/<which>")
@permission_required(MANAGE, OWN)
def file_download(reference: str, which: str):
    """The source or the translation: for officers, and for the translators it was offered to."""
    assignment = door.load(reference)
    if not permissions.can_read_file(current_user, assignment, which):
        abort(404)  # declined, withdrawn or expired: the file is gone for this translator
    stored = {"source": assignment.source_file, "translation": assignment.translation_file}.get(which)
    if stored is None:
        abort(404)
    return send_stored(stored)


@bp.route("/offers/<int:offer_id>/deliver", methods=["POST"])
@permission_required(OWN)
def deliver(offer_id: int):
    offer, form = own_offers.load(offer_id), DeliveryForm()
    return posted(form, lambda: delivery.deliver(offer.assignment, actor=current_user,
                                                 filename=form.file.data.filename or "", data=form.file.data.read()),
                  message=_("Thank you, the translation has been delivered."),
                  then=lambda: redirect(url_for("translations.offer", offer_id=offer.id)))


@bp.route("/<reference>/received", methods=["POST"])
@permission_required(MANAGE)
def received(reference: str):
    assignment = door.load(reference)
    return acted(lambda: delivery.mark_received(assignment, actor=current_user), message=None,
                 then=lambda: _back(assignment))


@bp.route("/<reference>/confirm", methods=["POST"])
@permission_required(MANAGE)
def confirm(reference: str):
    assignment, form = door.load(reference), ConfirmationForm()
    return posted(form, lambda: delivery.confirm(assignment, actor=current_user, hours=form.hours.data,
                                                 lines=form.lines.data),
                  message=_("Confirmed."), then=lambda: _back(assignment))


def _month() -> tuple[int, int]:
    raw = request.args.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        today = today_berlin()
        return today.year, today.month


@bp.route("/my-hours")
@permission_required(Permission.REPORTS_OWN_HOURS)
def my_hours():
    """A translator's own hours, lines and fees of a year, as the office confirmed and pays them."""
    profile = _own_profile()
    year = year_arg()
    months = delivery.own_statement(profile, year) if profile else {}
    return render_template("language_service/my_hours.html", profile=profile, year=year, months=months)


@bp.route("/report")
@permission_required(MANAGE)
def report():
    year, month = _month()
    return render_template("language_service/report.html", rows=delivery.month_report(year, month),
                           month=f"{year}-{month:02d}")


@bp.route("/report.<export:fmt>")
@permission_required(MANAGE)
def report_export(fmt: str):
    year, month = _month()
    rows = [(r.profile.name, r.profile.employment_label, r.assignments, r.hours, r.lines, money(r.amount_due))
            for r in delivery.month_report(year, month)]
    return table_response([_("Translator"), _("Employment"), _("Assignments"), _("Hours"), _("Standard lines"),
                           _("Amount due")], rows, filename=f"sprachendienst-{year}-{month:02d}", fmt=fmt)
