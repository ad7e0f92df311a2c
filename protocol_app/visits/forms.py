"""Forms of the visits area. Times are entered in local time and converted to
aware UTC here, so services only ever see aware datetimes."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..auth.forms import officer_choices
from ..core.forms import (
    DATETIME_FORMAT,
    LanguageField,
    LanguagesField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    local_to_utc,
    optional_id,
    utc_to_local,
)
from ..directory.forms import (
    country_choices,
    host_choices,
    partner_city_choices,
)
from ..programme.forms import ProgrammeItemFormBase
from .models import GiftDirection, InterpretingMode, VisitKind

COMMON_ZONES = ["Europe/Berlin"] + sorted(zoneinfo.available_timezones() - {"Europe/Berlin"})

def optional_code(value):
    return value or None


class VisitForm(VersionedForm):
    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of visit"), choices=VisitKind.choices())
    guest_name = PlainTextField(_l("Guest of honour"), validators=[DataRequired(), Length(max=200)])
    guest_function = PlainTextField(_l("Function of the guest"), validators=[Optional(), Length(max=200)])
    guest_country_code = SelectField(_l("Country of the guest"), coerce=optional_code)
    guest_form_of_address = PlainTextField(_l("Form of address"), validators=[Optional(), Length(max=100)])
    country_code = SelectField(_l("Country"), coerce=optional_code)
    partner_city_id = SelectField(_l("Partner city"), coerce=optional_id, default=0)
    inviting_side = PlainTextField(_l("Inviting side"), validators=[Optional(), Length(max=200)])
    occasion = PlainTextField(_l("Occasion"), validators=[Optional(), Length(max=300)])
    travel_timezone = SelectField(_l("Time zone of arrival and departure"), default="Europe/Berlin")
    arrival_at = DateTimeLocalField(_l("Arrival"), format=DATETIME_FORMAT, validators=[InputRequired()])
    arrival_place = PlainTextField(_l("Arrival at (airport, station)"), validators=[Optional(), Length(max=200)])
    departure_at = DateTimeLocalField(_l("Departure"), format=DATETIME_FORMAT, validators=[InputRequired()])
    departure_place = PlainTextField(_l("Departure from"), validators=[Optional(), Length(max=200)])
    hotel = PlainTextField(_l("Hotel"), validators=[Optional(), Length(max=200)])
    host_ids = SelectMultipleField(_l("Hosts on the Berlin side"), coerce=int)
    responsible_officer_id = SelectField(_l("Responsible officer"), coerce=optional_id, default=0)
    deputy_officer_id = SelectField(_l("Deputy"), coerce=optional_id, default=0)
    languages = LanguagesField(_l("Languages of the visit"))
    is_confidential = BooleanField(_l("Confidential (hidden from read-only users)"))
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [("", "—")] + country_choices()
        self.guest_country_code.choices = countries
        self.country_code.choices = countries
        self.partner_city_id.choices = partner_city_choices()
        self.travel_timezone.choices = [(z, z) for z in COMMON_ZONES]
        officers = officer_choices()
        self.responsible_officer_id.choices = officers
        self.deputy_officer_id.choices = officers
        self.host_ids.choices = host_choices()

    def validate_travel_timezone(self, field):
        if field.data not in zoneinfo.available_timezones():
            raise ValidationError(_l("Unknown time zone."))

    def service_values(self) -> dict:
        zone = self.travel_timezone.data
        values = {name: f.data for name, f in self._fields.items()
                  if name not in ("csrf_token", "submit", "version", "host_ids")}
        values["languages"] = self.languages.joined()
        values["arrival_at"] = local_to_utc(self.arrival_at.data, zone)
        values["departure_at"] = local_to_utc(self.departure_at.data, zone)
        return values

    def load(self, visit) -> None:
        """Show a visit's aware UTC times as local times of its travel time zone."""
        self.arrival_at.data = utc_to_local(visit.arrival_at, visit.travel_timezone)
        self.departure_at.data = utc_to_local(visit.departure_at, visit.travel_timezone)
        self.host_ids.data = [h.id for h in visit.hosts]
        self.version.data = visit.version


class DelegationMemberForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[Optional(), Length(max=200)])
    precedence = IntegerField(
        _l("Precedence"), default=10,
        validators=[InputRequired(), NumberRange(min=1, max=999, message=_l("Please enter a number from 1 to 999."))],
    )
    form_of_address = PlainTextField(_l("Form of address"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Add"))


class ProgrammeItemForm(ProgrammeItemFormBase):
    title_en = PlainTextField(_l("Title in the English programme"), validators=[Optional(), Length(max=200)])
    golden_book = BooleanField(_l("Entry in the Golden Book"))
    gift_exchange = BooleanField(_l("Exchange of gifts"))
    interpreter_needed = BooleanField(_l("Interpreter needed"))
    interpreter_language = LanguageField(_l("Language to interpret"), optional=True)
    interpreter_mode = SelectField(_l("Interpreting mode"), choices=[("", "—")] + InterpretingMode.choices(),
                                   coerce=optional_code)

    def service_values(self) -> dict:
        values = super().service_values()
        values["interpreter_language"] = (self.interpreter_language.data or "").strip().lower() or None
        return values


class CopyVisitForm(FlaskForm):
    """Next year's visit of a recurring delegation: the new arrival moves every date with it."""

    arrival_at = DateTimeLocalField(_l("Arrival of the copy"), format=DATETIME_FORMAT,
                                    validators=[InputRequired(_l("Please enter the arrival as date and time."))])
    submit = SubmitField(_l("Copy the visit"))


class GiftForm(FlaskForm):
    direction = SelectField(_l("Direction"), choices=GiftDirection.choices())
    description = PlainTextField(_l("Gift"), validators=[DataRequired(), Length(max=300)])
    giver = PlainTextField(_l("Given by"), validators=[DataRequired(), Length(max=200)])
    recipient = PlainTextField(_l("Received by"), validators=[DataRequired(), Length(max=200)])
    estimated_value = DecimalField(
        _l("Estimated value (EUR)"), places=2,
        validators=[Optional(), NumberRange(min=Decimal("0"), max=Decimal("99999999"),
                                            message=_l("Please enter a value of 0 or more."))],
    )
    kept_at = PlainTextField(_l("Kept at"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Save"))





