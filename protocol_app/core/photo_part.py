"""A record's one photo (a Golden Book signing, a press note): kept and removed with an audit
entry, served and changed through two routes a domain adds to its front door.

The domain describes its photo once in its services (`PhotoPart`: the audit name and its rule of
when the photo may change — a withdrawn entry, a note past its draft) and hands that to the routes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from ..extensions import db
from .audit import record_event
from .files import remove_upload, replace_upload
from .forms import file_page, required_file
from .front_door import acted
from .permissions import permission_required


class PhotoForm(FlaskForm):
    file = required_file(_l("Photo (PNG or JPEG)"))
    submit = SubmitField(_l("Upload photo"))


@dataclass(frozen=True)
class PhotoPart:
    """The photo services of one kind of record: `audit_name` names its audit entries
    (`<audit_name>.photo`, `….photo_remove`), `check(record)` refuses a change with its reason."""

    audit_name: str
    check: Callable[[object], None]

    def keep(self, record, filename: str, data: bytes, *, actor) -> None:
        """Keep `record`'s photo (PNG or JPEG, checked to be one); a new one replaces the old file."""
        with db.session.begin_nested():
            self.check(record)
            names = replace_upload(record, "photo", filename, data, actor=actor, image=True)
            record_event(f"{self.audit_name}.photo", actor=actor, target=record, changes={"photo": names})

    def drop(self, record, *, actor) -> None:
        """Take `record`'s photo away, off the disk too; nothing is logged when there was none."""
        with db.session.begin_nested():
            self.check(record)
            removed = remove_upload(record, "photo")
            if removed is not None:
                record_event(f"{self.audit_name}.photo_remove", actor=actor, target=record,
                             changes={"photo": [removed, None]})


def add_photo_routes(door, photo: PhotoPart, *, key: str, read: tuple, edit: tuple, can_edit: Callable,
                     form_class: type[FlaskForm] = PhotoForm) -> None:
    """`<blueprint>.photo` (GET: the photo, POST: a new one) and `<blueprint>.photo_delete` at
    `/<key>/photo…`: the record is loaded through the domain's `door` (read, or for change),
    `can_edit(user, record)` decides the upload, the domain's `photo` part keeps and drops it;
    both return to the record's page."""
    bp = door.blueprint

    def back(record):
        return url_for(f"{bp.name}.detail", **{key: record.id})

    @permission_required(*read)
    def photo_page(**ids):
        record = door.load(ids[key])
        return file_page(record.photo, form_class, may_change=can_edit(current_user, record),
                         keep=lambda name, data: photo.keep(record, name, data, actor=current_user),
                         done=_("The photo has been saved."), back=back(record))

    @permission_required(*edit)
    def photo_removal(**ids):
        record = door.load_for_change(ids[key])
        return acted(lambda: photo.drop(record, actor=current_user), message=_("The photo has been removed."),
                     then=lambda: redirect(back(record)))

    bp.add_url_rule(f"/<int:{key}>/photo", "photo", photo_page, methods=["GET", "POST"])
    bp.add_url_rule(f"/<int:{key}>/photo/delete", "photo_delete", photo_removal, methods=["POST"])
