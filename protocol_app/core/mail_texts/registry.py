"""The kinds of mail the office may word itself: each with its placeholders (what it may name),
its default words in German and English, and example values for the preview.

A domain registers its kinds where it sends them (`events.mail_texts`, …); the words live in
the database once an admin changed them (`services`), else they are these defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The languages a mail is written in (the guest's or the user's).
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class MailKind:
    key: str
    #: What the mail is, for the admin's list (a lazy text).
    label: object
    #: {placeholder: what it stands for (a lazy text)}.
    placeholders: dict
    #: {language: (subject, body)}, with {placeholder}s.
    defaults: dict
    #: {language: {placeholder: value}} the preview fills in (values like the demo's).
    examples: dict = field(default_factory=dict)
    #: The kind whose words frame this one's in a mail (its {subject} and {message} are this
    #: kind's subject and text), or None for a mail of its own.
    frame: str | None = None


_KINDS: dict[str, MailKind] = {}


def register_mail_kind(kind: MailKind) -> MailKind:
    """Make a kind of mail known (once per process; a second registration replaces the first)."""
    missing = [lang for lang in LANGUAGES if lang not in kind.defaults]
    if missing:
        raise ValueError(f"{kind.key}: no default words in {missing}")
    _KINDS[kind.key] = kind
    return kind


def mail_kind(key: str) -> MailKind | None:
    return _KINDS.get(key)


def mail_kinds() -> list[MailKind]:
    """Every registered kind, by key."""
    return [_KINDS[key] for key in sorted(_KINDS)]
