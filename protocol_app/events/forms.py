"""Forms of the events area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..auth.forms import officer_choices
from ..core.forms import (
    DATETIME_FORMAT,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    local_to_utc,
    utc_to_local,
)
from ..core.programme import DressCode, PressAccess
from ..directory.forms import contact_choices, host_choices, optional_id, venue_choices
from ..directory.models import GuestCategory
from ..directory.programme_forms import ProgrammeItemFormBase
from .guests import MAX_COMPANIONS
from .models import EventKind


class EventForm(VersionedForm):
    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of event"), choices=EventKind.choices())
    starts_at = DateTimeLocalField(_l("Start"), format=DATETIME_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("End"), format=DATETIME_FORMAT, validators=[InputRequired()])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, default=0)
    host_id = SelectField(_l("Host"), coerce=optional_id, default=0)
    responsible_officer_id = SelectField(_l("Responsible officer"), coerce=optional_id, default=0)
    capacity = IntegerField(_l("Capacity (guests)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("The capacity must be at least 1 (leave it empty for no limit)."))])
    dress_code = SelectField(_l("Dress code"), choices=DressCode.choices())
    press = SelectField(_l("Press"), choices=PressAccess.choices())
    reply_by = DateField(_l("Reply by"), validators=[Optional()])
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.venue_id.choices = venue_choices()
        self.host_id.choices = [(0, "—")] + host_choices()
        self.responsible_officer_id.choices = officer_choices()

    def service_values(self) -> dict:
        values = {name: f.data for name, f in self._fields.items() if name not in ("csrf_token", "submit", "version")}
        values["starts_at"] = local_to_utc(self.starts_at.data, "Europe/Berlin")
        values["ends_at"] = local_to_utc(self.ends_at.data, "Europe/Berlin")
        return values

    def load(self, event) -> None:
        self.starts_at.data = utc_to_local(event.starts_at)
        self.ends_at.data = utc_to_local(event.ends_at)
        self.version.data = event.version


class EventProgrammeItemForm(ProgrammeItemFormBase):
    """An item of an event's programme: the fields every programme item has."""


class CategoryForm(FlaskForm):
    category = SelectField(_l("Guest category"), choices=GuestCategory.choices())
    companions = IntegerField(_l("Companions per guest"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add category"))


class AdhocGuestForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[Optional(), Length(max=200)])
    organisation = PlainTextField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    rank = IntegerField(_l("Rank"), default=500, validators=[
        InputRequired(), NumberRange(min=1, max=9999, message=_l("Please enter a number from 1 to 9999."))])
    companions = IntegerField(_l("Companions"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add guest"))


class ReplyForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=[("accept", _l("I will attend")), ("decline", _l("I cannot attend"))],
                        validators=[InputRequired(message=_l("Please choose whether you will attend."))])
    companion = PlainTextField(_l("Name of your companion (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send reply"))


class StaffReplyForm(ReplyForm):
    channel = SelectField(_l("Answer received by"), choices=[("phone", _l("Phone")), ("letter", _l("Letter"))])
    submit = SubmitField(_l("Record reply"))


class ContactGuestForm(FlaskForm):
    contact_id = SelectField(_l("Contact from the directory"), coerce=int)
    companions = IntegerField(_l("Companions"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add contact"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_id.choices = contact_choices()
