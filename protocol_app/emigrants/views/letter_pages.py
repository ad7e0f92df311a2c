"""The case's letters: generated from the office's templates, downloaded as PDF."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.audit import record_event
from ...core.crud import Column, CrudSpec, register_crud
from ...core.files import send_stored
from ...core.front_door import acted, part_of
from ...core.permissions import Permission, permission_required
from .. import (
    letters,
)
from ..forms import (
    LetterTemplateForm,
)
from ..models import (
    GeneratedLetter,
    LetterTemplate,
)
from . import ACCESS, _detail, bp, door


@bp.route("/<reference>/letters/<kind>", methods=["POST"])
@permission_required(ACCESS)
def letter_generate(reference: str, kind: str):
    application = door.load_for_change(reference)
    return acted(lambda: letters.generate(application, kind, actor=current_user),
                 message=lambda letter: _("The letter has been generated (%(language)s).", language=letter.language),
                 then=lambda: _detail(application, "letters"))


@bp.route("/<reference>/letters/<int:letter_id>.pdf")
@permission_required(ACCESS)
def letter_download(reference: str, letter_id: int):
    application = door.load(reference)
    letter = part_of(GeneratedLetter, application, letter_id, parent="application_id")
    record_event("application.letter_read", actor=current_user, target=application)
    return send_stored(letter.file)


register_crud(bp, CrudSpec(
    "letter-templates", LetterTemplate, LetterTemplateForm, _l("Letter templates"), _l("Letter template"),
    [Column("kind_label", _l("Letter")), Column("language", _l("Language"), LetterTemplate.language),
     Column("subject", _l("Subject"), LetterTemplate.subject)],
    (LetterTemplate.subject,), "language", (Permission.ADMIN_REFERENCE,), (Permission.ADMIN_REFERENCE,),
))


