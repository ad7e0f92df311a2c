"""Forms of the emigrant programme."""

from __future__ import annotations

import zoneinfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..core.forms import (
    DATETIME_FORMAT,
    BerlinTimes,
    LanguageField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    optional_id,
    required_file,
)
from ..core.time import zones_of_country
from ..directory.forms import address_form_choices, country_choices, venue_choices
from ..directory.salutations import SalutationForm
from ..programme.forms import InterpreterNeedFields
from .models import ApplicantCategory, DocumentKind, LetterKind, ProgrammeKind

YES_NO = [("", "—"), ("yes", _l("yes")), ("no", _l("no"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else value


class ApplicationForm(VersionedForm):
    category = SelectField(_l("Category"), choices=ApplicantCategory.choices())
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    salutation_form = SelectField(_l("Salutation"), choices=[("", _l("— not known —"))] + SalutationForm.choices(),
                                  coerce=lambda value: value or None, default="")
    address_form_id = SelectField(_l("Form of address (e.g. Rabbi, Professor)"), coerce=optional_id, default=0)
    birth_name = PlainTextField(_l("Birth name"), validators=[Optional(), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired()])
    birth_place = PlainTextField(_l("Place of birth"), validators=[Optional(), Length(max=200)])
    address = PlainTextAreaField(_l("Current address"), validators=[DataRequired(), Length(max=500)])
    country_code = SelectField(_l("Country of residence"))
    language = LanguageField(_l("Language of correspondence"), default="en", validators=[DataRequired()])
    berlin_connection = PlainTextAreaField(_l("Connection to Berlin (addresses then, school, years)"),
                                           validators=[Optional(), Length(max=5000)])
    emigration = PlainTextAreaField(_l("Emigration or deportation (year, route, destination)"),
                                    validators=[Optional(), Length(max=5000)])
    declaration_signed = BooleanField(_l("The declaration of not having visited before is signed"))
    contact_name = PlainTextField(_l("Contact person (e.g. child or carer)"), validators=[Optional(), Length(max=200)])
    contact_relation = PlainTextField(_l("Relation of the contact person"), validators=[Optional(), Length(max=100)])
    contact_email = EmailField(_l("E-mail of the contact person"), validators=[
        Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    needs_mobility = PlainTextAreaField(_l("Mobility needs"), validators=[Optional(), Length(max=2000)])
    needs_diet = PlainTextAreaField(_l("Diet"), validators=[Optional(), Length(max=2000)])
    needs_medical = PlainTextAreaField(_l("Medical needs"), validators=[Optional(), Length(max=2000)])
    companion_name = PlainTextField(_l("Companion"), validators=[Optional(), Length(max=200)])
    companion_relation = PlainTextField(_l("Relation of the companion"), validators=[Optional(), Length(max=100)])
    companion_birth_date = DateField(_l("Companion's date of birth"), validators=[Optional()])
    companion_needs = PlainTextAreaField(_l("Companion's needs"), validators=[Optional(), Length(max=2000)])
    berlin_born_or_resident = SelectField(_l("Born in or lived in Berlin"), choices=YES_NO, coerce=_yes_no)
    berlin_evidence = PlainTextField(_l("Evidence of the Berlin connection"), validators=[Optional(), Length(max=500)])
    persecuted_or_forced_labour = SelectField(_l("Persecuted / forced labour in Berlin"), choices=YES_NO,
                                              coerce=_yes_no)
    persecution_evidence = PlainTextField(_l("Evidence of persecution / forced labour"), validators=[Optional(), Length(max=500)])
    not_visited_before = SelectField(_l("Not visited at the Senate's invitation before"), choices=YES_NO,
                                     coerce=_yes_no)
    visit_evidence = PlainTextField(_l("Evidence of no earlier visit"), validators=[Optional(), Length(max=500)])
    health_flag = BooleanField(_l("Ill (priority)"))
    hardship_flag = BooleanField(_l("Hardship case (priority)"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [("", "—")] + country_choices()
        self.address_form_id.choices = address_form_choices()

    def load(self, application) -> None:
        for name in ("berlin_born_or_resident", "persecuted_or_forced_labour", "not_visited_before"):
            value = getattr(application, name)
            self[name].data = "" if value is None else ("yes" if value else "no")
        self.version.data = application.version

    def service_values(self) -> dict:
        return {name: f.data for name, f in self._fields.items() if name not in ("csrf_token", "submit", "version")}


class DuplicateForm(FlaskForm):
    verdict = RadioField(_l("Decision"), choices=[("different", _l("a different person")),
                                                  ("same_person", _l("the same person"))], default="different")
    reason = PlainTextField(_l("Reason"), validators=[Optional(), Length(max=500)])


class OverrideForm(FlaskForm):
    points = IntegerField(_l("Points (empty: as calculated)"), validators=[
        Optional(), NumberRange(min=0, max=1000, message=_l("Please enter 0 to 1000 points."))])
    reason = PlainTextField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Place by hand"))


class WeightsForm(FlaskForm):
    per_year = IntegerField(_l("Points per year of age"), validators=[DataRequired()])
    age_from = IntegerField(_l("… above the age of"), validators=[DataRequired()])
    health = IntegerField(_l("Points for illness"), validators=[DataRequired()])
    hardship = IntegerField(_l("Points for hardship"), validators=[DataRequired()])
    submit = SubmitField(_l("Save weights"))


class ImportForm(FlaskForm):
    file = required_file(_l("Historical participants (CSV or XLSX)"))
    submit = SubmitField(_l("Import"))


class RetentionForm(FlaskForm):
    case_years = IntegerField(_l("Keep a case for … years after it ends"), validators=[
        NumberRange(min=0, max=30, message=_l("Please enter 0 to 30 years."))])
    health_years = IntegerField(_l("Keep health notes and proof documents for … years after the case ends"), validators=[
        NumberRange(min=0, max=30, message=_l("Please enter 0 to 30 years."))])
    submit = SubmitField(_l("Save"))


class LetterTemplateForm(FlaskForm):
    kind = SelectField(_l("Letter"), choices=LetterKind.choices())
    language = LanguageField(_l("Language"), validators=[DataRequired()])
    subject = PlainTextField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = PlainTextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)], description=_l(
        "Filled in: {salutation} (e.g. “Sehr geehrte Frau Goldmann”), {name}, {reference}, {companion}, {date} "
        "(in words), {address}. {programme} marks where the confirmation's programme stands (else before the "
        "closing), {signatory} where the signature goes (else at the end)."), render_kw={"rows": 12})
    submit = SubmitField(_l("Save"))


class StayForm(FlaskForm):
    arrives_on = DateField(_l("Arrival"), validators=[DataRequired()])
    departs_on = DateField(_l("Departure (empty: a week later)"), validators=[Optional()])
    hotel = PlainTextField(_l("Hotel"), validators=[Optional(), Length(max=200)])
    room_type = PlainTextField(_l("Room type"), validators=[Optional(), Length(max=100)])
    half_board = BooleanField(_l("Half board"), default=True)
    hotel_cost = DecimalField(_l("Hotel cost (EUR)"), places=2, validators=[Optional()])
    volunteer = PlainTextField(_l("Volunteer companion"), validators=[Optional(), Length(max=200)])
    volunteer_email = EmailField(_l("Volunteer's e-mail (gets the programme 3 days ahead)"), validators=[
        Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    transfers = PlainTextAreaField(_l("Local transfers"), validators=[Optional(), Length(max=2000)])
    overrun_reason = PlainTextField(_l("Reason if the budget is exceeded"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save the stay"))


class BookingForm(FlaskForm):
    traveller = SelectField(_l("Traveller"), choices=[("guest", _l("Guest")), ("companion", _l("Companion"))])
    mode = SelectField(_l("By"), choices=[("flight", _l("Flight")), ("train", _l("Train"))])
    carrier = PlainTextField(_l("Carrier"), validators=[DataRequired(), Length(max=100)])
    number = PlainTextField(_l("Flight or train number"), validators=[Optional(), Length(max=20)])
    departs_at = DateTimeLocalField(_l("Departure (local time there)"), format=DATETIME_FORMAT,
                                    validators=[DataRequired()])
    departs_tz = SelectField(_l("Time zone of the departure"), validate_choice=False)
    arrives_at = DateTimeLocalField(_l("Arrival (local time there)"), format=DATETIME_FORMAT,
                                    validators=[DataRequired()])
    arrives_tz = SelectField(_l("Time zone of the arrival"), validate_choice=False, default="Europe/Berlin")
    booking_code = PlainTextField(_l("Booking code"), validators=[Optional(), Length(max=30)])
    cost = DecimalField(_l("Cost (EUR)"), places=2, validators=[DataRequired()])
    # Its own id: the stay's form on the same page has a field of this name too.
    overrun_reason = PlainTextField(_l("Reason if the budget is exceeded"), id="booking_overrun_reason",
                                    validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add booking"))

    def __init__(self, *args, country_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.departs_tz.choices = self.arrives_tz.choices = zone_choices(country_code)
        if not self.is_submitted():
            self.departs_tz.data = (zones_of_country(country_code) or ["Europe/Berlin"])[0]
            self.arrives_tz.data = "Europe/Berlin"


def zone_choices(country_code: str | None) -> list[tuple[str, str]]:
    """The applicant's country's zones and Berlin first, then every zone."""
    first = [*zones_of_country(country_code), "Europe/Berlin"]
    rest = sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in first)
    return [(z, z.replace("_", " ")) for z in dict.fromkeys(first)] + [(z, z.replace("_", " ")) for z in rest]


class BudgetForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired()])
    amount = DecimalField(_l("Budget (EUR)"), places=2, validators=[DataRequired()])
    submit = SubmitField(_l("Set budget"))




class StayItemForm(BerlinTimes, InterpreterNeedFields, FlaskForm):
    kind = SelectField(_l("Kind of item"), choices=ProgrammeKind.choices())
    title = PlainTextField(_l("Title (empty: the kind)"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMAT, validators=[
        DataRequired(_l("Please enter the start as date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMAT, validators=[
        DataRequired(_l("Please enter the end as date and time."))])
    location = PlainTextField(_l("Place"), validators=[Optional(), Length(max=300)])
    venue_id = SelectField(_l("Room of the office (checked for double booking)"), coerce=optional_id, default=0,
                           choices=venue_choices)
    conflict_reason = PlainTextField(_l("Reason for saving despite a double booking"),
                                     validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Add to the programme"))

    def load(self, item) -> None:
        self.load_times(item)


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=DocumentKind.choices())
    file = required_file(_l("File (PDF, DOCX, PNG, JPEG)"))
    description = PlainTextField(_l("Description"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Upload"))
