"""Sprachendienst pages: officers book assignments and offer them to ranked candidates;
translators keep their own profile and answer their own offers (and see nothing else)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..auth.models import User, UserRole
from ..core.errors import DomainError
from ..core.forms import (
    DATETIME_FORMAT,
    ConfirmForm,
    apply_domain_error,
    flash_form_errors,
    local_to_utc,
    utc_to_local,
)
from ..core.languages import language_name
from ..core.navigation import register_nav
from ..core.permissions import Permission, Role, permission_required
from ..core.references import find_by_reference
from ..core.time import now_utc
from ..extensions import db
from . import candidates, offers, permissions, services
from .forms import (
    AbsenceForm,
    AnswerForm,
    AssignmentForm,
    CancelForm,
    ConfirmationForm,
    DeliveryForm,
    HandBackForm,
    LanguageForm,
    ProfileForm,
    SourceForm,
    TermsForm,
    WindowForm,
)
from .models import Absence, Assignment, AvailabilityWindow, LanguageSkill, Offer, TranslatorProfile
from .permissions import offer_is_live
from .workflow import STAFFING_STATES, AssignmentState

bp = Blueprint("translations", __name__, url_prefix="/translations", template_folder="templates")

MANAGE, OWN = Permission.ASSIGNMENT_MANAGE, Permission.ASSIGNMENT_ANSWER_OWN

register_nav("translations.index", _l("Language service"), Permission.ASSIGNMENT_READ, order=25)
register_nav("translations.my_offers", _l("My assignments"), OWN, order=26)
register_nav("translations.my_hours", _l("My hours"), Permission.REPORTS_OWN_HOURS, order=27)


def _assignment(reference: str) -> Assignment:
    assignment = find_by_reference(Assignment, reference)
    if assignment is None:
        abort(404)
    return assignment


@bp.route("/")
@permission_required(Permission.ASSIGNMENT_READ)
def index():
    """The coming assignments with their staffing state (open, offered, partly staffed, staffed);
    managers read it, the Sprachendienst's officers work from it."""
    upcoming = db.session.scalars(
        sa.select(Assignment).where(Assignment.state != AssignmentState.CANCELLED.value,
                                    sa.func.coalesce(Assignment.starts_at, Assignment.deadline) >= now_utc())
        .order_by(sa.func.coalesce(Assignment.starts_at, Assignment.deadline)).limit(200)).all()
    by_assignment: dict[int, list[Offer]] = {}
    for offer in db.session.scalars(sa.select(Offer).where(Offer.assignment_id.in_([a.id for a in upcoming]))):
        by_assignment.setdefault(offer.assignment_id, []).append(offer)
    rows = [(a, offers.staffing(a, by_assignment.get(a.id, []))) for a in upcoming]
    return render_template("language_service/index.html", rows=rows, row_classes=STAFFING_ROW_CLASSES,
                           can_manage=permissions.can_manage(current_user))


#: How the list marks what still needs staff: nobody asked yet, or places still open.
STAFFING_ROW_CLASSES = {AssignmentState.OPEN.value: "table-danger", AssignmentState.OFFERED.value: "table-warning",
                        AssignmentState.PARTLY_STAFFED.value: "table-warning"}


@bp.route("/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new():
    form = AssignmentForm()
    _propose_team_size(form)
    if form.validate_on_submit():
        try:
            assignment = services.create_assignment(actor=current_user, values=form.service_values(),
                                                    needed=form.needed.data, team_reason=form.team_reason.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Assignment %(reference)s has been recorded.", reference=assignment.reference), "success")
            return redirect(url_for("translations.assignment", reference=assignment.reference))
    return render_template("language_service/assignment_form.html", form=form)


def _propose_team_size(form: AssignmentForm) -> None:
    """The team size field says what the AIIC rule proposes for the times given (and app.js asks
    `team_size` again while they are typed)."""
    needed, sentence = services.team_size_proposal(form.mode.data, *_typed_times(form.starts_at.data, form.ends_at.data))
    form.needed.description = sentence
    form.needed.render_kw = {"data-team-size": url_for("translations.team_size"), "placeholder": needed}


def _typed_times(*values):
    return [local_to_utc(value, "Europe/Berlin") if value else None for value in values]


@bp.route("/team-size")
@permission_required(MANAGE)
def team_size():
    """The AIIC team size for the mode and times typed so far (JSON, for the request form)."""
    def typed(name):
        try:
            return datetime.strptime(request.args.get(name, ""), DATETIME_FORMAT)
        except ValueError:
            return None

    needed, sentence = services.team_size_proposal(request.args.get("mode"),
                                                   *_typed_times(typed("starts_at"), typed("ends_at")))
    return jsonify(needed=needed, message=sentence)


@bp.route("/<reference>", methods=["GET", "POST"])
@permission_required(MANAGE)
def assignment(reference: str):
    assignment = _assignment(reference)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        ids = [int(v) for v in request.form.getlist("profile_id") if v.isdigit()]
        try:
            made = offers.make_offers(assignment, ids, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(ngettext("Offered to %(n)s translator.", "Offered to %(n)s translators.", len(made), n=len(made)), "success")
        return redirect(url_for("translations.assignment", reference=assignment.reference))
    assignment_offers = offers.offers_of(assignment)
    ranked, excluded = candidates.rank(assignment)
    return render_template("language_service/assignment.html", assignment=assignment, offers=assignment_offers,
                           staffing=offers.staffing(assignment, assignment_offers), ranked=ranked,
                           excluded=excluded, confirm=ConfirmForm(), language=language_name,
                           source_form=SourceForm(), confirmation_form=ConfirmationForm(), now=now_utc(),
                           cancel_form=CancelForm(version=assignment.version),
                           can_change=assignment.state in STAFFING_STATES)


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit(reference: str):
    """Change time, place, title or notes; the translators holding an offer are told."""
    assignment = _assignment(reference)
    form = AssignmentForm(obj=assignment)
    if request.method == "GET":
        for name in ("starts_at", "ends_at", "deadline"):
            getattr(form, name).data = utc_to_local(getattr(assignment, name))
    if form.validate_on_submit():
        try:
            changed = services.update_assignment(assignment, actor=current_user, values=form.service_values())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The assignment has been saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("translations.assignment", reference=assignment.reference))
    return render_template("language_service/assignment_form.html", form=form, assignment=assignment)


@bp.route("/<reference>/cancel", methods=["POST"])
@permission_required(MANAGE)
def cancel(reference: str):
    """Cancel with a reason (asked for on the page); booked and asked translators are told."""
    assignment = _assignment(reference)
    form = CancelForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("translations.assignment", reference=assignment.reference, _anchor="cancel"))
    try:
        told = services.cancel_assignment(assignment, actor=current_user, reason=form.reason.data,
                                          expected_version=form.expected_version())
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(ngettext("The assignment has been cancelled; %(num)s translator has been told.",
                       "The assignment has been cancelled; %(num)s translators have been told.", told), "success")
    return redirect(url_for("translations.assignment", reference=assignment.reference))


# --- translators' own pages -------------------------------------------------------------


def _own_offer(offer_id: int) -> Offer:
    """An offer of the logged-in translator; anyone else's is 404, as if it did not exist."""
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.profile.user_id != current_user.id:
        abort(404)
    return offer


@bp.route("/offers")
@permission_required(OWN)
def my_offers():
    return render_template("language_service/offers.html", offers=offers.my_offers(current_user))


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
@permission_required(OWN)
def offer(offer_id: int):
    offer = _own_offer(offer_id)
    form = AnswerForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            offers.answer(offer, actor=current_user, accept=request.form.get("answer") == "accept",
                          reason=form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("Thank you, your answer has been recorded."), "success")
        return redirect(url_for("translations.offer", offer_id=offer.id))
    return render_template("language_service/offer.html", offer=offer, assignment=offer.assignment, form=form,
                           language=language_name, delivery_form=DeliveryForm(),
                           can_read_source=offer_is_live(offer), hand_back_form=HandBackForm())


@bp.route("/offers/<int:offer_id>/hand-back", methods=["POST"])
@permission_required(OWN)
def hand_back(offer_id: int):
    """The translator gives an accepted assignment back, with a reason; the officer is told."""
    offer, form = _own_offer(offer_id), HandBackForm()
    if form.validate_on_submit():
        try:
            offers.hand_back(offer, actor=current_user, reason=form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("You have handed the assignment back; the Sprachendienst has been told."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("translations.offer", offer_id=offer.id))


def _own_profile() -> TranslatorProfile | None:
    return db.session.scalar(sa.select(TranslatorProfile).where(TranslatorProfile.user_id == current_user.id))


PROFILE_PARTS = {
    "language": (LanguageForm, lambda p, f: services.set_language(p, actor=current_user, language=f.language.data,
                                                                  level=f.level.data)),
    "window": (WindowForm, lambda p, f: services.add_window(p, actor=current_user, weekday=f.weekday.data,
                                                            starts=f.starts.data, ends=f.ends.data)),
    "absence": (AbsenceForm, lambda p, f: services.add_absence(p, actor=current_user, starts_on=f.starts_on.data,
                                                               ends_on=f.ends_on.data, kind=f.kind.data)),
}
REMOVABLE = {"language": (LanguageSkill, services.remove_language), "window": (AvailabilityWindow,
                                                                                 services.remove_window),
             "absence": (Absence, services.remove_absence)}


@bp.route("/profile", methods=["GET", "POST"])
@permission_required(OWN)
def profile():
    """A translator's own profile: modes, languages, weekly availability, absences."""
    profile = _own_profile()
    if profile is None:
        if request.method == "POST" and ConfirmForm().validate_on_submit():
            services.create_profile(current_user, actor=current_user)
            return redirect(url_for("translations.profile"))
        return render_template("language_service/profile.html", profile=None, confirm=ConfirmForm())
    form = ProfileForm(obj=profile)
    if request.method == "GET":
        form.modes.data = profile.mode_values
    part = request.form.get("part")
    try:
        if part in PROFILE_PARTS:
            form_class, add = PROFILE_PARTS[part]
            part_form = form_class()
            if part_form.validate_on_submit():
                add(profile, part_form)
                flash(_("The profile has been saved."), "success")
            else:
                flash_form_errors(part_form)
            return redirect(url_for("translations.profile"))
        if part in REMOVABLE:
            model, remove = REMOVABLE[part]
            row = db.session.get(model, request.form.get("id", type=int) or 0)
            if row is None or row.profile_id != profile.id or not ConfirmForm().validate_on_submit():
                abort(404)
            remove(row, actor=current_user)
            return redirect(url_for("translations.profile"))
        if form.validate_on_submit():
            services.update_profile(profile, actor=current_user, modes=form.modes.data,
                                    specialisations=form.specialisations.data)
            flash(_("The profile has been saved."), "success")
            return redirect(url_for("translations.profile"))
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("translations.profile"))
    return render_template("language_service/profile.html", profile=profile, form=form, confirm=ConfirmForm(),
                           language_form=LanguageForm(), window_form=WindowForm(), absence_form=AbsenceForm(),
                           language=language_name)


@bp.route("/translators/<int:profile_id>/terms", methods=["GET", "POST"])
@permission_required(MANAGE)
def terms(profile_id: int):
    """The office sets a translator's employment and agreed rates (what "amount due" is made of)."""
    profile = db.session.get(TranslatorProfile, profile_id)
    if profile is None:
        abort(404)
    form = TermsForm(obj=profile)
    if form.validate_on_submit():
        try:
            services.set_terms(profile, actor=current_user, employment=form.employment.data,
                               rate_half_day=form.rate_half_day.data, rate_day=form.rate_day.data,
                               rate_line=form.rate_line.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The terms of %(name)s have been saved.", name=profile.name), "success")
            return redirect(url_for("translations.translators"))
    return render_template("language_service/terms.html", profile=profile, form=form)


@bp.route("/translators")
@permission_required(MANAGE)
def translators():
    """Every translator account with its profile (officers see languages, modes and availability)."""
    users = db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.TRANSLATOR.value)
                               .order_by(User.full_name)).all()
    profiles = {p.user_id: p for p in db.session.scalars(sa.select(TranslatorProfile))}
    return render_template("language_service/translators.html", rows=[(u, profiles.get(u.id)) for u in users],
                           language=language_name)
from . import delivery_views as _delivery_views  # noqa: E402,F401  (routes on this blueprint)
