"""Letters of the programme — invitation, confirmation with the programme, thanks — from
templates admins keep in German and English; the letter's language follows the applicant's
preference and falls back to English. Every generated letter is kept with the case."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import changes_of, record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.files import store_upload
from ..core.i18n import format_d
from ..core.pdf import render_pdf
from ..core.time import now_utc, today_berlin
from ..extensions import db
from .models import Application, GeneratedLetter, LetterKind, LetterTemplate
from .planning import bookings_of, plan_of
from .programme import items_of

FALLBACK_LANGUAGE = "en"
#: What a template may use; anything else in braces is left as written.
PLACEHOLDERS = ("name", "reference", "companion", "date")

DEFAULT_TEMPLATES = {
    ("invitation", "de"): ("Einladung nach Berlin", "Sehr geehrte/r {name},\n\nder Regierende Bürgermeister von "
                           "Berlin lädt Sie und eine Begleitperson Ihrer Wahl zu einem einwöchigen Besuch in Ihre "
                           "frühere Heimatstadt ein. Bitte teilen Sie uns mit, ob Sie die Einladung annehmen.\n\n"
                           "Mit freundlichen Grüßen\nSenatskanzlei Berlin · Protokoll"),
    ("invitation", "en"): ("Invitation to Berlin", "Dear {name},\n\nThe Governing Mayor of Berlin invites you and a "
                           "companion of your choice to a one-week visit to your former home town. Please let us "
                           "know whether you accept the invitation.\n\nWith kind regards\nSenate Chancellery of "
                           "Berlin · Protocol"),
    ("confirmation", "de"): ("Ihr Besuch in Berlin", "Sehr geehrte/r {name},\n\nwir freuen uns, Sie in Berlin "
                             "zu begrüßen. Anbei finden Sie das Programm Ihres Besuchs.\n\nMit freundlichen Grüßen"),
    ("confirmation", "en"): ("Your visit to Berlin", "Dear {name},\n\nWe look forward to welcoming you in Berlin. "
                             "Please find the programme of your visit enclosed.\n\nWith kind regards"),
    ("thanks", "de"): ("Vielen Dank", "Sehr geehrte/r {name},\n\nvielen Dank für Ihren Besuch in Berlin.\n\n"
                       "Mit freundlichen Grüßen"),
    ("thanks", "en"): ("Thank you", "Dear {name},\n\nThank you for your visit to Berlin.\n\nWith kind regards"),
}


def load_default_templates() -> int:
    """Add the templates that are missing (an installation starts with these)."""
    existing = {(t.kind, t.language) for t in db.session.scalars(sa.select(LetterTemplate))}
    added = 0
    for (kind, language), (subject, body) in DEFAULT_TEMPLATES.items():
        if (kind, language) not in existing:
            db.session.add(LetterTemplate(kind=kind, language=language, subject=subject, body=body))
            added += 1
    db.session.flush()
    return added


@transactional
def save_template(template: LetterTemplate, *, actor, subject: str, body: str) -> None:
    """Admins change a letter's wording (audited)."""
    if not subject.strip() or not body.strip():
        raise ValidationFailed(_l("Please enter the subject and the text of the letter."))
    template.subject, template.body = subject.strip(), body.strip()
    changes = changes_of(template)
    db.session.flush()
    if changes:
        record_event("emigrants.letter_template", actor=actor, target=template, changes=changes)


class _Fill(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _template(kind: str, language: str) -> LetterTemplate:
    for candidate in (language, FALLBACK_LANGUAGE):
        template = db.session.scalar(sa.select(LetterTemplate).where(LetterTemplate.kind == kind,
                                                                     LetterTemplate.language == candidate))
        if template is not None:
            return template
    raise ValidationFailed(_l("There is no template for this letter; an admin adds it under Letter templates."))


def _programme(application: Application) -> dict:
    """The stay, the travel and the items the confirmation carries; refused while there is none."""
    plan = plan_of(application)
    items = items_of(application)
    if plan is None or not items:
        raise ValidationFailed(_l("The confirmation carries the programme: please plan the stay and add its "
                                  "programme items first."))
    return {"plan": plan, "entries": items, "bookings": bookings_of(application)}


@transactional
def generate(application: Application, kind: str, *, actor) -> GeneratedLetter:
    """Make the letter as PDF in the applicant's language (or English) and keep it with the case."""
    if kind not in {k.value for k in LetterKind}:
        raise ValidationFailed(_l("Unknown kind of letter."))
    template = _template(kind, application.language)
    programme = _programme(application) if kind == LetterKind.CONFIRMATION.value else None
    today = today_berlin()
    # Labels of the programme and the date come from the catalogues we have (German, English).
    with force_locale("de" if template.language == "de" else "en"):
        values = _Fill(name=application.name, reference=application.reference,
                       companion=application.companion_name or "", date=format_d(today))
        body = template.body.format_map(values)
        pdf = render_pdf("emigrants/letter.html", subject=template.subject.format_map(values), body=body,
                         application=application, today=today, language=template.language, programme=programme)
    stored = store_upload(f"{kind}-{application.reference}-{template.language}.pdf", pdf, actor=actor)
    letter = GeneratedLetter(application_id=application.id, kind=kind, language=template.language, file=stored,
                             created_at=now_utc(), created_by_id=actor.id)
    db.session.add(letter)
    db.session.flush()
    record_event("application.letter", actor=actor, target=application, summary=f"{kind} {template.language}")
    return letter


def letters_of(application: Application) -> list[GeneratedLetter]:
    return list(db.session.scalars(sa.select(GeneratedLetter).where(
        GeneratedLetter.application_id == application.id).order_by(GeneratedLetter.id)))
