"""Forms of the book register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import PlainTextAreaField, PlainTextField, VersionedForm, required_file
from ..directory.forms import country_choices
from .eligibility import Book


class EntryForm(VersionedForm):
    signed_on = DateField(_l("Date of the signing"), validators=[DataRequired(message=_l("Please give the date."))])
    signatory = PlainTextField(_l("Signatory"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[DataRequired(), Length(max=300)],
                              description=_l("As the office writes it, e.g. “Präsident der Französischen Republik”: "
                                             "the book is proposed from it."))
    country_code = SelectField(_l("Country"))
    occasion = PlainTextField(_l("Occasion"), validators=[Optional(), Length(max=300)])
    book = SelectField(_l("Book"), choices=[("", _l("As the eligibility rule proposes")), *Book.choices()])
    reason = PlainTextField(_l("Reason for the Golden Book"), validators=[Optional(), Length(max=1000)],
                            description=_l("Needed only when the rule proposes the Gästebuch."))
    volume = PlainTextField(_l("Volume"), validators=[Optional(), Length(max=20)])
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100000)])
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [("", "—"), *country_choices()]


class PhotoForm(FlaskForm):
    file = required_file(_l("Photo of the signing (PNG or JPEG)"))
    submit = SubmitField(_l("Upload photo"))


class BookSettingsForm(FlaskForm):
    lead_days = IntegerField(_l("Days before the signing the calligrapher prepares the page"),
                             validators=[InputRequired(message=_l("Please give a number of days.")),
                                         NumberRange(min=0, max=60, message=_l("Please give between 0 and 60 days."))])
    submit = SubmitField(_l("Save"))
