"""The page of a user's personal access tokens for the JSON API: make one, see it once, revoke it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..core.forms import ConfirmForm, PlainTextField
from ..core.front_door import acted, saved
from ..core.permissions import login_required_only
from ..core.time import now_utc
from . import access_tokens
from .models import AccessScope
from .views import bp


class TokenForm(FlaskForm):
    name = PlainTextField(_l("What the token is for (e.g. Pressestelle, Excel-Gästeliste)"),
                          validators=[DataRequired(), Length(max=100)])
    scope = RadioField(_l("The token may"), choices=AccessScope.choices(), default=AccessScope.READ.value,
                       validators=[InputRequired()])
    days = IntegerField(_l("Valid for (days)"), default=90, validators=[InputRequired(), NumberRange(min=1)])
    submit = SubmitField(_l("Make the token"))

    def validate_days(self, field) -> None:
        # The installation's longest life, named in the form's own message.
        NumberRange(max=current_app.config["API_TOKEN_MAX_DAYS"])(self, field)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required_only
def tokens():
    """The user's tokens with their state, a form to make one (the token shown this once)."""
    form = TokenForm()
    made = saved(form, lambda: access_tokens.issue_token(current_user, actor=current_user, name=form.name.data,
                                                         scope=form.scope.data, days=form.days.data),
                 message=_("The token has been made. Copy it now: it is shown only once."),
                 then=lambda made: _page(TokenForm(formdata=None), new_token=made[1], new_row=made[0]))
    return made or _page(form, open_form=request.method == "POST")


def _page(form, **extra):
    return render_template("auth/tokens.html", form=form, tokens=access_tokens.tokens_of(current_user), now=now_utc(),
                           confirm=ConfirmForm(), longest=current_app.config["API_TOKEN_MAX_DAYS"], **extra)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required_only
def token_revoke(token_id: int):
    row = access_tokens.own_token(current_user, token_id)
    if row is None:
        abort(404)
    return acted(lambda: access_tokens.revoke_token(row, actor=current_user),
                 message=_("The token no longer works."), then=lambda: redirect(url_for("auth.tokens")))
