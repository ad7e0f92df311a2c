"""Forms of the Sprachendienst."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SubmitField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import (
    DATETIME_FORMAT,
    BerlinTimes,
    LanguageField,
    LocaleDecimalField,
    MultipleChoiceField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    optional_id,
    required_file,
)
from ..directory.forms import venue_choices
from .models import WEEKDAYS, AbsenceKind, AssignmentKind, Employment, LanguageClass, ServiceMode


class AssignmentForm(BerlinTimes, FlaskForm):
    BERLIN_TIMES = ("starts_at", "ends_at", "deadline")

    kind = SelectField(_l("Kind"), choices=AssignmentKind.choices())
    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = LanguageField(_l("Language"), validators=[DataRequired()])
    mode = SelectField(_l("Mode"), choices=ServiceMode.choices())
    starts_at = DateTimeLocalField(_l("Start (interpreting)"), format=DATETIME_FORMAT, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("End (interpreting)"), format=DATETIME_FORMAT, validators=[Optional()])
    deadline = DateTimeLocalField(_l("Deadline (written translation)"), format=DATETIME_FORMAT,
                                  validators=[Optional()])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, default=0, choices=venue_choices)
    location = PlainTextField(_l("Other place"), validators=[Optional(), Length(max=300)])
    needed = IntegerField(_l("Interpreters needed (empty: as the AIIC rule proposes)"), validators=[
        Optional(), NumberRange(min=1, max=10, message=_l("Please ask for 1 to 10 interpreters."))])
    team_reason = PlainTextField(_l("Reason for a team size other than the AIIC rule"),
                                 validators=[Optional(), Length(max=500)])
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def load(self, assignment) -> None:
        self.load_times(assignment)

    def service_values(self) -> dict:
        values = {name: f.data for name, f in self._fields.items()
                  if name not in ("csrf_token", "submit", "needed", "team_reason")}
        return values | self.times_in_utc()


class CancelForm(VersionedForm):
    reason = PlainTextField(_l("Reason for cancelling (the translators are told)"), validators=[
        DataRequired(_l("Please give the reason for cancelling.")), Length(max=500)])


class HandBackForm(FlaskForm):
    reason = PlainTextField(_l("Why you hand the assignment back (the Sprachendienst is told)"), validators=[
        DataRequired(_l("Please give the reason for handing the assignment back.")), Length(max=500)])


class ProfileForm(FlaskForm):
    """What a translator keeps about themselves; employment and rates are the office's."""

    modes = MultipleChoiceField(_l("Modes of work"), choices=ServiceMode.choices())
    specialisations = PlainTextField(_l("Specialisations"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save profile"))

    def load(self, profile) -> None:
        self.modes.data = profile.mode_values


class TermsForm(FlaskForm):
    """The office's terms for a translator (officers of the Sprachendienst only)."""

    employment = SelectField(_l("Employment"), choices=Employment.choices())
    rate_half_day = LocaleDecimalField(_l("Rate per half day (EUR, freelancers)"), validators=[Optional()])
    rate_day = LocaleDecimalField(_l("Rate per day (EUR, freelancers)"), validators=[Optional()])
    rate_line = LocaleDecimalField(_l("Rate per standard line (EUR, freelancers)"), validators=[Optional()])
    submit = SubmitField(_l("Save the terms"))


class LanguageForm(FlaskForm):
    language = LanguageField(_l("Language"), validators=[DataRequired()])
    level = SelectField(_l("Class"), choices=LanguageClass.choices())
    submit = SubmitField(_l("Add language"))


class WindowForm(FlaskForm):
    weekday = SelectField(_l("Weekday"), coerce=int, choices=list(enumerate(WEEKDAYS)))
    starts = TimeField(_l("From"), validators=[InputRequired()])
    ends = TimeField(_l("Until"), validators=[InputRequired()])
    submit = SubmitField(_l("Add window"))


class AbsenceForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=AbsenceKind.choices())
    submit = SubmitField(_l("Add absence"))


class AnswerForm(FlaskForm):
    reason = PlainTextField(_l("Reason (optional, when declining)"), validators=[Optional(), Length(max=500)])


class SourceForm(FlaskForm):
    file = required_file(_l("Source document"))
    submit = SubmitField(_l("Attach source"))


class DeliveryForm(FlaskForm):
    file = required_file(_l("Translation"))
    submit = SubmitField(_l("Deliver translation"))


class ConfirmationForm(FlaskForm):
    hours = LocaleDecimalField(_l("Hours worked"), validators=[Optional()])
    lines = IntegerField(_l("Standard lines"), validators=[Optional()])
    submit = SubmitField(_l("Confirm that it took place"))
