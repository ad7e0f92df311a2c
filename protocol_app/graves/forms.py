"""Forms of the honorary graves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import PlainTextAreaField, PlainTextField, VersionedForm, required_file
from .models import DISTRICTS, Proposal

#: The form fields a grave's service takes.
GRAVE_FIELDS = ("name", "born_on", "died_on", "honoured_for", "cemetery", "location", "district",
                "recognised_since", "term_ends_on", "honorary_citizen", "decision_date", "decision_reference", "notes")


class GraveForm(VersionedForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    born_on = DateField(_l("Born"), validators=[Optional()])
    died_on = DateField(_l("Died"), validators=[Optional()])
    honoured_for = PlainTextField(_l("Honoured for"), validators=[Optional(), Length(max=500)])
    cemetery = PlainTextField(_l("Cemetery"), validators=[DataRequired(), Length(max=200)])
    location = PlainTextField(_l("Grave location"), validators=[Optional(), Length(max=100)],
                              description=_l("Field, row and number as the cemetery writes them."))
    district = SelectField(_l("District (pays for the care)"), choices=[("", "—"), *((d, d) for d in DISTRICTS)],
                           validators=[DataRequired(message=_l("Please choose the district."))])
    recognised_since = DateField(_l("Recognised since"), validators=[Optional()])
    term_ends_on = DateField(_l("Term ends"), validators=[Optional()],
                             description=_l("Left empty: 20 years after the recognition."))
    honorary_citizen = BooleanField(_l("Honorary citizen of Berlin (recognised without a time limit)"))
    decision_date = DateField(_l("Senate decision of"), validators=[Optional()])
    decision_reference = PlainTextField(_l("Senate decision reference"), validators=[Optional(), Length(max=100)])
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class GraveImportForm(FlaskForm):
    file = required_file(_l("Honorary graves (CSV or XLSX)"))
    submit = SubmitField(_l("Import"))


class ProposalForm(VersionedForm):
    proposal = SelectField(_l("Proposal"), choices=[("", "—"), *Proposal.choices()],
                           validators=[DataRequired(message=_l("Please choose extend or end."))])
    reason = PlainTextField(_l("Reason"), validators=[DataRequired(message=_l("Please give the reason for the proposal.")),
                                                      Length(max=1000)])
    submit = SubmitField(_l("Save proposal"))


class BatchDecisionForm(VersionedForm):
    decision_date = DateField(_l("Senate decision of"), validators=[DataRequired(message=_l("Please give the date of the Senate's decision."))])
    decision_reference = PlainTextField(_l("Senate decision reference"), validators=[
        DataRequired(message=_l("Please give the reference of the Senate's decision.")), Length(max=100)])
    submit = SubmitField(_l("Record the Senate's decision"))


SUGGESTION_FIELDS = ("name", "born_on", "died_on", "honoured_for", "cemetery", "location", "district",
                     "honorary_citizen", "suggested_by", "received_on")


class SuggestionForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    born_on = DateField(_l("Born"), validators=[Optional()])
    died_on = DateField(_l("Died"), validators=[DataRequired(message=_l("Please give the date of death."))])
    honoured_for = PlainTextField(_l("Honoured for"), validators=[Optional(), Length(max=500)])
    cemetery = PlainTextField(_l("Cemetery"), validators=[DataRequired(), Length(max=200)])
    location = PlainTextField(_l("Grave location"), validators=[Optional(), Length(max=100)])
    district = SelectField(_l("District (pays for the care)"), choices=[("", "—"), *((d, d) for d in DISTRICTS)],
                           validators=[DataRequired(message=_l("Please choose the district."))])
    honorary_citizen = BooleanField(_l("Honorary citizen of Berlin (recognised without a time limit)"))
    suggested_by = PlainTextField(_l("Suggested by"), validators=[Optional(), Length(max=200)])
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    submit = SubmitField(_l("Record the suggestion"))


class StatementForm(VersionedForm):
    author = PlainTextField(_l("Senate department"), validators=[Optional(), Length(max=200)])
    received_on = DateField(_l("Received on"), validators=[Optional()])
    summary = PlainTextAreaField(_l("Statement"), validators=[DataRequired(message=_l("Please summarise the statement.")),
                                                             Length(max=2000)])
    submit = SubmitField(_l("Record the statement"))


class SuggestionDecisionForm(VersionedForm):
    action = SelectField(_l("Decision"), choices=[("recognise", _l("Recognised by the Senate")),
                                                  ("refuse", _l("Not recognised by the Senate"))])
    decision_date = DateField(_l("Senate decision of"), validators=[DataRequired(message=_l("Please give the date of the Senate's decision."))])
    decision_reference = PlainTextField(_l("Senate decision reference"), validators=[
        DataRequired(message=_l("Please give the reference of the Senate's decision.")), Length(max=100)])
    comment = PlainTextAreaField(_l("Reason (when not recognised)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record the Senate's decision"))
