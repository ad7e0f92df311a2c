"""The translators' own pages (their offers, their profile, and see nothing else) and the
officers' list of translators with their terms."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...auth.models import User, UserRole
from ...core.errors import DomainError
from ...core.forms import ConfirmForm, edit_form, flash_form_errors
from ...core.front_door import posted, saved
from ...core.languages import language_name
from ...core.permissions import Role, permission_required
from ...extensions import db
from .. import offers, services
from ..forms import (
    AbsenceForm,
    AnswerForm,
    DeliveryForm,
    HandBackForm,
    LanguageForm,
    ProfileForm,
    TermsForm,
    WindowForm,
)
from ..models import (
    Absence,
    AvailabilityWindow,
    LanguageSkill,
    TranslatorProfile,
)
from ..permissions import offer_is_live
from . import MANAGE, OWN, bp, own_offers, profiles


@bp.route("/offers")
@permission_required(OWN)
def my_offers():
    return render_template("language_service/offers.html", offers=offers.my_offers(current_user))


@bp.route("/offers/<int:offer_id>", methods=["GET", "POST"])
@permission_required(OWN)
def offer(offer_id: int):
    offer = own_offers.load(offer_id)
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
    offer, form = own_offers.load(offer_id), HandBackForm()
    return posted(form, lambda: offers.hand_back(offer, actor=current_user, reason=form.reason.data),
                  message=_("You have handed the assignment back; the Sprachendienst has been told."),
                  then=lambda: redirect(url_for("translations.offer", offer_id=offer.id)))


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
    form = edit_form(ProfileForm, profile)
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
    profile = profiles.load_for_change(profile_id)
    form = TermsForm(obj=profile)
    return saved(form, lambda: services.set_terms(profile, actor=current_user, employment=form.employment.data,
                                                  rate_half_day=form.rate_half_day.data, rate_day=form.rate_day.data,
                                                  rate_line=form.rate_line.data),
                 message=_("The terms of %(name)s have been saved.", name=profile.name),
                 then=lambda _terms: redirect(url_for("translations.translators"))
                 ) or render_template("language_service/terms.html", profile=profile, form=form)


@bp.route("/translators")
@permission_required(MANAGE)
def translators():
    """Every translator account with its profile (officers see languages, modes and availability)."""
    users = db.session.scalars(sa.select(User).join(UserRole).where(UserRole.role == Role.TRANSLATOR.value)
                               .order_by(User.full_name)).all()
    profiles = {p.user_id: p for p in db.session.scalars(sa.select(TranslatorProfile))}
    return render_template("language_service/translators.html", rows=[(u, profiles.get(u.id)) for u in users],
                           language=language_name)
