"""Pages of the week in Berlin (programme items, interpreter requests), the proof documents
and the volunteer's programme link. Team pages need the `emigration` role; the volunteer's
page is public, its secret link being the credential."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from ...core.errors import DomainError
from ...core.files import send_stored
from ...core.forms import (
    apply_domain_error,
    edit_form,
    flash_form_errors,
)
from ...core.front_door import acted, part_of, posted, saved
from ...core.permissions import permission_required, public
from ...extensions import limiter
from ...programme import ConflictsFound
from .. import documents, programme, services, volunteer
from ..forms import DocumentForm, StayItemForm
from ..models import ApplicationDocument, StayProgrammeItem
from ..planning import bookings_of, plan_of
from . import ACCESS, _detail, bp, door


def _item(application, item_id: int) -> StayProgrammeItem:
    return part_of(StayProgrammeItem, application, item_id, parent="application_id")


def _document(application, document_id: int) -> ApplicationDocument:
    return part_of(ApplicationDocument, application, document_id, parent="application_id")


@bp.route("/<reference>/programme", methods=["POST"])
@permission_required(ACCESS)
def programme_add(reference: str):
    application, form = door.load_for_change(reference), StayItemForm()
    if form.validate_on_submit():
        try:
            _save(application, form)
        except ConflictsFound as exc:
            # The officer-style warning needs the form again, with the reason field.
            apply_domain_error(form, exc)
            return render_template("emigrants/programme_item.html", form=form, application=application,
                                   item=None, conflicts=exc.conflicts)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("The programme item has been added."), "success")
    else:
        flash_form_errors(form)
    return _detail(application, "programme")


@bp.route("/<reference>/programme/<int:item_id>", methods=["GET", "POST"])
@permission_required(ACCESS)
def programme_edit(reference: str, item_id: int):
    """Change an item's time, place or interpreter need (refused once the Sprachendienst has booked it)."""
    application = door.load(reference)
    item = _item(application, item_id)
    services.log_read(application, current_user)  # the page names the guest's week
    form = edit_form(StayItemForm, item)
    form.interpreter_mode.data = form.interpreter_mode.data or ""  # no interpreter: None in the record
    conflicts = []
    return saved(form, lambda: _save(application, form, item), message=_("The programme item has been saved."),
                 then=lambda _item: _detail(application, "programme"),
                 refused=lambda exc: conflicts.extend(getattr(exc, "conflicts", ()))
                 ) or render_template("emigrants/programme_item.html", form=form, application=application, item=item,
                                      conflicts=conflicts)


def _save(application, form: StayItemForm, item: StayProgrammeItem | None = None) -> StayProgrammeItem:
    return programme.save_item(application, actor=current_user, kind=form.kind.data, title=form.title.data,
                               **form.times_in_utc(),
                               location=form.location.data, interpreter_language=form.interpreter_language.data,
                               interpreter_mode=form.interpreter_mode.data or None, venue_id=form.venue_id.data,
                               conflict_reason=form.conflict_reason.data, item=item)


@bp.route("/<reference>/programme/<int:item_id>/delete", methods=["POST"])
@permission_required(ACCESS)
def programme_delete(reference: str, item_id: int):
    application = door.load_for_change(reference)
    item = _item(application, item_id)
    return acted(lambda: programme.delete_item(application, item, actor=current_user),
                 message=_("The programme item has been removed."), then=lambda: _detail(application, "programme"))


@bp.route("/<reference>/programme/<int:item_id>/interpreting", methods=["POST"])
@permission_required(ACCESS)
def programme_interpreting(reference: str, item_id: int):
    application = door.load_for_change(reference)
    item = _item(application, item_id)
    return acted(lambda: programme.request_interpreting(application, item, actor=current_user),
                 message=lambda assignment: _("The Sprachendienst has been asked for an interpreter (%(reference)s).",
                                              reference=assignment.reference),
                 then=lambda: _detail(application, "programme"))


@bp.route("/<reference>/volunteer", methods=["POST"])
@permission_required(ACCESS)
def volunteer_send(reference: str):
    """Send (or send again) the programme link to the volunteer companion now."""
    application = door.load_for_change(reference)
    plan = plan_of(application)
    if plan is None:
        abort(404)
    return acted(lambda: volunteer.send_programme(application, plan, actor=current_user),
                 message=_("The programme has been sent to the volunteer companion; an earlier link no longer works."),
                 then=lambda: _detail(application, "programme"))


@bp.route("/<reference>/documents", methods=["POST"])
@permission_required(ACCESS)
def document_add(reference: str):
    application, form = door.load_for_change(reference), DocumentForm()
    return posted(form, lambda: documents.add_document(application, actor=current_user, kind=form.kind.data,
                                                       filename=form.file.data.filename or "",
                                                       data=form.file.data.read(), description=form.description.data),
                  message=_("The document has been stored with the application."),
                  then=lambda: _detail(application, "documents"))


@bp.route("/<reference>/documents/<int:document_id>")
@permission_required(ACCESS)
def document_download(reference: str, document_id: int):
    application = door.load(reference)
    document = _document(application, document_id)
    documents.log_document_read(application, document, actor=current_user)
    return send_stored(document.file)


@bp.route("/<reference>/documents/<int:document_id>/delete", methods=["POST"])
@permission_required(ACCESS)
def document_delete(reference: str, document_id: int):
    application = door.load_for_change(reference)
    document = _document(application, document_id)
    return acted(lambda: documents.remove_document(application, document, actor=current_user),
                 message=_("The document has been deleted."), then=lambda: _detail(application, "documents"))


@bp.route("/volunteer/<token>")
@public  # the volunteer has no account: the secret link from the mail is the credential
@limiter.limit("20 per minute")
def volunteer_page(token: str):
    found = volunteer.stay_for_token(token)
    if found is None:
        return render_template("emigrants/volunteer_unknown.html"), 404
    application, plan = found
    volunteer.log_volunteer_read(application)
    items = programme.items_of(application)
    return render_template("emigrants/volunteer.html", application=application, plan=plan, items=items,
                           bookings=bookings_of(application), interpreting=programme.interpreting_of(items))
