"""The kinds of notice the app sends its users — a reminder rule, an offer, a decision due — in
the office's own words: each kind has a subject and a sentence with placeholders, which admins
may reword (`core.mail_texts`); the sentence shows in the bell and, in a mail, inside the frame
every notice shares (greeting, link, footer: the kind `core.notice`).

A domain declares its kinds in its own `notices` module; the placeholders a kind offers are
the ones its default words use, described from the vocabulary below (or by the kind itself).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..i18n import format_d, format_dt
from ..mail_texts import MailKind, placeholder_names, register_mail_kind

#: What a placeholder stands for, shared by the kinds that use it.
VOCABULARY = {
    "reference": _l("the record's reference, e.g. V-2027-0007"),
    "title": _l("the record's title"),
    "date": _l("the day in question"),
    "n": _l("how many"),
    "name": _l("the person's name"),
}

#: Example values for the preview, per language.
EXAMPLES = {
    "de": {"reference": "V-2027-0007", "title": "Delegation aus Paris", "date": "12.03.2027", "n": "3",
           "name": "Dr. Marie Weber"},
    "en": {"reference": "V-2027-0007", "title": "Delegation from Paris", "date": "12 Mar 2027", "n": "3",
           "name": "Dr Marie Weber"},
}

#: The kind of mail that frames every notice (`services.NOTICE`).
FRAME = "core.notice"


def notice_kind(key: str, label, *, de: tuple[str, str], en: tuple[str, str], described: dict | None = None,
                examples: dict | None = None) -> MailKind:
    """Declare a kind of notice: `de` and `en` are its default (subject, sentence).

    Its placeholders are the names its default words use; each must be described in
    `described` or in the shared vocabulary — a kind that forgets one fails at start-up, not
    when an admin opens it."""
    described = described or {}
    placeholders = {}
    for name in placeholder_names(*de, *en):
        if name not in described and name not in VOCABULARY:
            raise ValueError(f"{key}: placeholder {{{name}}} is not described")
        placeholders[name] = described.get(name, VOCABULARY.get(name))
    examples = examples or {}
    shown = {lang: {name: value for name, value in EXAMPLES[lang].items() if name in placeholders}
             | examples.get(lang, {}) for lang in ("de", "en")}
    return register_mail_kind(MailKind(key, label, placeholders, {"de": de, "en": en}, shown, frame=FRAME))


def shown_value(value) -> str:
    """A value as the notice shows it, in the language in force (dates and moments formatted,
    lazy texts translated, a callable — a value worded in the recipient's language — called)."""
    if callable(value):
        value = value()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_dt(value)
    if isinstance(value, date):
        return format_d(value)
    return str(value)
