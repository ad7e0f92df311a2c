"""Report pages and exports of the visits area."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import noload

from ...core.exports import FORMATS, table_response
from ...core.listing import year_arg
from ...core.permissions import Permission, permission_required
from ...extensions import db
from .. import reports
from ..models import Visit
from . import bp, log_confidential_shown
from .listing import filtered_visits_stmt

REPORTERS = (Permission.REPORTS_VISITS,)


def _dimension_label(dimension: str) -> str:
    return {"country": _("Country"), "kind": _("Kind"), "partner_city": _("Partner city")}[dimension]


@bp.route("/reports")
@permission_required(*REPORTERS)
def report():
    year = year_arg()
    tables = {d: reports.visits_per(d, year, current_user) for d in reports.DIMENSIONS}
    return render_template("visits/report.html", year=year, tables=tables, label=_dimension_label)


@bp.route("/reports/export")
@permission_required(*REPORTERS)
def report_export():
    year, dimension, fmt = year_arg(), request.args.get("by", "country"), request.args.get("format", "xlsx")
    if dimension not in reports.DIMENSIONS or fmt not in FORMATS:
        abort(404)
    rows = reports.visits_per(dimension, year, current_user)
    return table_response([_dimension_label(dimension), _("Visits")], rows,
                          filename=f"besuche-{year}-{dimension}", fmt=fmt)


@bp.route("/export")
@permission_required(Permission.VISIT_READ)
def list_export():
    fmt = request.args.get("format", "xlsx")
    if fmt not in FORMATS:
        abort(404)
    visits = db.session.scalars(
        filtered_visits_stmt(request.args).options(noload(Visit.hosts)).order_by(Visit.arrival_at)
    ).all()
    log_confidential_shown(visits, how="export")
    headers = [_("Reference"), _("Title"), _("Kind"), _("Guest of honour"), _("Country"), _("Partner city"),
               _("Arrival"), _("Departure"), _("Status"), _("Responsible officer")]
    rows = (
        (v.reference, v.title, v.kind_label, v.guest_name, v.country.name if v.country else "",
         v.partner_city.name if v.partner_city else "", v.arrival_at, v.departure_at, v.state_label,
         v.responsible_officer.full_name if v.responsible_officer else "")
        for v in visits
    )
    return table_response(headers, rows, filename="besuche", fmt=fmt)
