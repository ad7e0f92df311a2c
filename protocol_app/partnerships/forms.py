"""Forms of the partnerships."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import (
    MultipleChoiceField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    required_file,
)
from ..directory.forms import contact_choices
from .models import ActivityKind, Network


class PartnershipForm(VersionedForm):
    agreement_date = DateField(_l("Agreement signed on"), validators=[Optional()])
    agreement_title = PlainTextField(_l("Title of the agreement"), validators=[Optional(), Length(max=300)])
    fields_of_cooperation = PlainTextAreaField(_l("Fields of cooperation (one per line)"),
                                               validators=[Optional(), Length(max=5000)])
    networks = MultipleChoiceField(_l("City networks both belong to"), choices=Network.choices())
    contact_ids = MultipleChoiceField(_l("Contacts (from the directory)"), coerce=int)
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_ids.choices = [(cid, label) for cid, label in contact_choices() if cid]


class AgreementForm(FlaskForm):
    file = required_file(_l("The signed agreement (PDF, DOCX or a scan)"))
    submit = SubmitField(_l("Upload"))


class ActivityForm(VersionedForm):
    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=ActivityKind.choices())
    starts_on = DateField(_l("From"), validators=[DataRequired(message=_l("Please give the date."))])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    description = PlainTextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))
