"""The office's pages of the press notes: the list, a draft from a visit or event, the note with
its photo and its steps (send for approval, approve, return, withdraw, revise)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core import workflow
from ...core.errors import ConcurrentChangeError, DomainError
from ...core.forms import (
    ConfirmForm,
    TransitionForm,
    apply_domain_error,
    edit_form,
    form_values,
)
from ...core.front_door import saved
from ...core.listing import choice_arg, paginate
from ...core.permissions import permission_required
from ...core.photo_part import PhotoForm, add_photo_routes
from ...programme.occasions import occasion_of
from .. import permissions, services
from ..forms import NoteForm
from ..models import NewsNote
from ..permissions import APPROVE, EDIT
from ..services import NOTE_FIELDS
from ..workflow import NOTE_WORKFLOW, NoteState
from . import bp, door

_UNPUBLISHED = (NoteState.DRAFT.value, NoteState.IN_REVIEW.value)


def _note_page(note: NewsNote):
    return redirect(url_for("news.detail", note_id=note.id))


@bp.route("/")
@permission_required(EDIT, APPROVE)
def index():
    state = choice_arg("state", NoteState)
    listing = paginate(services.list_stmt(state).where(permissions.readable_filter(current_user)),
                       sortable={"date": (NewsNote.occasion_on, NewsNote.id), "title": NewsNote.title_de,
                                 "state": (NewsNote.state, NewsNote.occasion_on)},
                       default_sort="date", default_direction="desc",
                       searchable=(NewsNote.title_de, NewsNote.title_en, NewsNote.source_label))
    return render_template("news/index.html", listing=listing, state=state, states=NoteState)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new():
    """A draft about `?scope=visit&id=…` (or event); a source that may not be told of is refused."""
    scope, subject_id = request.args.get("scope"), request.args.get("id", type=int)
    existing = services.note_for(scope, subject_id) if scope and subject_id else None
    if existing is not None and request.method == "GET":
        flash(_("There is a press note about this already."), "info")
        return redirect(url_for("news.detail", note_id=existing.id))
    try:
        source = services.source_of(scope, subject_id)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        occasion = occasion_of(scope, subject_id)
        return redirect(occasion.url if occasion else url_for("news.index"))
    form = NoteForm()
    if existing is not None:
        return _drafted_meanwhile(form, source, existing)
    if request.method == "GET":
        form.title_de.data = source.title or source.label
    if form.validate_on_submit():
        try:
            note = services.create_note(scope, subject_id, form_values(form, *NOTE_FIELDS), actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        except ConcurrentChangeError:  # both saved at the same instant: the other one stood
            return _drafted_meanwhile(form, source, services.note_for(scope, subject_id))
        else:
            flash(_("The draft has been saved."), "success")
            return redirect(url_for("news.detail", note_id=note.id))
    return render_template("news/form.html", form=form, note=None, source=source, can_edit=True)


def _drafted_meanwhile(form, source, note):
    """Another officer drafted the note while this one wrote: 409, the text stays on the page to copy."""
    return render_template("news/form.html", form=form, note=None, source=source, can_edit=True,
                           drafted_meanwhile=note), 409


@bp.route("/<int:note_id>", methods=["GET", "POST"])
@permission_required(EDIT, APPROVE)
def detail(note_id: int):
    note = door.load_for_change(note_id) if request.method == "POST" else door.load(note_id)
    can_edit = permissions.can_edit(current_user, note)
    form = edit_form(NoteForm, note)
    done = can_edit and saved(form, lambda: services.save_note(note, form_values(form, *NOTE_FIELDS), actor=current_user,
                                                               expected_version=form.expected_version()),
                              message=_("The note has been saved."), then=lambda _changed: _note_page(note))
    if done:
        return done
    available, blocked = NOTE_WORKFLOW.options(note, current_user)
    return render_template("news/form.html", form=form, note=note, source=occasion_of(note.source_scope, note.source_id),
                           can_edit=can_edit, transitions=available, blocked=blocked,
                           transition_form=TransitionForm(version=note.version), photo_form=PhotoForm(),
                           confirm=ConfirmForm(),
                           missing=services.missing_parts(note) if note.state in _UNPUBLISHED else [],
                           history=workflow.history(NOTE_WORKFLOW, note.id),
                           state_labels={s.value: s.label for s in NoteState})


door.add_step_route(bp, "/<int:note_id>/step", "step", permissions=(EDIT, APPROVE), then=_note_page)


add_photo_routes(door, services.photo, key="note_id", read=(EDIT, APPROVE), edit=(EDIT,),
                 can_edit=permissions.can_edit)
