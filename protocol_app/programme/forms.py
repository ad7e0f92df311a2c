"""The programme-item form shared by the domains (venues and hosts come from the directory,
the layer below)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import (
    DATETIME_FORMAT,
    BerlinTimes,
    LanguageField,
    MultipleChoiceField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    optional_id,
)
from ..directory.forms import host_choices, venue_choices
from . import DressCode, InterpretingMode, PressAccess


class InterpreterNeedFields:
    """The interpreter need of an item (empty language: none), mixed into a domain's item form."""

    interpreter_language = LanguageField(_l("Interpreter for"), optional=True,
                                         description=_l("“—”: no interpreter needed."))
    interpreter_mode = SelectField(_l("Interpreting mode"), choices=[("", "—"), *InterpretingMode.choices()],
                                   default="")


class ProgrammeItemFormBase(BerlinTimes, VersionedForm):
    """Fields every programme item has; domains subclass it for their own."""

    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Start"), format=DATETIME_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("End"), format=DATETIME_FORMAT, validators=[InputRequired()])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, default=0, choices=venue_choices)
    location = PlainTextField(_l("Other location"), validators=[Optional(), Length(max=300)])
    host_ids = MultipleChoiceField(_l("Hosts"), coerce=int, choices=host_choices)
    participants = PlainTextAreaField(_l("Participants"), validators=[Optional(), Length(max=2000)])
    dress_code = SelectField(_l("Dress code"), choices=DressCode.choices())
    press = SelectField(_l("Press"), choices=PressAccess.choices())
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    conflict_reason = PlainTextAreaField(_l("Reason for saving despite the overlap"),
                                         validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save"))

    def service_values(self) -> dict:
        """The field values for the service, times as aware UTC."""
        values = {name: f.data for name, f in self._fields.items()
                  if name not in ("csrf_token", "submit", "version", "host_ids", "conflict_reason")}
        return values | self.times_in_utc()

    def load(self, item) -> None:
        self.load_times(item)
        self.host_ids.data = [h.id for h in item.hosts]
        self.version.data = item.version
