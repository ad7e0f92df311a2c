"""Forms of the login and the own account, and the choice of officers."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..core.permissions import Role
from ..extensions import db
from .models import User, UserRole


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


def officer_choices():
    rows = db.session.execute(
        sa.select(User.id, User.full_name)
        .join(UserRole)
        .where(UserRole.role == Role.OFFICER.value, User.is_active_account.is_(True))
        .order_by(User.full_name)
    )
    return [(0, "—")] + [(uid, name) for uid, name in rows]


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("Enter the code.")), Length(max=30)])
    submit = SubmitField(_l("Confirm"))
