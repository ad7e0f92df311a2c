"""Admin pages for what every letter shares: the letterhead, the seal and who signs each kind."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired, Length

from ..core import letters
from ..core.forms import PlainTextField
from ..core.front_door import saved
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required
from .views import bp

register_nav("admin.letters_settings", _l("Letters and certificates"), Permission.ADMIN_TEMPLATES, order=93)


class LetterheadForm(FlaskForm):
    sender_line = PlainTextField(_l("Sender line above the address (return address)"),
                                 validators=[DataRequired(), Length(max=200)])
    header_de = PlainTextField(_l("Header (German)"), validators=[DataRequired(), Length(max=200)])
    header_en = PlainTextField(_l("Header (English)"), validators=[DataRequired(), Length(max=200)])
    letterhead = FileField(_l("Letterhead image (PNG or JPEG; replaces the header text)"))
    remove_letterhead = BooleanField(_l("Remove the letterhead image"))
    seal = FileField(_l("Seal or coat of arms for certificates (PNG or JPEG)"))
    remove_seal = BooleanField(_l("Remove the seal"))
    submit = SubmitField(_l("Save letterhead"))


class SignatoryForm(FlaskForm):
    name = PlainTextField(_l("Name of the signatory"), validators=[DataRequired(), Length(max=200)])
    function_de = PlainTextField(_l("Function (German)"), validators=[DataRequired(), Length(max=200)])
    function_en = PlainTextField(_l("Function (English)"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save signatory"))


def _upload(field) -> tuple[str, bytes] | None:
    data = field.data
    if not data or not getattr(data, "filename", ""):
        return None
    return data.filename, data.read()


@bp.route("/letters", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def letters_settings():
    head = letters.letterhead()
    form = LetterheadForm(obj=head)
    return saved(form, lambda: letters.save_letterhead(
        actor=current_user, sender_line=form.sender_line.data, header_de=form.header_de.data,
        header_en=form.header_en.data, letterhead_upload=_upload(form.letterhead), seal_upload=_upload(form.seal),
        remove_letterhead=form.remove_letterhead.data, remove_seal=form.remove_seal.data),
        message=_("The letterhead has been saved."), then=lambda _head: redirect(url_for("admin.letters_settings"))
    ) or render_template("admin/letters.html", form=form, head=head, kinds=letters.LETTER_KINDS,
                         signatories=letters.signatories())


@bp.route("/letters/signatories/<kind>", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def letter_signatory(kind: str):
    if kind not in letters.LETTER_KINDS:
        abort(404)
    form = SignatoryForm(obj=letters.signatories().get(kind))
    return saved(form, lambda: letters.save_signatory(kind, actor=current_user, name=form.name.data,
                                                      function_de=form.function_de.data,
                                                      function_en=form.function_en.data),
                 message=_("The signatory has been saved."),
                 then=lambda _row: redirect(url_for("admin.letters_settings"))) or render_template("admin/letter_signatory.html", form=form, kind=kind, label=letters.LETTER_KINDS[kind])
