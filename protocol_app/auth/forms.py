"""Forms of the login and the own account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(max=200)]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two new passwords do not match.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"), choices=[("de", "Deutsch"), ("en", "English")], validators=[DataRequired()]
    )
    submit = SubmitField(_l("Save"))
