"""Forms of the honours area."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..core.forms import PlainTextAreaField, PlainTextField, VersionedForm, required_file
from ..core.permissions import Position
from ..directory.forms import country_choices
from ..extensions import db
from .models import AwardType, Gender, SuggesterKind


def award_type_choices():
    rows = db.session.execute(sa.select(AwardType.id, AwardType.name).where(AwardType.is_active.is_(True))
                              .order_by(AwardType.name))
    return [(award_id, name) for award_id, name in rows]


class CaseForm(VersionedForm):
    award_type_id = SelectField(_l("Award"), coerce=int, choices=award_type_choices)
    nominee_name = PlainTextField(_l("Name of the nominee"), validators=[DataRequired(), Length(max=200)])
    nominee_birth_name = PlainTextField(_l("Birth name"), validators=[Optional(), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    birth_place = PlainTextField(_l("Place of birth"), validators=[Optional(), Length(max=200)])
    nationality = SelectField(_l("Nationality"), coerce=lambda value: value or None,
                              choices=lambda: [("", "—")] + country_choices())
    address = PlainTextAreaField(_l("Address"), validators=[Optional(), Length(max=500)])
    occupation = PlainTextField(_l("Occupation"), validators=[Optional(), Length(max=200)])
    gender = SelectField(_l("Gender (for the statistics)"), choices=Gender.choices(), default=Gender.UNKNOWN.value)
    died_on = DateField(_l("Date of death"), validators=[Optional()])
    suggested_by = PlainTextField(_l("Suggested by (person or institution)"),
                                  validators=[DataRequired(), Length(max=200)])
    suggester_kind = SelectField(_l("Suggested by a"), choices=SuggesterKind.choices())
    suggester_entitlement = PlainTextField(_l("Entitled to suggest as"), validators=[Optional(), Length(max=200)])
    justification = PlainTextAreaField(_l("Justification (Begründung/Würdigung)"),
                                       validators=[Optional(), Length(max=20000)])
    existing_honours = PlainTextAreaField(_l("Honours already held"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def service_values(self) -> dict:
        return {name: f.data for name, f in self._fields.items() if name not in ("csrf_token", "submit", "version")}


class MeritForm(FlaskForm):
    description = PlainTextField(_l("Merit"), validators=[DataRequired(), Length(max=500)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Add merit"))


class StatementForm(FlaskForm):
    from_whom = PlainTextField(_l("Statement from"), validators=[DataRequired(), Length(max=200)])
    requested_on = DateField(_l("Requested on"), validators=[DataRequired()])
    submit = SubmitField(_l("Note the request"))


class StatementReceivedForm(FlaskForm):
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    file = FileField(_l("Document (optional)"))
    submit = SubmitField(_l("Received"))


class DisclosureForm(FlaskForm):
    text = PlainTextAreaField(_l("Disclosure (e.g. result of the criminal-record check)"),
                              validators=[DataRequired(), Length(max=5000)])
    delete_on = DateField(_l("Delete on"), validators=[DataRequired()])
    submit = SubmitField(_l("Keep until the deletion date"))


class DecisionForm(VersionedForm):
    """The decision panel of the case page: a step's comment, or the Senate's decision."""

    comment = PlainTextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    decision_date = DateField(_l("Date of the Senate's decision"), validators=[Optional()])
    decision_reference = PlainTextField(_l("Reference of the Senate's decision"),
                                        validators=[Optional(), Length(max=100)])


class AwardTypeForm(FlaskForm):
    """An award type as admins maintain it (the generic reference-table pages)."""

    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    legal_basis = PlainTextField(_l("Legal basis"), validators=[Optional(), Length(max=500)])
    suggesters = PlainTextField(_l("Who may suggest"), validators=[Optional(), Length(max=500)])
    proposer = PlainTextField(_l("Who formally proposes"), validators=[Optional(), Length(max=200)])
    cap_living = IntegerField(_l("Cap of living holders (empty: none)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Please enter a number of at least 1."))])
    award_month = IntegerField(_l("Award date: month (empty: no fixed date)"), validators=[
        Optional(), NumberRange(min=1, max=12, message=_l("Please enter a month from 1 to 12."))])
    award_day = IntegerField(_l("Award date: day"), validators=[
        Optional(), NumberRange(min=1, max=31, message=_l("Please enter a day from 1 to 31."))])
    deadline_days_before = IntegerField(_l("Nomination deadline: days before the award date"), validators=[
        Optional(), NumberRange(min=0, max=365, message=_l("Please enter 0 to 365 days."))])
    min_age = IntegerField(_l("Minimum age"), validators=[
        Optional(), NumberRange(min=0, max=120, message=_l("Please enter an age from 0 to 120."))])
    merits_recency_years = IntegerField(_l("Merits within the last … years"), validators=[
        Optional(), NumberRange(min=1, max=100, message=_l("Please enter 1 to 100 years."))])
    posthumous_allowed = BooleanField(_l("May be awarded posthumously"))
    once_only = BooleanField(_l("Only once per person"), default=True)
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators=None) -> bool:
        # Checked here: the Optional() validators of both fields stop their own chains when empty.
        valid = super().validate(extra_validators)
        if (self.award_month.data is None) != (self.award_day.data is None):
            self.award_day.errors = [*self.award_day.errors,
                                     _l("Please give both month and day of the award date, or neither.")]
            return False
        return valid


class HolderDeathForm(FlaskForm):
    died_on = DateField(_l("Date of death"), validators=[DataRequired()])
    submit = SubmitField(_l("Record death"))


class UndoDeathForm(FlaskForm):
    reason = PlainTextField(_l("Why the date of death is taken back"), validators=[
        DataRequired(_l("Please give the reason for taking the date of death back.")), Length(max=200)])
    submit = SubmitField(_l("Take the date of death back"))


class HolderCorrectionForm(FlaskForm):
    """A register entry corrected: every change needs its reason (it goes into the audit log)."""

    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    gender = SelectField(_l("Gender (for the statistics)"), choices=Gender.choices())
    awarded_on = DateField(_l("Awarded on"), validators=[DataRequired()])
    reason = PlainTextField(_l("Reason for the correction"), validators=[
        DataRequired(_l("Please give the reason for the correction.")), Length(max=200)])
    submit = SubmitField(_l("Save the correction"))

    def load(self, holder) -> None:
        self.reason.data = ""  # each correction gives its own reason, not the last one's


class RevocationForm(FlaskForm):
    revoked_on = DateField(_l("Revoked on"), validators=[DataRequired()])
    reason = PlainTextField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Revoke"))


class HolderImportForm(FlaskForm):
    file = required_file(_l("Register of holders (CSV or XLSX)"))
    submit = SubmitField(_l("Check the file"))


class StepForm(FlaskForm):
    name = PlainTextField(_l("Step (e.g. Abteilungsleitung)"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Decided by"), choices=[("manager", _l("Head of unit / department")),
                                                 ("officer", _l("Protocol officer"))])
    required_position = SelectField(_l("Only by the holder of"), choices=[("", _l("anyone of the role")),
                                                                          *Position.choices()], default="")
    submit = SubmitField(_l("Add step"))
