"""Pages of the books: the entries per year and book (printable, XLSX), an entry with its
steps and photo, and the admin's setting of the calligrapher's lead time."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core import workflow
from ..core.errors import DomainError
from ..core.exports import FORMATS, table_response
from ..core.forms import (
    ConfirmForm,
    TransitionForm,
    apply_domain_error,
    file_page,
    form_values,
    take_posted_step,
)
from ..core.listing import paginate
from ..core.navigation import register_nav
from ..core.permissions import permission_required
from ..core.time import today_berlin
from ..extensions import db
from ..programme.occasions import Occasion, occasion_of
from . import permissions, services
from .eligibility import Book
from .forms import BookSettingsForm, EntryForm, PhotoForm
from .models import BookEntry
from .permissions import EDIT, READ, SETTINGS
from .services import ENTRY_FIELDS, LIST_HEADERS
from .workflow import ENTRY_WORKFLOW, EntryState

bp = Blueprint("goldenbook", __name__, url_prefix="/golden-book", template_folder="templates")
register_nav("goldenbook.index", _l("Golden Book"), READ, order=56, menu="registers")
register_nav("goldenbook.settings", _l("Golden Book"), SETTINGS, order=94, menu="admin")


def _entry(entry_id: int) -> BookEntry:
    entry = db.session.get(BookEntry, entry_id)
    # A viewer learns nothing of planned entries, nor of a confidential visit's, not even that they exist.
    if entry is None or not permissions.can_read(current_user, entry):
        abort(404)
    services.log_read(current_user, entry)  # every route that loads an entry of a confidential occasion
    return entry


def _filters() -> dict:
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        year = today_berlin().year
    if not 1900 <= year <= 2200:
        year = today_berlin().year
    book = request.args.get("book") if request.args.get("book") in {b.value for b in Book} else None
    state = request.args.get("state") if request.args.get("state") in {s.value for s in EntryState} else None
    return {"year": year, "book": book, "state": state}


def _filtered_stmt(filters: dict):
    return services.list_stmt(**filters, reader=current_user)


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


@bp.route("/export.<fmt>")
@permission_required(READ)
def export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    filters = _filters()
    name = "goldenes-buch" if filters["book"] == Book.GOLDEN.value else (
        "gaestebuch" if filters["book"] == Book.GUEST.value else "goldenes-buch-und-gaestebuch")
    return table_response([str(h) for h in LIST_HEADERS], services.year_rows(_filtered_stmt(filters), reader=current_user, how="export"),
                          filename=f"{name}-{filters['year']}", fmt=fmt, sheet_title=str(filters["year"]))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    """A new entry; `?scope=visit&id=…` (or event) links it to its occasion and fills it in."""
    occasion = None
    if request.args.get("scope"):
        occasion = occasion_of(request.args.get("scope"), request.args.get("id", type=int))
        if occasion is None:
            abort(404)
    return _edit(None, occasion)


@bp.route("/<int:entry_id>", methods=["GET", "POST"])
@permission_required(READ)
def detail(entry_id: int):
    entry = _entry(entry_id)
    if request.method == "POST" and not permissions.can_edit(current_user):
        abort(403)
    return _edit(entry)


def _edit(entry: BookEntry | None, occasion: Occasion | None = None):
    form = EntryForm(obj=entry)
    if entry is not None and request.method == "GET":
        form.version.data = entry.version
        form.country_code.data = entry.country_code or ""
    elif occasion is not None and request.method == "GET":
        form.signed_on.data, form.occasion.data = occasion.day, occasion.label
        form.signatory.data, form.function.data = occasion.signatory, occasion.function
        form.country_code.data = occasion.country_code or ""
    if entry is not None:
        occasion = occasion_of(entry.occasion_scope, entry.occasion_id)
    can_edit = permissions.can_edit(current_user, entry)
    if can_edit and form.validate_on_submit():
        try:
            saved = services.save_entry(
                entry, form_values(form, *ENTRY_FIELDS), actor=current_user,
                occasion_scope=occasion.scope if occasion else None, occasion_id=occasion.subject_id if occasion else None,
                partner_city_occasion=bool(occasion and occasion.partner_city),
                expected_version=form.expected_version() if entry else None)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The entry has been saved: %(book)s.", book=saved.book_label), "success")
            return redirect(url_for("goldenbook.detail", entry_id=saved.id))
    context = {}
    if entry is not None:
        context = {**ENTRY_WORKFLOW.page_steps(entry, current_user, may_move=permissions.can_edit(current_user)),
                   "transition_form": TransitionForm(version=entry.version), "photo_form": PhotoForm(),
                   "confirm": ConfirmForm(), "history": workflow.history(ENTRY_WORKFLOW, entry.id),
                   "state_labels": {s.value: s.label for s in EntryState}}
    return render_template("goldenbook/form.html", form=form, entry=entry, can_edit=can_edit, occasion=occasion,
                           internals=permissions.sees_internals(current_user), **context)


@bp.route("/<int:entry_id>/step", methods=["POST"])
@permission_required(EDIT)
def step(entry_id: int):
    entry = _entry(entry_id)
    take_posted_step(entry)
    return redirect(url_for("goldenbook.detail", entry_id=entry.id))


@bp.route("/<int:entry_id>/photo", methods=["GET", "POST"])
@permission_required(READ)
def photo(entry_id: int):
    entry = _entry(entry_id)
    return file_page(entry.photo, PhotoForm, may_change=permissions.can_edit(current_user, entry),
                     keep=lambda name, data: services.set_photo(entry, name, data, actor=current_user),
                     done=_("The photo has been saved."), back=url_for("goldenbook.detail", entry_id=entry.id))


@bp.route("/<int:entry_id>/photo/delete", methods=["POST"])
@permission_required(EDIT)
def photo_delete(entry_id: int):
    entry = _entry(entry_id)
    if not permissions.can_edit(current_user, entry):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.remove_photo(entry, actor=current_user)
    flash(_("The photo has been removed."), "success")
    return redirect(url_for("goldenbook.detail", entry_id=entry.id))


@bp.route("/settings", methods=["GET", "POST"])
@permission_required(SETTINGS)
def settings():
    form = BookSettingsForm(obj=services.settings())
    if form.validate_on_submit():
        try:
            services.set_lead_days(actor=current_user, lead_days=form.lead_days.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("goldenbook.settings"))
    return render_template("goldenbook/settings.html", form=form)
