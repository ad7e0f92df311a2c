"""An entry: record it (also from its visit or event), change it, take its steps, keep its
photo; and the calligrapher's lead time."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import workflow
from ...core.forms import ConfirmForm, TransitionForm, form_values
from ...core.front_door import saved
from ...core.permissions import permission_required
from ...core.photo_part import add_photo_routes
from ...programme.occasions import Occasion, occasion_of
from .. import permissions, services
from ..forms import BookSettingsForm, EntryForm, PhotoForm
from ..models import BookEntry
from ..permissions import EDIT, READ, SETTINGS
from ..services import ENTRY_FIELDS
from ..workflow import ENTRY_WORKFLOW, EntryState
from . import bp, door


def _detail(entry: BookEntry):
    return redirect(url_for("goldenbook.detail", entry_id=entry.id))


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
    return _edit(door.load_for_change(entry_id) if request.method == "POST" else door.load(entry_id))


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
    done = can_edit and saved(form, lambda: services.save_entry(
        entry, form_values(form, *ENTRY_FIELDS), actor=current_user,
        occasion_scope=occasion.scope if occasion else None, occasion_id=occasion.subject_id if occasion else None,
        partner_city_occasion=bool(occasion and occasion.partner_city),
        expected_version=form.expected_version() if entry else None),
        message=lambda entry: _("The entry has been saved: %(book)s.", book=entry.book_label), then=_detail)
    if done:
        return done
    context = {}
    if entry is not None:
        context = {**ENTRY_WORKFLOW.page_steps(entry, current_user, may_move=permissions.can_edit(current_user)),
                   "transition_form": TransitionForm(version=entry.version), "photo_form": PhotoForm(),
                   "confirm": ConfirmForm(), "history": workflow.history(ENTRY_WORKFLOW, entry.id),
                   "state_labels": {s.value: s.label for s in EntryState}}
    return render_template("goldenbook/form.html", form=form, entry=entry, can_edit=can_edit, occasion=occasion,
                           internals=permissions.sees_internals(current_user), **context)


# The process's guards decide (a withdrawn entry may be planned again).
door.add_step_route(bp, "/<int:entry_id>/step", "step", permissions=(EDIT,), then=_detail)


add_photo_routes(door, services.photo, key="entry_id", read=(READ,), edit=(EDIT,), can_edit=permissions.can_edit,
                 form_class=PhotoForm)


@bp.route("/settings", methods=["GET", "POST"])
@permission_required(SETTINGS)
def settings():
    form = BookSettingsForm(obj=services.settings())
    return saved(form, lambda: services.set_lead_days(actor=current_user, lead_days=form.lead_days.data),
                 message=_("The settings have been saved."), then=lambda _settings: redirect(url_for("goldenbook.settings"))
                 ) or render_template("goldenbook/settings.html", form=form)
