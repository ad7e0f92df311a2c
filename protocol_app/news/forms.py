"""Forms of the press notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import PlainTextAreaField, PlainTextField, VersionedForm


class NoteForm(VersionedForm):
    title_de = PlainTextField(_l("Title (German)"), validators=[
        DataRequired(message=_l("Please give the German title.")), Length(max=200)])
    lead_de = PlainTextAreaField(_l("Lead (German)"), validators=[Optional(), Length(max=600)])
    text_de = PlainTextAreaField(_l("Text (German)"), validators=[Optional(), Length(max=20000)])
    title_en = PlainTextField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    lead_en = PlainTextAreaField(_l("Lead (English)"), validators=[Optional(), Length(max=600)])
    text_en = PlainTextAreaField(_l("Text (English)"), validators=[Optional(), Length(max=20000)])
    photo_credit = PlainTextField(_l("Photo credit"), validators=[Optional(), Length(max=200)],
                                  description=_l("Required with a photo, e.g. “Foto: Senatskanzlei / M. Muster”."))
    submit = SubmitField(_l("Save"))
