"""The public page on which anyone suggests a person for an honour, in German and English,
without an account: bounded by a limit per address and a proof of work the app serves itself
(ALTCHA); what is sent becomes a confidential case (`services.receive_public_suggestion`)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from ...core import proof_of_work
from ...core.errors import DomainError
from ...core.forms import PlainTextAreaField, PlainTextField, apply_domain_error
from ...core.permissions import public
from ...extensions import limiter
from .. import services

bp = Blueprint("honours_public", __name__, url_prefix="/ehrungen", template_folder="../templates")


class SuggestionForm(FlaskForm):
    award_type_id = SelectField(_l("Which honour do you suggest?"), coerce=int, choices=services.public_award_choices)
    nominee_name = PlainTextField(_l("Name of the person you suggest"), validators=[DataRequired(), Length(max=200)])
    occupation = PlainTextField(_l("Their occupation or office (optional)"), validators=[Optional(), Length(max=200)])
    address = PlainTextAreaField(_l("Address of the person, if you know it (optional)"), validators=[Optional(), Length(max=500)])
    justification = PlainTextAreaField(_l("Why do they deserve it? What have they done for Berlin?"),
                                       validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 8})
    letters = MultipleFileField(_l("Supporting letters (optional; up to 3 files: PDF, Word, PNG or JPEG)"))
    suggested_by = PlainTextField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    suggester_address = PlainTextAreaField(_l("Your postal address"), validators=[DataRequired(), Length(max=500)])
    suggester_email = EmailField(_l("Your e-mail address (for the confirmation)"),
                                 validators=[DataRequired(), Email(), Length(max=254)])
    consent = BooleanField(_l("I have read how my details are used (above) and agree."),
                           validators=[DataRequired(_l("Please agree, or we cannot take your suggestion."))])
    submit = SubmitField(_l("Send the suggestion"))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in services.PUBLIC_FIELDS}

    def uploaded(self) -> list[tuple[str, bytes]]:
        return [(f.filename, f.read()) for f in self.letters.data or [] if getattr(f, "filename", "")]


def _limit() -> str:
    return current_app.config["HONOURS_SUGGESTION_RATE_LIMIT"]


@bp.route("/vorschlag", methods=["GET", "POST"])
@public  # anyone may suggest; limited per address and by the proof of work
@limiter.limit(_limit, methods=["POST"])
def suggest():
    if request.args.get("lang") in current_app.config["LANGUAGES"]:
        session["locale"] = request.args["lang"]
    form = SuggestionForm()
    if form.validate_on_submit():
        try:
            proof = proof_of_work.checked_proof(request.form.get("altcha"))
            case = services.receive_public_suggestion(form.values(), proof_id=proof, letters=form.uploaded(),
                                                      language=str(get_locale() or "de")[:2])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return render_template("honours/suggestion_sent.html", reference=case.reference)
    return render_template("honours/suggest.html", form=form, language=str(get_locale() or "de")[:2],
                           max_letters=services.MAX_LETTERS)


@bp.route("/vorschlag/challenge")
@public  # the proof of work's puzzle for the page above
@limiter.limit("60 per minute")
def challenge():
    response = jsonify(proof_of_work.new_challenge())
    response.headers["Cache-Control"] = "no-store"
    return response
