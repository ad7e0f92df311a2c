"""Helpers shared by forms of every domain."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from datetime import datetime
from decimal import Decimal

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from .i18n import format_number
from .languages import language_choices

#: Control characters a text may hold: tab and line breaks. Any other (a NUL, Word's manual
#: line break U+000B, a form feed) is invisible on the page, invalid in XML feeds and exports,
#: and in an address made the directory and the app disagree about who signs in.
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def control_character_in(text: str | None) -> str | None:
    """The first control character of `text` that has no place in a record (or half of a
    surrogate pair, which only a program's JSON can send and no database keeps), or None."""
    for char in text or "":
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs":
            return char
    return None


def no_control_characters(form, field) -> None:
    """Refuse invisible control characters in every text a form takes."""
    data = field.data if isinstance(field.data, str) else None
    char = control_character_in(data)
    if char is not None:
        raise ValidationError(_l("This text holds an invisible control character (%(code)s, e.g. a manual line "
                                 "break copied from a word processor). Please remove it or type the text again.",
                                 code=f"U+{ord(char):04X}"))


def _bind_with_shared_rules(bind_field):
    """Every form of the app is a FlaskForm, so its Meta applies the rules of all forms here:
    hidden inputs (the CSRF token, a record's version) get no id — with one, a page of several
    forms repeats it, invalid HTML that confuses assistive technology —, and every text field
    refuses control characters."""

    def bind(self, form, unbound_field, options):
        field = bind_field(self, form, unbound_field, options)
        if field.type in ("CSRFTokenField", "HiddenField"):
            field.id = False  # WTForms leaves a False attribute out of the tag
        if isinstance(field, StringField):
            # A new list: the validators given at class level are shared by every instance.
            field.validators = [*field.validators, no_control_characters]
        return field

    return bind


FlaskForm.Meta.bind_field = _bind_with_shared_rules(FlaskForm.Meta.bind_field)


def apply_domain_error(form, exc) -> None:
    """Show a service's DomainError on the field it names, or on the whole form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))


def flash_form_errors(form) -> None:
    """Show a form's first error per field as a message (for small forms posted from a record page)."""
    from flask import flash

    for field, errors in form.errors.items():
        flash(f"{form[field].label.text}: {errors[0]}", "danger")


def optional_id(value):
    """Coerce a select value to an id, with 0 or empty meaning "none"."""
    if value in (None, "", "None"):
        return None
    return int(value) or None


def form_values(form, *names) -> dict:
    """Return {name: data} for the named fields, to pass to a service as keywords."""
    return {name: getattr(form, name).data for name in names}


#: An HTML tag: "<" directly followed by a name, "/" or "!" ("Einlass < 18 Uhr" is none).
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")


def contains_markup(text: str | None) -> bool:
    """Whether the text holds an HTML tag (not merely a "<" or ">")."""
    return bool(_TAG.search(text or ""))


def plain_text_problem(text: str | None):
    """Why `text` cannot be kept as plain text (markup, an invisible control character), as the
    message that says what to fix; None when it can. Forms, imports, services and the API ask this."""
    if contains_markup(text):
        return _l("Please enter plain text without HTML tags.")
    char = control_character_in(text)
    if char is not None:
        return _l("Please remove the invisible control character U+%(code)s.", code=f"{ord(char):04X}")
    return None


def checked_plain_text(text: str | None, *, field: str, limit: int, required: bool = False) -> str | None:
    """`text` stripped, or a refusal on `field` saying what to fix (required, too long, not plain)."""
    from .errors import ValidationFailed

    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed(_l("This field is required."), field=field)
    if len(text) > limit:
        raise ValidationFailed(_l("At most %(n)s characters, please.", n=limit), field=field)
    problem = plain_text_problem(text)
    if problem is not None:
        raise ValidationFailed(problem, field=field)
    return text or None


def no_markup(form, field) -> None:
    """Refuse HTML tags in a name or title: they have no place in a protocol record. Ordinary
    "<" and ">" are text (the templates escape everything they show)."""
    if contains_markup(field.data):
        raise ValidationError(_l("Please enter plain text without HTML tags."))


class MultipleChoiceField(SelectMultipleField):
    """A multiple choice whose refusal of a value not offered reads in the user's language
    (WTForms' German catalogue lacks that one message)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", _l("Please choose only from the offered entries."))
        super().__init__(label, validators, **kwargs)


class MultiCheckboxField(MultipleChoiceField):
    """Several choices as a list of checkboxes (roles, events told of, access needs)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlainTextField(StringField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), no_markup], **kwargs)


class PlainTextAreaField(TextAreaField):
    """Notes and descriptions: any text ("Gäste > 100, Einlass < 18 Uhr"); escaped on output."""


_NOT_A_LANGUAGE = _l("Please choose the language from the list.")


class LanguageField(SelectField):
    """A language picked by its name in the UI's language ("Französisch"); the form's data is the
    ISO 639-1 code the records keep. With ``optional`` the first choice is "—" and means none."""

    def __init__(self, label=None, validators=None, optional=False, **kwargs):
        def choices():
            return ([("", "—")] if optional else []) + language_choices()

        super().__init__(label, validators, choices=choices, coerce=lambda value: value or None, **kwargs)

    def pre_validate(self, form):
        if self.data and self.data not in dict(language_choices()):
            raise ValidationError(_NOT_A_LANGUAGE)


class LanguagesField(SelectMultipleField):
    """Several languages picked by name; reads and gives the records' comma list ("en,fr")."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=language_choices, **kwargs)

    def process_data(self, value):
        if isinstance(value, str):
            value = [code for code in value.split(",") if code]
        super().process_data(value)

    def pre_validate(self, form):
        known = dict(language_choices())
        if any(code not in known for code in self.data or ()):
            raise ValidationError(_NOT_A_LANGUAGE)

    def joined(self) -> str | None:
        return ",".join(self.data or ()) or None


def required_file(label) -> FileField:
    """A file the form cannot do without; its label says which (an import's list, a photo)."""
    return FileField(label, validators=[FileRequired(_l("Please choose a file."))])


class ListImportForm(FlaskForm):
    """An import page's form: the list to import, as CSV or XLSX."""

    file = required_file(_l("List (CSV or XLSX)"))
    submit = SubmitField(_l("Import"))


def edit_form(form_class: type[FlaskForm], record) -> FlaskForm:
    """The form that changes `record` (an empty one while there is none yet). On the page's first view it is filled from the record, and
    the form's `load(record)` adds what the record keeps in another shape (Berlin times for stored
    UTC, lists, the version seen); a posted form keeps what the user sent, to be checked and, if
    refused, shown again as typed."""
    form = form_class(obj=record)
    if request.method == "GET" and record is not None and hasattr(form, "load"):
        form.load(record)
    return form


class BerlinTimes:
    """For a form whose date-time fields (`BERLIN_TIMES`) are kept as UTC moments and shown and
    typed as Berlin time: `load_times(record)` shows the record's, `times_in_utc()` gives back
    what was typed, as aware UTC."""

    BERLIN_TIMES: tuple[str, ...] = ("starts_at", "ends_at")

    def load_times(self, record) -> None:
        for name in self.BERLIN_TIMES:
            self[name].data = utc_to_local(getattr(record, name))

    def times_in_utc(self) -> dict:
        return {name: local_to_utc(self[name].data, "Europe/Berlin") for name in self.BERLIN_TIMES}


class VersionedForm(FlaskForm):
    """A form that carries the record version it was rendered with (stale-form check)."""

    version = HiddenField()

    def load(self, record) -> None:
        self.version.data = record.version

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ConfirmForm(FlaskForm):
    """An empty form: a POST with a CSRF token, used behind confirmation dialogs."""


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def local_to_utc(value: datetime | None, zone: str):
    """Interpret a naive local datetime in `zone` and return it as aware UTC."""
    if value is None:
        return None
    from datetime import UTC

    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)


def utc_to_local(value: datetime | None, zone: str = "Europe/Berlin"):
    return None if value is None else value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


class LocaleDecimalField(Field):
    """A number read the way the user's language writes it: in German "1,5" is one and a half
    and "1.500" fifteen hundred; an ambiguous "1.5" is refused with what to type instead,
    never guessed (WTForms' DecimalField would store 15 or refuse "1,5"). `data` is a Decimal."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        from babel.numbers import NumberFormatError, parse_decimal
        from flask_babel import get_locale

        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return
        try:
            self.data = parse_decimal(text, locale=str(get_locale() or "de"), strict=True)
        except NumberFormatError as exc:
            raise ValueError(_l("Please enter a number the way it is written here, e.g. %(example)s.",
                                example=format_number(Decimal("1.5")))) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # shown again as typed when it was refused
        return format_number(self.data)


class TransitionForm(VersionedForm):
    """One step of a record's process (the workflow engine's action), with an optional comment."""

    action = PlainTextField(validators=[DataRequired(), Length(max=40)])
    comment = PlainTextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


def take_posted_step(record, *, move=None, actions=None, done=None) -> bool:
    """Take the step a TransitionForm posted for `record` as the signed-in user; True if taken.

    A malformed form (or an action outside `actions`, for pages that offer only some) is a 400;
    a step the process refuses is flashed with its reason. `move` is the domain's service for
    the step (the engine's `apply` by default), `done(record)` the message of success.
    """
    from flask import abort, flash
    from flask_babel import gettext
    from flask_login import current_user

    from . import workflow
    from .errors import DomainError

    form = TransitionForm()
    if not form.validate_on_submit() or (actions is not None and form.action.data not in actions):
        abort(400)
    try:
        (move or workflow.apply)(record, form.action.data, actor=current_user, comment=form.comment.data,
                                 expected_version=form.expected_version())
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return False
    flash(done(record) if done else gettext("Done: %(state)s.", state=record.state_label), "success")
    return True


def file_page(stored, form_class, *, may_change: bool, keep, done: str, back: str):
    """The page of a record's one file (a photo, a signed agreement): GET serves it (404 without
    one); POST keeps the uploaded file through `keep(filename, data)` — 403 for those who may not
    change it, a refusal flashed with its reason, else `done` — and returns to `back`."""
    from flask import abort, flash, redirect, request

    from .errors import DomainError
    from .files import send_stored

    if request.method == "GET":
        if stored is None:
            abort(404)
        return send_stored(stored)
    if not may_change:
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        keep(form.file.data.filename or "", form.file.data.read())
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(done, "success")
    return redirect(back)
