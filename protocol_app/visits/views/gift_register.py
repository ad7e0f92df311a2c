"""The yearly gifts register across all visits (the compliance office's list), on screen and as
XLSX/CSV; routes on the visits blueprint."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ...core.exports import table_response
from ...core.listing import year_arg
from ...core.permissions import permission_required
from .. import permissions, services
from . import READ, bp, log_confidential_shown


def _readable_gifts(year: int, how: str) -> list:
    rows = [(g, v) for g, v in services.gifts_of_year(year) if permissions.can_read(current_user, v)]
    log_confidential_shown([v for _, v in rows], how=how)
    return rows


@bp.route("/gifts")
@permission_required(READ)
def gifts_year():
    year = year_arg()
    rows = _readable_gifts(year, "list_read")
    total = sum((g.estimated_value or 0) for g, _ in rows)
    return render_template("visits/gifts_year.html", rows=rows, year=year, total=total)


@bp.route("/gifts.<export:fmt>")
@permission_required(READ)
def gifts_export(fmt: str):
    """The year's gifts register as XLSX or CSV, for the compliance office's yearly report."""
    year = year_arg()
    rows = _readable_gifts(year, "export")
    return table_response([str(h) for h in services.GIFT_HEADERS], services.gift_rows(rows),
                          filename=f"geschenkeregister-{year}", fmt=fmt, sheet_title=str(year))
