"""The parts of a visit: its programme (and the interpreters for it), its delegation, its gifts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.errors import DomainError
from ...core.forms import ConfirmForm
from ...core.front_door import posted, saved
from ...core.permissions import permission_required
from ...programme.pages import programme_item_page
from .. import permissions, services
from ..forms import DelegationMemberForm, GiftForm, ProgrammeItemForm
from ..models import DelegationMember, Gift, VisitProgrammeItem
from . import EDIT, _child, _delete_child, _detail, bp, door


@bp.route("/<reference>/delegation", methods=["POST"])
@permission_required(EDIT)
def delegation_add(reference: str):
    visit = door.load_for_change(reference)
    form = DelegationMemberForm()
    return posted(form, lambda: services.add_delegation_member(
        visit, actor=current_user, name=form.name.data, function=form.function.data,
        precedence=form.precedence.data, form_of_address=form.form_of_address.data),
        message=None, then=lambda: _detail(visit, "delegation"))


@bp.route("/<reference>/delegation/<int:member_id>/delete", methods=["POST"])
@permission_required(EDIT)
def delegation_remove(reference: str, member_id: int):
    return _delete_child(reference, DelegationMember, member_id, services.remove_delegation_member,
                         None, "delegation")


@bp.route("/<reference>/programme/new", methods=["GET", "POST"])
@bp.route("/<reference>/programme/<int:item_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def programme_item(reference: str, item_id: int | None = None):
    visit = door.load_for_change(reference)
    item = _child(VisitProgrammeItem, visit, item_id) if item_id else None
    return programme_item_page(visit, item, ProgrammeItemForm, save=services.save_programme_item,
                               then=lambda saved_item: _detail(visit, f"item-{saved_item.id}"),
                               template="visits/programme_form.html", visit=visit, confirm=ConfirmForm())


@bp.route("/<reference>/programme/<int:item_id>/delete", methods=["POST"])
@permission_required(EDIT)
def programme_item_delete(reference: str, item_id: int):
    return _delete_child(reference, VisitProgrammeItem, item_id, services.delete_programme_item,
                         _l("The programme item has been deleted."), "programme")


@bp.route("/<reference>/programme/<int:item_id>/interpreting", methods=["POST"])
@permission_required(EDIT)
def programme_interpreting(reference: str, item_id: int):
    """Ask the Sprachendienst for the item's interpreter; the officer goes on to offer the job."""
    visit = door.load_for_change(reference)
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


@bp.route("/<reference>/gifts/new", methods=["GET", "POST"])
@bp.route("/<reference>/gifts/<int:gift_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def gift(reference: str, gift_id: int | None = None):
    visit = door.load_for_change(reference)
    record = _child(Gift, visit, gift_id) if gift_id else None
    form = GiftForm(obj=record)
    return saved(form, lambda: services.save_gift(visit, record, actor=current_user, values=form.data),
                 message=_("The gift has been saved."), then=lambda _gift: _detail(visit, "gifts")) or render_template("visits/gift_form.html", form=form, visit=visit, gift=record, confirm=ConfirmForm())


@bp.route("/<reference>/gifts/<int:gift_id>/delete", methods=["POST"])
@permission_required(EDIT)
def gift_delete(reference: str, gift_id: int):
    return _delete_child(reference, Gift, gift_id, services.delete_gift,
                         _l("The gift entry has been deleted."), "gifts")
