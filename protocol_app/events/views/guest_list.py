"""The guest list: adding guests, import, invitations and replies (staff and the guest's own link)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from ...core.errors import DomainError
from ...core.forms import apply_domain_error
from ...core.front_door import acted, part_of, posted, saved, uploaded
from ...core.pdf import pdf_response
from ...core.permissions import permission_required, public
from ...core.tabular_import import template_response
from ...extensions import limiter
from .. import guest_import, guests, invitations, needs
from ..forms import (
    AdhocGuestForm,
    CategoryForm,
    ContactGuestForm,
    GuestImportForm,
    NeedsForm,
    StaffReplyForm,
    UsualCategoriesForm,
)
from ..models import Guest, GuestStatus
from . import EDIT, READ, bp, door


def _warn_if_over_capacity(event) -> None:
    """A longer list than the room holds is allowed (some will decline; the others wait), but
    never unnoticed."""
    over = guests.over_capacity(event)
    if over:
        flash(_("The guest list asks for %(places)s places, %(over)s more than the event's capacity of "
                "%(capacity)s; guests who accept beyond it go on the waiting list.",
                places=guests.places_planned(event), over=over, capacity=event.capacity), "warning")


def _added(event, message=None):
    """The success message of guests added (after the capacity warning, if any)."""
    def said(result):
        _warn_if_over_capacity(event)
        return message(result) if message else None
    return said


def _counted(counts) -> str:
    added, already = counts
    return _("%(added)s guests added; %(already)s were on the list already.", added=added, already=already)


def _guests(event):
    return redirect(url_for("events.detail", reference=event.reference, _anchor="guests"))


@bp.route("/<reference>/guests/category", methods=["POST"])
@permission_required(EDIT)
def guests_add_category(reference: str):
    event = door.load_for_change(reference)
    form = CategoryForm()
    return posted(form, lambda: guests.add_category(event, form.category.data, companions=form.companions.data,
                                                    actor=current_user),
                  message=_added(event, _counted), then=lambda: _guests(event))


@bp.route("/<reference>/guests/new", methods=["GET", "POST"])
@permission_required(EDIT)
def guests_add(reference: str):
    """A guest entered by hand: the quick form on the event page or the full form here."""
    event = door.load_for_change(reference)
    form = AdhocGuestForm()
    return saved(form, lambda: guests.add_adhoc(
        event, actor=current_user, name=form.name.data, function=form.function.data,
        organisation=form.organisation.data, rank=form.rank.data, companions=form.companions.data,
        email=form.email.data or None, language=form.language.data, address_form_id=form.address_form_id.data,
        category=form.category.data, in_office_since=form.in_office_since.data,
        salutation_form=form.salutation_form.data, postal_address=form.postal_address.data,
        postal_country_code=form.postal_country_code.data),
        message=_added(event, lambda guest: _("%(name)s is on the guest list.", name=guest.name)),
        then=lambda _guest: _guests(event)) or render_template("events/guest_form.html", event=event, form=form)


@bp.route("/<reference>/guests/usual", methods=["POST"])
@permission_required(EDIT)
def guests_add_usual(reference: str):
    event = door.load_for_change(reference)
    form = UsualCategoriesForm()
    return posted(form, lambda: guests.add_usual_categories(event, companions=form.companions.data, actor=current_user),
                  message=_added(event, _counted), then=lambda: _guests(event))


@bp.route("/<reference>/guests/import", methods=["GET", "POST"])
@permission_required(EDIT)
def guests_import(reference: str):
    """Import a guest list; a file with any broken row is refused as a whole, with every error listed."""
    event = door.load_for_change(reference)
    form = GuestImportForm()
    done, result = uploaded(form, lambda name, data: guest_import.import_guests(event, name, data, actor=current_user),
                            message=_added(event, lambda result: ngettext("%(n)s guest imported.",
                                                                         "%(n)s guests imported.", len(result.rows),
                                                                         n=len(result.rows))),
                            then=lambda: _guests(event))
    if done:
        return done
    return render_template("events/guest_import.html", event=event, form=form, result=result,
                           columns=guest_import.columns())


@bp.route("/guest-import-template.<export:fmt>")
@permission_required(EDIT)
def guests_import_template(fmt: str):
    return template_response(guest_import.columns(), guest_import.EXAMPLE_ROW, filename="gaesteliste-vorlage", fmt=fmt)


@bp.route("/<reference>/guests/<int:guest_id>/invitation.pdf")
@permission_required(READ)
def guest_invitation_pdf(reference: str, guest_id: int):
    """A guest's personalised invitation to print (the reply link is only in the sent invitation)."""
    event = door.load(reference)
    guest = part_of(Guest, event, guest_id, parent="event_id")
    return pdf_response(invitations.letters_pdf(event, [(guest, None)]), f"einladung-{event.reference}-{guest.id}")


@bp.route("/<reference>/guests/<int:guest_id>/delete", methods=["POST"])
@permission_required(EDIT)
def guest_remove(reference: str, guest_id: int):
    event = door.load_for_change(reference)
    guest = part_of(Guest, event, guest_id, parent="event_id")
    return acted(lambda: guests.remove_guest(guest, actor=current_user), message=None, then=lambda: _guests(event))


@bp.route("/<reference>/invitations", methods=["POST"])
@permission_required(EDIT)
def invitations_send(reference: str):
    event = door.load_for_change(reference)
    return acted(lambda: invitations.send_invitations(event, actor=current_user),
                 message=lambda tokens: ngettext("%(n)s invitation sent.", "%(n)s invitations sent.", len(tokens),
                                                 n=len(tokens)),
                 then=lambda: _guests(event))


@bp.route("/<reference>/guests/<int:guest_id>/reply", methods=["POST"])
@permission_required(EDIT)
def guest_reply(reference: str, guest_id: int):
    event = door.load(reference)
    guest = part_of(Guest, event, guest_id, parent="event_id")
    form = StaffReplyForm()
    return posted(form, lambda: invitations.record_reply(guest, accept=form.answer.data == "accept",
                                                         companion=form.companion.data, channel=form.channel.data,
                                                         actor=current_user),
                  message=lambda status: _("Reply recorded: %(status)s", status=guest.status_label if status else ""),
                  then=lambda: _guests(event))


@bp.route("/reply/<token>", methods=["GET", "POST"])
@public  # the invited guest has no account: the secret link is the credential
@limiter.limit("20 per minute")
def reply(token: str):
    guest = invitations.guest_for_token(token)
    if guest is None:
        return render_template("events/reply_unknown.html"), 404
    with force_locale(guest.language or "de"):  # the page speaks the invitation's language
        form = NeedsForm()
        asked = needs.questions(guest.event)
        form.mark_required(needs.required(guest.event))
        if request.method == "GET" and guest.status in invitations.ANSWERED:
            # A reopened link shows the answer given, ready to be changed until the deadline.
            form.answer.data = "decline" if guest.status == GuestStatus.DECLINED else "accept"
            form.companion.data = guest.companion_name
            given = needs.needs_of(guest)  # the guest's own answers, shown back to the guest
            form.diet.data, form.diet_note.data = given.diet, given.diet_note
            form.access.data, form.access_note.data = given.access, given.access_note
            form.conversation_language.data = guest.conversation_language or ""
        done = None
        if form.validate_on_submit():
            try:
                done = invitations.record_reply(guest, accept=form.answer.data == "accept",
                                                companion=form.companion.data, channel="online",
                                                answers=form.answers())
            except DomainError as exc:
                apply_domain_error(form, exc)
        return render_template("events/reply.html", guest=guest, event=guest.event, form=form, done=done,
                               answered=guest.status in invitations.ANSWERED, asked=asked,
                               required=needs.required(guest.event),
                               can_change=not invitations.reply_period_over(guest.event))


@bp.route("/<reference>/guests/contact", methods=["POST"])
@permission_required(EDIT)
def guests_add_contact(reference: str):
    event = door.load_for_change(reference)
    form = ContactGuestForm()
    return posted(form, lambda: guests.add_contact(event, form.contact_id.data, companions=form.companions.data,
                                                   actor=current_user),
                  message=_added(event), then=lambda: _guests(event))
