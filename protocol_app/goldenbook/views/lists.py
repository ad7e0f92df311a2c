"""The year's entries of one book or both: on screen, on paper, as XLSX/CSV."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ...core.exports import table_response
from ...core.listing import paginate
from ...core.permissions import permission_required
from .. import permissions, services
from ..eligibility import Book
from ..models import BookEntry
from ..permissions import READ
from ..services import LIST_HEADERS
from ..workflow import EntryState
from . import _filtered_stmt, _filters, bp


@bp.route("/")
@permission_required(READ)
def index():
    filters = _filters()
    listing = paginate(_filtered_stmt(filters),
                       sortable={"date": (BookEntry.signed_on, BookEntry.id), "signatory": BookEntry.signatory,
                                 "book": (BookEntry.book, BookEntry.signed_on)},
                       default_sort="date", default_direction="desc",
                       searchable=(BookEntry.signatory, BookEntry.function, BookEntry.occasion))
    services.log_confidential_shown(current_user, listing.items, how="list_read")
    return render_template("goldenbook/index.html", listing=listing, filters=filters, years=services.years(),
                           books=Book, states=EntryState, internals=permissions.sees_internals(current_user),
                           can_edit=permissions.can_edit(current_user))


@bp.route("/print")
@permission_required(READ)
def print_list():
    """The year's entries of one book or both, on paper."""
    filters = _filters()
    return render_template("goldenbook/print.html", rows=services.year_rows(_filtered_stmt(filters), reader=current_user, how="print"),
                           headers=LIST_HEADERS, filters=filters, books=Book)


@bp.route("/export.<export:fmt>")
@permission_required(READ)
def export(fmt: str):
    filters = _filters()
    name = "goldenes-buch" if filters["book"] == Book.GOLDEN.value else (
        "gaestebuch" if filters["book"] == Book.GUEST.value else "goldenes-buch-und-gaestebuch")
    return table_response([str(h) for h in LIST_HEADERS], services.year_rows(_filtered_stmt(filters), reader=current_user, how="export"),
                          filename=f"{name}-{filters['year']}", fmt=fmt, sheet_title=str(filters["year"]))
