"""Forms of the events area."""

from __future__ import annotations

from calendar import monthrange

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..auth.forms import officer_choices
from ..core.checklists.models import ChecklistTemplate
from ..core.forms import (
    DATETIME_FORMAT,
    BerlinTimes,
    MultiCheckboxField,
    MultipleChoiceField,
    PlainTextAreaField,
    PlainTextField,
    VersionedForm,
    optional_id,
    required_file,
)
from ..core.languages import language_choices
from ..directory.forms import (
    PostalAddressFields,
    address_form_choices,
    contact_choices,
    host_choices,
    partner_city_choices,
    venue_choices,
)
from ..directory.models import GuestCategory
from ..extensions import db
from ..programme import DressCode, PressAccess
from ..programme.forms import InterpreterNeedFields, ProgrammeItemFormBase
from . import needs
from .guests import MAX_COMPANIONS
from .models import EventKind
from .needs import Access, Diet, Question


class EventForm(BerlinTimes, VersionedForm):
    title = PlainTextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of event"), choices=EventKind.choices())
    starts_at = DateTimeLocalField(_l("Start"), format=DATETIME_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("End"), format=DATETIME_FORMAT, validators=[InputRequired()])
    # Lists of the directory and the office, read each time a form is made (a callable's choices).
    venue_id = SelectField(_l("Venue"), coerce=optional_id, default=0, choices=venue_choices)
    host_id = SelectField(_l("Host"), coerce=optional_id, default=0, choices=lambda: [(0, "—")] + host_choices())
    partner_city_id = SelectField(_l("Partner city"), coerce=optional_id, default=0, choices=partner_city_choices)
    responsible_officer_id = SelectField(_l("Responsible officer"), coerce=optional_id, default=0,
                                         choices=officer_choices)
    capacity = IntegerField(_l("Capacity (guests)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("The capacity must be at least 1 (leave it empty for no limit)."))])
    dress_code = SelectField(_l("Dress code"), choices=DressCode.choices())
    press = SelectField(_l("Press"), choices=PressAccess.choices())
    reply_by = DateField(_l("Reply by"), validators=[Optional()])
    reply_questions = MultiCheckboxField(_l("The reply page also asks"), choices=Question.choices(), validators=[Optional()])
    reply_required = MultiCheckboxField(_l("Of those, a guest who accepts must answer"), choices=Question.choices(),
                                        validators=[Optional()])
    notes = PlainTextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    conflict_reason = PlainTextAreaField(_l("Reason for keeping the venue despite another booking (only when asked)"),
                                         validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save"))

    def service_values(self) -> dict:
        values = {name: f.data for name, f in self._fields.items() if name not in ("csrf_token", "submit", "version")}
        return values | self.times_in_utc()

    def load(self, event) -> None:
        self.load_times(event)
        self.version.data = event.version
        self.reply_questions.data = needs.questions(event)
        self.reply_required.data = needs.required(event)


class EventProgrammeItemForm(InterpreterNeedFields, ProgrammeItemFormBase):
    """An item of an event's programme: the fields every programme item has, and an interpreter need."""


class CategoryForm(FlaskForm):
    category = SelectField(_l("Guest category"), choices=GuestCategory.choices())
    companions = IntegerField(_l("Companions per guest"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add category"))


class AdhocGuestForm(PostalAddressFields, FlaskForm):
    """A guest who is not in the directory; the quick form on the event page sends the first fields."""

    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = PlainTextField(_l("Function"), validators=[Optional(), Length(max=200)])
    organisation = PlainTextField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    rank = IntegerField(_l("Rank"), default=500, validators=[
        InputRequired(), NumberRange(min=1, max=9999, message=_l("Please enter a number from 1 to 9999."))])
    companions = IntegerField(_l("Companions"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    address_form_id = SelectField(_l("Form of address"), coerce=optional_id, default=0, validate_choice=False)
    category = SelectField(_l("Guest category"), choices=GuestCategory.choices(), default="other")
    in_office_since = DateField(_l("In office since (seniority)"), validators=[Optional()])
    email = EmailField(_l("E-mail address"), validators=[
        Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    language = SelectField(_l("Language"), choices=[("de", "Deutsch"), ("en", "English")], default="de")
    submit = SubmitField(_l("Add guest"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.address_form_id.choices = address_form_choices()
        self.fill_country_choices()


class GuestImportForm(FlaskForm):
    file = required_file(_l("Guest list (CSV or XLSX)"))
    submit = SubmitField(_l("Import guest list"))


class UsualCategoriesForm(FlaskForm):
    companions = IntegerField(_l("Companions per guest"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add the usual guest categories"))


class ReplyForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=[("accept", _l("I will attend")), ("decline", _l("I cannot attend"))],
                        validators=[InputRequired(message=_l("Please choose whether you will attend."))])
    companion = PlainTextField(_l("Name of your companion (optional)"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Send reply"))


class NeedsForm(ReplyForm):
    """The reply with the questions the event asks (the page shows only those)."""

    diet = RadioField(_l("Dietary needs"), choices=Diet.choices(), validators=[Optional()])
    diet_note = PlainTextField(_l("Allergies or other dietary needs (optional)"), validators=[Optional(), Length(max=200)])
    access = MultiCheckboxField(_l("Access needs"), choices=Access.choices(), validators=[Optional()])
    no_access_needs = BooleanField(_l("I need none of these"))
    access_note = PlainTextField(_l("Anything else we should know to welcome you (optional)"),
                                 validators=[Optional(), Length(max=200)])
    conversation_language = SelectField(_l("The language you speak"), choices=lambda: [("", "—"), *language_choices()],
                                        validators=[Optional()])
    submit = SubmitField(_l("Send reply"))

    def mark_required(self, questions) -> None:
        """Mark the event's required questions (answered if the guest attends: the service checks)."""
        for question in questions:
            field = {"diet": self.diet, "access": self.access, "language": self.conversation_language}[question]
            field.flags.required = True

    def answers(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("diet", "diet_note", "access", "no_access_needs", "access_note", "conversation_language")}


class StaffReplyForm(ReplyForm):
    channel = SelectField(_l("Answer received by"), choices=[("phone", _l("Phone")), ("letter", _l("Letter"))])
    submit = SubmitField(_l("Record reply"))


class ContactGuestForm(FlaskForm):
    contact_id = SelectField(_l("Contact from the directory"), coerce=int, choices=contact_choices)
    companions = IntegerField(_l("Companions"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=MAX_COMPANIONS, message=_l("Please enter a number from 0 to 5."))])
    submit = SubmitField(_l("Add contact"))


def event_checklists() -> list[ChecklistTemplate]:
    return list(db.session.scalars(sa.select(ChecklistTemplate).where(ChecklistTemplate.scope == "event")
                                   .order_by(ChecklistTemplate.name)))


class OccasionForm(FlaskForm):
    """A recurring occasion, maintained by admins (the generic reference-table pages)."""

    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of event"), choices=EventKind.choices())
    month = IntegerField(_l("Month"), validators=[
        InputRequired(), NumberRange(min=1, max=12, message=_l("Please enter a month from 1 to 12."))])
    day = IntegerField(_l("Day"), validators=[
        InputRequired(), NumberRange(min=1, max=31, message=_l("Please enter a day from 1 to 31."))])
    start_time = TimeField(_l("Usual start"), validators=[InputRequired()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), default=120, validators=[
        InputRequired(), NumberRange(min=1, max=24 * 60, message=_l("Please enter 1 to 1440 minutes."))])
    venue_id = SelectField(_l("Usual venue"), coerce=optional_id, default=0, choices=venue_choices)
    guest_categories = MultipleChoiceField(_l("Usual guest categories"), choices=GuestCategory.choices())
    checklist_template_id = SelectField(_l("Checklist"), coerce=optional_id, default=0)
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.checklist_template_id.choices = [(0, "—")] + [(t.id, t.name) for t in event_checklists()]
        if obj is not None and not self.is_submitted():
            self.guest_categories.data = obj.category_values

    def validate_day(self, field) -> None:
        # A month outside 1–12 has its own message; monthrange would raise on it.
        if self.month.data in range(1, 13) and field.data and field.data > monthrange(2024, self.month.data)[1]:
            raise ValidationError(_l("This month has no such day."))

    def crud_values(self) -> dict:
        values = {name: f.data for name, f in self._fields.items() if name not in ("csrf_token", "submit")}
        values["guest_categories"] = ",".join(self.guest_categories.data or [])
        return values
