"""Letters of the programme — invitation, confirmation with the programme, thanks — from
templates admins keep in German and English; the letter's language follows the applicant's
preference and falls back to English. Every generated letter is kept with the case."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event, update_audited
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.files import store_upload
from ..core.i18n import format_long_d
from ..core.letters import layout, register_kind
from ..core.pdf import render_pdf
from ..core.time import now_utc, today_berlin
from ..extensions import db
from .models import Application, GeneratedLetter, LetterKind, LetterTemplate
from .planning import bookings_of, plan_of
from .programme import items_of

FALLBACK_LANGUAGE = "en"
#: What a template may use; anything else in braces is left as written. {programme} marks where
#: the confirmation's programme stands, {signatory} where the signature goes (else at the end).
PLACEHOLDERS = ("salutation", "name", "reference", "companion", "date", "address", "programme", "signatory")
_BLOCKS = re.compile(r"(\{programme\}|\{signatory\})")

#: The kinds of letter admins name a signatory for (core.letters).
SIGNED_KINDS = {kind.value: register_kind(f"emigrants.{kind.value}", _l("Emigrant programme: %(kind)s",
                                                                         kind=kind.label))
                for kind in LetterKind}

DEFAULT_TEMPLATES = {
    ("invitation", "de"): ("Einladung nach Berlin", "{salutation},\n\nder Regierende Bürgermeister von Berlin lädt Sie "
                           "und eine Begleitperson Ihrer Wahl zu einem einwöchigen Besuch in Ihre frühere "
                           "Heimatstadt ein. Bitte teilen Sie uns mit, ob Sie die Einladung annehmen.\n\n"
                           "Mit freundlichen Grüßen\n\n{signatory}"),
    ("invitation", "en"): ("Invitation to Berlin", "{salutation},\n\nThe Governing Mayor of Berlin invites you and a "
                           "companion of your choice to a one-week visit to your former home town. Please let us "
                           "know whether you accept the invitation.\n\nWith kind regards\n\n{signatory}"),
    ("confirmation", "de"): ("Ihr Besuch in Berlin", "{salutation},\n\nwir freuen uns, Sie in Berlin zu begrüßen. "
                             "Ihr Besuch ist so geplant:\n\n{programme}\n\nWenn Sie Fragen haben, rufen Sie uns "
                             "gern an.\n\nMit freundlichen Grüßen\n\n{signatory}"),
    ("confirmation", "en"): ("Your visit to Berlin", "{salutation},\n\nWe look forward to welcoming you in Berlin. "
                             "This is the plan of your visit:\n\n{programme}\n\nIf you have any questions, please "
                             "call us.\n\nWith kind regards\n\n{signatory}"),
    ("thanks", "de"): ("Vielen Dank", "{salutation},\n\nvielen Dank für Ihren Besuch in Berlin.\n\n"
                       "Mit freundlichen Grüßen\n\n{signatory}"),
    ("thanks", "en"): ("Thank you", "{salutation},\n\nThank you for your visit to Berlin.\n\nWith kind regards"
                       "\n\n{signatory}"),
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
    update_audited(template, {"subject": subject.strip(), "body": body.strip()}, actor=actor,
                   action="emigrants.letter_template")


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


def letter_parts(body: str, values: dict, *, with_programme: bool) -> list[tuple[str, str]]:
    """The letter's text as (kind, text) parts: "text" paragraphs, the "programme" and the
    "signature". Without a {programme} mark the programme stands before the closing (the last
    paragraph before the signature); without {signatory} the signature comes last."""
    parts: list[tuple[str, str]] = []
    for piece in _BLOCKS.split(body):
        if piece == "{programme}":
            if with_programme:
                parts.append(("programme", ""))
        elif piece == "{signatory}":
            parts.append(("signature", ""))
        else:
            parts += [("text", paragraph.format_map(values).strip()) for paragraph in re.split(r"\n\s*\n", piece)
                      if paragraph.strip()]
    if with_programme and ("programme", "") not in parts:
        texts = [i for i, (kind, _text) in enumerate(parts) if kind == "text"]
        parts.insert(texts[-1] if len(texts) > 1 else len(parts), ("programme", ""))
    if ("signature", "") not in parts:
        parts.append(("signature", ""))
    return parts


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
    language = "de" if template.language == "de" else "en"
    # Labels of the programme and the date come from the catalogues we have (German, English).
    with force_locale(language):
        address = application.address_block(language)
        values = _Fill(salutation=application.salutation(language), name=application.name,
                       reference=application.reference, companion=application.companion_name or "",
                       date=format_long_d(today), address="\n".join(address))
        pdf = render_pdf("emigrants/letter.html", subject=template.subject.format_map(values),
                         parts=letter_parts(template.body, values, with_programme=programme is not None),
                         address=address, layout=layout(SIGNED_KINDS[kind], language), application=application,
                         today=today, language=template.language, programme=programme)
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
