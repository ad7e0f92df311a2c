"""Forms of the user administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from ..auth.models import SignIn
from ..core.forms import MultiCheckboxField, PlainTextField
from ..core.permissions import Position, Role


class UserForm(FlaskForm):
    full_name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    roles = MultiCheckboxField(_l("Roles"), choices=Role.choices())
    locale = SelectField(
        _l("Language"), choices=[("de", "Deutsch"), ("en", "English")], default="de"
    )
    position = SelectField(_l("Post (decides the approval steps made for it)"),
                           choices=[("", _l("none")), *Position.choices()], default="",
                           validate_choice=False)  # left out (no post) is fine; the service checks a given one
    sign_in = SelectField(_l("Signs in with"), choices=SignIn.choices(), default=SignIn.LOCAL.value,
                          description=_l("Staff with an account in the office directory sign in with its password; "
                                         "freelancers without one with a password of this application."))
    submit = SubmitField(_l("Save"))

    def load(self, user) -> None:
        self.roles.data = sorted(r.value for r in user.roles)

    def validate_roles(self, field):
        from wtforms.validators import ValidationError

        if not field.data:
            raise ValidationError(_l("Choose at least one role."))


class NewUserForm(UserForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Please enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
