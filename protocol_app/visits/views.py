"""Visit pages. Thin: load, check permission, validate, call a service, redirect."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload, lazyload

from ..auth.forms import officer_choices
from ..core import letters, record_parts, workflow
from ..core.audit import record_read
from ..core.errors import ConcurrentChangeError, DomainError
from ..core.forms import (
    ConfirmForm,
    TransitionForm,
    apply_domain_error,
    flash_form_errors,
    local_to_utc,
    take_posted_step,
    utc_to_local,
)
from ..core.listing import paginate, search_clause, search_query
from ..core.navigation import register_nav
from ..core.pdf import pdf_response, render_pdf
from ..core.permissions import Permission, permission_required
from ..core.references import find_by_reference
from ..core.time import BERLIN
from ..directory.models import Country, PartnerCity
from ..extensions import db
from ..goldenbook import services as golden_book
from ..news import services as news
from . import cards as _cards  # noqa: F401 (registers the start-page cards)
from . import copying, permissions, services
from .forms import (
    CopyVisitForm,
    DelegationMemberForm,
    GiftForm,
    ProgrammeItemForm,
    VisitForm,
)
from .models import (
    DelegationMember,
    Gift,
    Visit,
    VisitKind,
    VisitProgrammeItem,
)
from .workflow import VISIT_WORKFLOW, VisitState

bp = Blueprint("visits", __name__, url_prefix="/visits", template_folder="templates")

register_nav("visits.index", _l("Visits"), Permission.VISIT_READ, order=10)

READ = Permission.VISIT_READ
EDIT = Permission.VISIT_EDIT


def _load(reference: str) -> Visit:
    """The visit behind a reference, or 404 (also for confidential ones a user may not see)."""
    visit = find_by_reference(Visit, reference)
    if visit is None or not permissions.can_read(current_user, visit):
        abort(404)
    if visit.is_confidential:  # every route that loads a confidential visit logs the read here
        record_read(current_user, target=visit)
    return visit


def log_confidential_shown(visits, how: str = "list_read") -> None:
    """Lists and exports log which confidential visits they showed (references only)."""
    record_read(current_user, scope="visit", references=[v.reference for v in visits if v.is_confidential],
                how=how)


def _load_editable(reference: str) -> Visit:
    visit = _load(reference)
    if not permissions.can_edit(current_user, visit):
        if request.method == "POST" and permissions.can_edit(current_user):
            # The visit was closed or cancelled while this form was open: a conflict, not a refusal.
            raise ConcurrentChangeError(_l("This visit was cancelled or closed meanwhile. Please reload it."))
        abort(403)
    return visit


def _child(model, visit: Visit, child_id: int):
    child = db.session.get(model, child_id)
    if child is None or child.visit_id != visit.id:
        abort(404)
    return child


def _delete_child(reference: str, model, child_id: int, delete, message, anchor: str):
    """Delete one part of a visit after the confirmation POST, then show the visit."""
    visit = _load_editable(reference)
    child = _child(model, visit, child_id)
    if ConfirmForm().validate_on_submit():
        delete(child, actor=current_user)
        if message:
            flash(str(message), "success")
    return _detail(visit, anchor)


record_parts.register_record_parts(bp, services.VISIT_PARTS, load=_load, load_editable=_load_editable)


def _detail(visit: Visit, anchor: str | None = None):
    return redirect(url_for("visits.detail", reference=visit.reference, _anchor=anchor))


def _date_arg(name: str):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        flash(_("Please enter dates as YYYY-MM-DD."), "warning")
        return None


SEARCHABLE = (Visit.title, Visit.guest_name)


def filtered_visits_stmt(args):
    """The visits query of the list page, with the filters of the URL applied."""
    stmt = sa.select(Visit).where(permissions.readable_filter(current_user))
    query = search_query()
    if query:
        # The countries first, by their codes, not by a join: each part of the OR can then use
        # its own index (the trigram indexes on PostgreSQL) instead of one scan of every visit.
        codes = db.session.scalars(sa.select(Country.code).where(
            search_clause(query, (Country.name_de, Country.name_en)))).all()
        matches = search_clause(query, SEARCHABLE)
        stmt = stmt.where(sa.or_(matches, Visit.country_code.in_(codes)) if codes else matches)
    start, end = _date_arg("from"), _date_arg("to")
    if start:
        stmt = stmt.where(Visit.departure_at >= datetime.combine(start, time.min, tzinfo=BERLIN))
    if end:
        stmt = stmt.where(Visit.arrival_at <= datetime.combine(end, time.max, tzinfo=BERLIN))
    if args.get("kind") in {k.value for k in VisitKind}:
        stmt = stmt.where(Visit.kind == args["kind"])
    if args.get("state") in {s.value for s in VisitState}:
        stmt = stmt.where(Visit.state == args["state"])
    if args.get("country"):
        stmt = stmt.where(Visit.country_code == args["country"][:2].upper())
    if (args.get("partner_city") or "").isdigit():
        stmt = stmt.where(Visit.partner_city_id == int(args["partner_city"]))
    officer = args.get("officer") or ""
    if officer == "none":
        stmt = stmt.where(Visit.responsible_officer_id.is_(None))
    elif officer.isdigit():
        stmt = stmt.where(Visit.responsible_officer_id == int(officer))
    return stmt


def _filter_options(key, name_de, name_en, *where) -> list[tuple]:
    """(key, name in the reader's language) for a filter's select, sorted by name; columns only
    (the countries that have visits: one index probe per country, not a scan of every visit)."""
    locale = get_locale()
    name = name_en if locale and locale.language == "en" else name_de
    return db.session.execute(sa.select(key, name).where(*where).order_by(name)).all()


@bp.route("/")
@permission_required(READ)
def index():
    # The rows show country, partner city and officer: load those, not the guest's country,
    # the deputy, the hosts or the partner city's country (each a join on every row).
    shown = (lazyload("*"), joinedload(Visit.country), joinedload(Visit.partner_city).lazyload("*"),
             joinedload(Visit.responsible_officer).lazyload("*"))
    listing = paginate(
        filtered_visits_stmt(request.args).options(*shown),
        sortable={"arrival": Visit.arrival_at, "reference": Visit.year * 100000 + Visit.number,
                  "title": Visit.title, "state": Visit.state},
        default_sort="arrival",
        default_direction="desc",
    )
    log_confidential_shown(listing.items)
    return render_template(
        "visits/index.html", listing=listing, kind_labels=VisitKind.labels(), state_labels=VisitState.labels(),
        countries=_filter_options(Country.code, Country.name_de, Country.name_en, sa.exists().where(
            Visit.country_code == Country.code)),
        partner_cities=_filter_options(PartnerCity.id, PartnerCity.name_de, PartnerCity.name_en),
        officers=officer_choices()[1:],
        can_create=permissions.can_edit(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    form = VisitForm()
    if request.method == "GET":
        form.responsible_officer_id.data = current_user.id
    if form.validate_on_submit():
        try:
            visit = services.create_visit(actor=current_user, values=form.service_values(),
                                          host_ids=form.host_ids.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Visit %(reference)s has been recorded.", reference=visit.reference), "success")
            return _detail(visit)
    return render_template("visits/form.html", form=form, visit=None)


@bp.route("/<reference>")
@permission_required(READ)
def detail(reference: str):
    visit = _load(reference)
    editable = permissions.can_edit(current_user, visit)
    return render_template(
        "visits/detail.html",
        visit=visit,
        editable=editable,
        can_move=permissions.can_move(current_user),
        **VISIT_WORKFLOW.page_steps(visit, current_user, may_move=permissions.can_move(current_user)),
        history=workflow.history(VISIT_WORKFLOW, visit.id),
        state_labels={state.value: state.label for state in VisitState},
        transition_form=TransitionForm(version=visit.version),
        member_form=DelegationMemberForm(),
        confirm=ConfirmForm(),
        interpreting=services.interpreting_of(visit),
        book_entries=golden_book.entries_for(services.SCOPE, visit.id, reader=current_user),
        **news.occasion_panel(services.SCOPE, visit.id, reader=current_user),
        can_book_interpreters=permissions.can_request_interpreting(current_user, visit),
        copy_form=CopyVisitForm(arrival_at=utc_to_local(visit.arrival_at + timedelta(days=365)))
        if permissions.can_edit(current_user) else None,
        **record_parts.page_context(services.VISIT_PARTS, visit, editable=editable),
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(reference: str):
    visit = _load_editable(reference)
    form = VisitForm(obj=visit)
    if request.method == "GET":
        form.load(visit)
    if form.validate_on_submit():
        try:
            services.update_visit(visit, actor=current_user, values=form.service_values(),
                                  host_ids=form.host_ids.data, expected_version=form.expected_version())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The visit has been saved."), "success")
            return _detail(visit)
    return render_template("visits/form.html", form=form, visit=visit)


@bp.route("/<reference>/transition", methods=["POST"])
@permission_required(Permission.VISIT_TRANSITION)
def transition(reference: str):
    visit = _load(reference)
    take_posted_step(visit, move=services.move_visit,
                     done=lambda v: _("New status: %(state)s", state=v.state_label))
    return _detail(visit, "history")


@bp.route("/<reference>/delegation", methods=["POST"])
@permission_required(EDIT)
def delegation_add(reference: str):
    visit = _load_editable(reference)
    form = DelegationMemberForm()
    if form.validate_on_submit():
        try:
            services.add_delegation_member(
                visit, actor=current_user, name=form.name.data, function=form.function.data,
                precedence=form.precedence.data, form_of_address=form.form_of_address.data,
            )
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return _detail(visit, "delegation")


@bp.route("/<reference>/delegation/<int:member_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delegation_remove(reference: str, member_id: int):
    return _delete_child(reference, DelegationMember, member_id, services.remove_delegation_member,
                         None, "delegation")


@bp.route("/<reference>/programme/new", methods=["GET", "POST"])
@bp.route("/<reference>/programme/<int:item_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def programme_item(reference: str, item_id: int | None = None):
    visit = _load_editable(reference)
    item = _child(VisitProgrammeItem, visit, item_id) if item_id else None
    form = ProgrammeItemForm(obj=item)
    if request.method == "GET" and item is not None:
        form.load(item)
    conflicts = []
    if form.validate_on_submit():
        try:
            saved = services.save_programme_item(
                visit, item, actor=current_user, values=form.service_values(),
                host_ids=form.host_ids.data, conflict_reason=form.conflict_reason.data,
                expected_version=form.expected_version(),
            )
        except services.ConflictsFound as exc:
            conflicts = exc.conflicts
            apply_domain_error(form, exc)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The programme item has been saved."), "success")
            return _detail(visit, f"item-{saved.id}")
    return render_template("visits/programme_form.html", form=form, visit=visit, item=item,
                           conflicts=conflicts, confirm=ConfirmForm())


@bp.route("/<reference>/programme/<int:item_id>/delete", methods=["POST"])
@permission_required(EDIT)
def programme_item_delete(reference: str, item_id: int):
    return _delete_child(reference, VisitProgrammeItem, item_id, services.delete_programme_item,
                         _l("The programme item has been deleted."), "programme")


@bp.route("/<reference>/programme/<int:item_id>/interpreting", methods=["POST"])
@permission_required(EDIT)
def programme_interpreting(reference: str, item_id: int):
    """Ask the Sprachendienst for the item's interpreter; the officer goes on to offer the job."""
    visit = _load_editable(reference)
    if not permissions.can_request_interpreting(current_user, visit):
        abort(403)
    item = _child(VisitProgrammeItem, visit, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        booking = services.request_interpreting(visit, item, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return _detail(visit, "programme")
    flash(_("Assignment %(reference)s has been recorded.", reference=booking.reference), "success")
    return redirect(url_for("translations.assignment", reference=booking.reference))


def _programme_language() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in ("de", "en") else str(get_locale())


@bp.route("/<reference>/print")
@permission_required(READ)
def programme_print(reference: str):
    visit = _load(reference)
    language = _programme_language()
    with force_locale(language):
        return render_template("visits/print.html", visit=visit, pdf=False, head=letters.layout(None, language))


@bp.route("/<reference>/programme.pdf")
@permission_required(READ)
def programme_pdf(reference: str):
    visit = _load(reference)
    language = _programme_language()
    with force_locale(language):
        data = render_pdf("visits/print.html", visit=visit, head=letters.layout(None, language))
    return pdf_response(data, f"programm-{visit.reference}-{language}")


@bp.route("/<reference>/copy", methods=["POST"])
@permission_required(EDIT)
def copy(reference: str):
    """Copy the visit for a recurring delegation's next visit (programme, delegation, checklist)."""
    visit = _load(reference)
    form = CopyVisitForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _detail(visit)
    try:
        new = copying.copy_visit(visit, actor=current_user, arrival_at=local_to_utc(form.arrival_at.data, "Europe/Berlin"))
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return _detail(visit)
    flash(_("Visit %(reference)s has been copied to %(new)s.", reference=visit.reference, new=new.reference), "success")
    return _detail(new)


@bp.route("/<reference>/gifts/new", methods=["GET", "POST"])
@bp.route("/<reference>/gifts/<int:gift_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def gift(reference: str, gift_id: int | None = None):
    visit = _load_editable(reference)
    record = _child(Gift, visit, gift_id) if gift_id else None
    form = GiftForm(obj=record)
    if form.validate_on_submit():
        services.save_gift(visit, record, actor=current_user, values=form.data)
        flash(_("The gift has been saved."), "success")
        return _detail(visit, "gifts")
    return render_template("visits/gift_form.html", form=form, visit=visit, gift=record, confirm=ConfirmForm())


@bp.route("/<reference>/gifts/<int:gift_id>/delete", methods=["POST"])
@permission_required(EDIT)
def gift_delete(reference: str, gift_id: int):
    return _delete_child(reference, Gift, gift_id, services.delete_gift,
                         _l("The gift entry has been deleted."), "gifts")


from . import gift_register_views as _gift_register_views  # noqa: E402,F401  (routes on this blueprint)
