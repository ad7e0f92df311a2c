"""Forms of the directory."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..core.errors import ValidationFailed
from ..core.forms import PlainTextAreaField, PlainTextField, optional_id
from ..core.letters import check_postal_address
from ..core.time import EARLIEST_YEAR, LATEST_YEAR
from ..extensions import db
from .models import (
    AddressForm,
    Contact,
    Country,
    GuestCategory,
    Host,
    Mission,
    MissionKind,
    PartnerCity,
    PartnershipStatus,
    Venue,
)
from .salutations import SalutationForm


def country_choices():
    """(code, name) pairs of all countries, sorted by their German name."""
    rows = db.session.execute(sa.select(Country.code, Country.name_de).order_by(Country.name_de))
    return [(code, name) for code, name in rows]


def address_form_choices():
    rows = db.session.execute(sa.select(AddressForm.id, AddressForm.name).order_by(AddressForm.sort_order,
                                                                                   AddressForm.name))
    return [(0, "—")] + [(fid, name) for fid, name in rows]


def mission_choices():
    rows = db.session.execute(sa.select(Mission.id, Mission.name).order_by(Mission.name))
    return [(0, "—")] + [(mid, name) for mid, name in rows]


def _optional_email():
    return [Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)]


class MissionForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), choices=MissionKind.choices())
    address = PlainTextField(_l("Address"), validators=[Optional(), Length(max=300)])
    head_of_mission = PlainTextField(_l("Head of mission"), validators=[Optional(), Length(max=200)])
    head_title = PlainTextField(_l("Title of the head"), validators=[Optional(), Length(max=100)])
    phone = PlainTextField(_l("Phone"), validators=[Optional(), Length(max=50)])
    email = EmailField(_l("E-mail address"), validators=_optional_email())
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = country_choices()


class PostalAddressFields:
    """The fields of a person the office writes to by post (mixed into a form)."""

    salutation_form = SelectField(_l("Salutation"), choices=[("", _l("— not known —"))] + SalutationForm.choices(),
                                  coerce=lambda value: value or None, default="")
    postal_address = PlainTextAreaField(_l("Postal address (street, postcode and town; one per line)"),
                                   validators=[Optional(), Length(max=300)], render_kw={"rows": 3})
    postal_country_code = SelectField(_l("Country of the postal address"), coerce=lambda value: value or None,
                                      default="")

    def fill_country_choices(self):
        self.postal_country_code.choices = [("", "—")] + country_choices()

    def validate_postal_address(self, field):
        try:
            check_postal_address(field.data)
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message)) from exc


class ContactForm(PostalAddressFields, FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[Optional(), Length(max=200)])
    organisation = PlainTextField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    mission_id = SelectField(_l("Mission"), coerce=optional_id, default=0)
    address_form_id = SelectField(_l("Form of address"), coerce=optional_id, default=0)
    form_of_address = PlainTextField(_l("Personal form of address (overrides the table)"),
                                     validators=[Optional(), Length(max=100)])
    email = EmailField(_l("E-mail address"), validators=_optional_email())
    phone = PlainTextField(_l("Phone"), validators=[Optional(), Length(max=50)])
    language = SelectField(_l("Language"), choices=[("de", "Deutsch"), ("en", "English")])
    category = SelectField(_l("Guest category"), choices=[("", "—")] + GuestCategory.choices(),
                           coerce=lambda value: value or None)
    rank = IntegerField(_l("Rank in the order of precedence (1 = highest)"), default=500,
                        validators=[InputRequired(), NumberRange(min=1, max=9999, message=_l("Please enter a number from 1 to 9999."))])
    in_office_since = DateField(_l("In office since (seniority)"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission_id.choices = mission_choices()
        self.address_form_id.choices = address_form_choices()
        self.fill_country_choices()


class AddressFormForm(FlaskForm):
    name = PlainTextField(_l("For whom (e.g. Botschafterin)"), validators=[DataRequired(), Length(max=100)])
    address_de = PlainTextField(_l("Line above the name (German)"), validators=[Optional(), Length(max=100)])
    address_en = PlainTextField(_l("Line above the name (English)"), validators=[Optional(), Length(max=100)])
    salutation_de = PlainTextField(_l("Salutation (German); {name} stands for the surname"),
                                   validators=[DataRequired(), Length(max=200)])
    salutation_en = PlainTextField(_l("Salutation (English); {name} stands for the surname"),
                                   validators=[DataRequired(), Length(max=200)])
    sort_order = IntegerField(_l("Order in lists"), default=100, validators=[
        InputRequired(), NumberRange(min=0, max=9999, message=_l("Please enter a number from 0 to 9999."))])
    submit = SubmitField(_l("Save"))



class VenueForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    building = PlainTextField(_l("Building"), validators=[Optional(), Length(max=160)])
    address = PlainTextField(_l("Address"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Please enter a number from 1 upwards."))],
    )
    is_active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))


class HostForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[DataRequired(), Length(max=200)])
    sort_order = IntegerField(_l("Order in lists"), default=100, validators=[NumberRange(min=0, max=10000)])
    is_active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))


class PartnerCityForm(FlaskForm):
    name_de = PlainTextField(_l("German name"), validators=[DataRequired(), Length(max=120)])
    name_en = PlainTextField(_l("English name"), validators=[DataRequired(), Length(max=120)])
    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    since_year = IntegerField(
        _l("Partner since"),
        validators=[DataRequired(), NumberRange(min=EARLIEST_YEAR, max=LATEST_YEAR, message=_l("Please enter a year between %(min)s and %(max)s."))],
    )
    status = SelectField(_l("Status"), choices=PartnershipStatus.choices())
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = country_choices()


def host_choices():
    rows = db.session.execute(
        sa.select(Host.id, Host.name, Host.function)
        .where(Host.is_active.is_(True))
        .order_by(Host.sort_order, Host.name)
    )
    return [(hid, f"{name} ({function})") for hid, name, function in rows]


def partner_city_choices():
    rows = db.session.execute(sa.select(PartnerCity.id, PartnerCity.name_de).order_by(PartnerCity.name_de))
    return [(0, "—")] + [(cid, name) for cid, name in rows]


def venue_choices():
    rows = db.session.execute(
        sa.select(Venue.id, Venue.name).where(Venue.is_active.is_(True)).order_by(Venue.name)
    )
    return [(0, "—")] + [(vid, name) for vid, name in rows]


def contact_choices():
    rows = db.session.execute(sa.select(Contact.id, Contact.name, Contact.organisation).order_by(Contact.name))
    return [(cid, f"{name} ({org})" if org else name) for cid, name, org in rows]
