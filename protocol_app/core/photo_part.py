"""A record's one photo (a Golden Book signing, a press note): kept and removed with an audit
entry, served and changed through two routes a domain adds to its front door.

The domain keeps its own rule of when the photo may change (a withdrawn entry, a note past its
draft) in its services, which call `keep_photo`/`drop_photo` behind that rule.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from .audit import record_event
from .files import remove_upload, replace_upload
from .forms import file_page
from .front_door import acted
from .permissions import permission_required


class PhotoForm(FlaskForm):
    file = FileField(_l("Photo (PNG or JPEG)"), validators=[FileRequired(_l("Please choose a file."))])
    submit = SubmitField(_l("Upload photo"))


def keep_photo(record, filename: str, data: bytes, *, actor, audit_name: str) -> None:
    """Keep `record`'s photo (PNG or JPEG, checked to be one); a new one replaces the old file."""
    names = replace_upload(record, "photo", filename, data, actor=actor, image=True)
    record_event(f"{audit_name}.photo", actor=actor, target=record, changes={"photo": names})


def drop_photo(record, *, actor, audit_name: str) -> None:
    """Take `record`'s photo away, off the disk too; nothing is logged when there was none."""
    removed = remove_upload(record, "photo")
    if removed is not None:
        record_event(f"{audit_name}.photo_remove", actor=actor, target=record, changes={"photo": [removed, None]})


def add_photo_routes(door, *, key: str, read: tuple, edit: tuple, can_edit: Callable, set_photo: Callable,
                     remove_photo: Callable, form_class: type[FlaskForm] = PhotoForm) -> None:
    """`<blueprint>.photo` (GET: the photo, POST: a new one) and `<blueprint>.photo_delete` at
    `/<key>/photo…`: the record is loaded through the domain's `door` (read, or for change),
    `can_edit(user, record)` decides the upload, `set_photo(record, filename, data, actor=)` and
    `remove_photo(record, actor=)` are the domain's services; both return to the record's page."""
    bp = door.blueprint

    def back(record):
        return url_for(f"{bp.name}.detail", **{key: record.id})

    @permission_required(*read)
    def photo(**ids):
        record = door.load(ids[key])
        return file_page(record.photo, form_class, may_change=can_edit(current_user, record),
                         keep=lambda name, data: set_photo(record, name, data, actor=current_user),
                         done=_("The photo has been saved."), back=back(record))

    @permission_required(*edit)
    def photo_delete(**ids):
        record = door.load_for_change(ids[key])
        return acted(lambda: remove_photo(record, actor=current_user), message=_("The photo has been removed."),
                     then=lambda: redirect(back(record)))

    bp.add_url_rule(f"/<int:{key}>/photo", "photo", photo, methods=["GET", "POST"])
    bp.add_url_rule(f"/<int:{key}>/photo/delete", "photo_delete", photo_delete, methods=["POST"])
