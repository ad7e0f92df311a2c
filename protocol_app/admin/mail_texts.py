"""Admin pages of the office's own words for its mails: every kind with its placeholders, a
preview with example values, the versions before, and the way back to the default words."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.errors import DomainError
from ..core.forms import PlainTextField, VersionedForm, apply_domain_error, no_markup
from ..core.front_door import acted, saved
from ..core.mail_texts import LANGUAGES, mail_kind, mail_kinds
from ..core.mail_texts import services as mail_texts
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required
from .views import bp

register_nav("admin.mail_texts_list", _l("Mail texts"), Permission.ADMIN_TEMPLATES, order=94)

LANGUAGE_NAMES = {"de": _l("German"), "en": _l("English")}


class MailTextForm(VersionedForm):
    subject = PlainTextField(_l("Subject"), validators=[DataRequired(), Length(max=150)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=10_000), no_markup],
                         render_kw={"rows": 14})
    preview = SubmitField(_l("Show preview"))
    submit = SubmitField(_l("Save the text"))


@bp.route("/mail-texts")
@permission_required(Permission.ADMIN_TEMPLATES)
def mail_texts_list():
    """Every kind of mail, and per language whether the office's words or the defaults are in force."""
    kinds = mail_kinds()
    texts = mail_texts.texts_in_force([kind.key for kind in kinds])
    rows = [(kind, {lang: texts[kind.key, lang] for lang in LANGUAGES}) for kind in kinds]
    return render_template("admin/mail_texts.html", rows=rows, languages=LANGUAGE_NAMES)


def _kind_or_404(key: str, language: str):
    kind = mail_kind(key)
    if kind is None or language not in LANGUAGES:
        abort(404)
    return kind


@bp.route("/mail-texts/<key>/<language>", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def mail_text_edit(key: str, language: str):
    """One kind of mail in one language: its words, a preview, the versions before."""
    kind = _kind_or_404(key, language)
    current = mail_texts.text_in_force(key, language)
    form = MailTextForm()
    if kind.frame:  # a notice is a sentence or two; the frame holds the rest of the mail
        form.body.render_kw = {**form.body.render_kw, "rows": 4}
    if request.method == "GET":
        form.subject.data, form.body.data, form.version.data = current.subject, current.body, current.version
    shown = None
    if form.preview.data and form.validate_on_submit():
        try:
            shown = mail_texts.preview(key, language, form.subject.data, form.body.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
    elif form.submit.data:
        done = saved(form, lambda: mail_texts.save_text(key, language, subject=form.subject.data, body=form.body.data,
                                                        actor=current_user, expected_version=form.expected_version()),
                     message=_("The text has been saved; mails written from now on use it."),
                     then=lambda _row: redirect(url_for("admin.mail_text_edit", key=key, language=language)))
        if done:
            return done
    return render_template("admin/mail_text.html", kind=kind, language=language, language_name=LANGUAGE_NAMES[language],
                           form=form, current=current, shown=shown, history=mail_texts.history(key, language))


@bp.route("/mail-texts/<key>/<language>/reset", methods=["POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def mail_text_reset(key: str, language: str):
    _kind_or_404(key, language)
    expected = request.form.get("version", type=int)
    return acted(lambda: mail_texts.reset_text(key, language, actor=current_user, expected_version=expected),
                 message=_("The default text is in force again."),
                 then=lambda: redirect(url_for("admin.mail_text_edit", key=key, language=language)))
