"""Wording and writing the office's mails: the words in force for a kind and language, checked
when an admin changes them, filled in when a mail is written."""

from __future__ import annotations

import string
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db
from ..audit import record_event
from ..db import transactional
from ..errors import ConcurrentChangeError, ValidationFailed
from .models import MailTextVersion
from .registry import LANGUAGES, MailKind, mail_kind

_FORMATTER = string.Formatter()
_CACHE_KEY = "protokoll_mail_texts"


@dataclass(frozen=True)
class MailText:
    subject: str
    body: str
    #: The saved version in force; 0 while the default words are.
    version: int

    @property
    def is_default(self) -> bool:
        return self.version == 0


@dataclass(frozen=True)
class WrittenMail:
    subject: str
    body: str
    kind: str
    version: int


def _kind(key: str) -> MailKind:
    kind = mail_kind(key)
    if kind is None:
        raise KeyError(f"unknown kind of mail: {key}")
    return kind


def _latest(key: str, language: str) -> MailTextVersion | None:
    return db.session.scalar(sa.select(MailTextVersion).where(
        MailTextVersion.kind == key, MailTextVersion.language == language).order_by(MailTextVersion.version.desc()).limit(1))


def text_in_force(key: str, language: str) -> MailText:
    """The words a mail of `key` in `language` is written with now — read once per transaction:
    a sweep that mails 500 people reads them once, not 500 times."""
    _kind(key)
    language = language if language in LANGUAGES else "de"
    cache = db.session.info.setdefault(_CACHE_KEY, {})
    if (key, language) not in cache:
        cache[key, language] = _words(key, language, _latest(key, language))
    return cache[key, language]


def _words(key: str, language: str, latest: MailTextVersion | None) -> MailText:
    if latest is None or latest.is_reset:
        subject, body = _kind(key).defaults[language]
        return MailText(subject, body, latest.version if latest else 0)
    return MailText(latest.subject, latest.body, latest.version)


def texts_in_force(keys, languages=LANGUAGES) -> dict[tuple[str, str], MailText]:
    """{(key, language): words in force} for many kinds at once, read in one statement (the
    admins' list of every kind of mail)."""
    cache = db.session.info.setdefault(_CACHE_KEY, {})
    wanted = [(key, language) for key in keys for language in languages if (key, language) not in cache]
    if wanted:
        newest = sa.select(MailTextVersion.kind, MailTextVersion.language,
                           sa.func.max(MailTextVersion.version).label("version")).group_by(
            MailTextVersion.kind, MailTextVersion.language).subquery()
        saved = {(row.kind, row.language): row for row in db.session.scalars(sa.select(MailTextVersion).join(
            newest, sa.and_(newest.c.kind == MailTextVersion.kind, newest.c.language == MailTextVersion.language,
                            newest.c.version == MailTextVersion.version)))}
        for key, language in wanted:
            cache[key, language] = _words(key, language, saved.get((key, language)))
    return {(key, language): cache[key, language] for key in keys for language in languages}


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session, transaction) -> None:
    # The next transaction reads the words again (another admin may have changed them).
    if transaction.parent is None:
        session.info.pop(_CACHE_KEY, None)


def history(key: str, language: str) -> list[MailTextVersion]:
    """Every saved wording, newest first."""
    return list(db.session.scalars(sa.select(MailTextVersion).where(
        MailTextVersion.kind == key, MailTextVersion.language == language).order_by(MailTextVersion.version.desc())))


def placeholder_names(*texts: str) -> list[str]:
    """The placeholders the texts use, in order of first use (texts already known to parse)."""
    names: list[str] = []
    for text in texts:
        for _literal, name, _spec, _conversion in _FORMATTER.parse(text):
            if name is not None and name not in names:
                names.append(name)
    return names


def _names_in(text: str, field: str) -> list[str]:
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ValidationFailed(_l("A curly bracket is not closed: write a placeholder as {name}, a bracket itself as {{ or }}."),
                               field=field) from exc
    names = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValidationFailed(_l("“{%(name)s}” is no placeholder: write it as {name}, without dots, colons or brackets.",
                                      name=f"{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}"[:60]),
                                   field=field)
        names.append(name)
    return names


def check_text(key: str, subject: str, body: str) -> None:
    """Refuse words a mail of `key` cannot be written with, naming what to fix."""
    kind = _kind(key)
    if not subject.strip() or "\n" in subject or "\r" in subject or len(subject) > 150:
        raise ValidationFailed(_l("The subject is one line of at most 150 characters."), field="subject")
    if not body.strip():
        raise ValidationFailed(_l("The mail needs a text."), field="body")
    for field, text in (("subject", subject), ("body", body)):
        unknown = [name for name in _names_in(text, field) if name not in kind.placeholders]
        if unknown:
            raise ValidationFailed(_l("Unknown placeholder {%(name)s}: this mail offers %(offered)s.", name=unknown[0],
                                      offered=", ".join("{" + n + "}" for n in kind.placeholders)), field=field)


def _next_version(key: str, language: str, expected_version: int | None) -> int:
    latest = _latest(key, language)
    current = latest.version if latest else 0
    if expected_version is not None and expected_version != current:
        raise ConcurrentChangeError(_l("These words were changed meanwhile by someone else."))
    return current + 1


@transactional
def save_text(key: str, language: str, *, subject: str, body: str, actor, expected_version: int | None = None) -> MailTextVersion:
    """Put new words in force for `key` in `language` (a new version; the old ones stay)."""
    check_text(key, subject, body)
    body = body.replace("\r\n", "\n")
    db.session.info.pop(_CACHE_KEY, None)
    row = MailTextVersion(kind=key, language=language, version=_next_version(key, language, expected_version),
                          subject=subject.strip(), body=body, changed_by_id=actor.id)
    db.session.add(row)
    db.session.flush()  # a version written meanwhile by another admin fails here: "changed meanwhile"
    record_event("mail_text.update", actor=actor, object_type="mail_texts", summary=f"{key} {language} v{row.version}")
    return row


@transactional
def reset_text(key: str, language: str, *, actor, expected_version: int | None = None) -> MailTextVersion:
    """Put the default words back in force (recorded as a version of its own)."""
    _kind(key)
    db.session.info.pop(_CACHE_KEY, None)
    row = MailTextVersion(kind=key, language=language, version=_next_version(key, language, expected_version),
                          changed_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record_event("mail_text.reset", actor=actor, object_type="mail_texts", summary=f"{key} {language} v{row.version}")
    return row


def fill(subject: str, body: str, values: dict) -> tuple[str, str]:
    """The words with the values filled in. A line whose placeholders are all empty ("Dress code:
    {dress_code}" for an event without one) is left out, and so is a blank line that would
    follow another."""
    lines = []
    for line in body.split("\n"):
        names = placeholder_names(line)
        if names and not any(values.get(name) for name in names):
            continue
        filled = line.format_map(values)
        if not filled.strip() and lines and not lines[-1].strip():
            continue
        lines.append(filled)
    return subject.format_map(values).strip(), "\n".join(lines)


def write_mail(key: str, language: str, values: dict) -> WrittenMail:
    """A mail of `key` in `language` with `values` for its placeholders, in the words in force."""
    kind = _kind(key)
    text = text_in_force(key, language)
    complete = {name: "" for name in kind.placeholders} | {k: str(v) for k, v in values.items()}
    subject, body = fill(text.subject, text.body, complete)
    return WrittenMail(subject[:200], body, key, text.version)


def preview(key: str, language: str, subject: str, body: str) -> tuple[str, str]:
    """What words (checked first) make of the kind's example values — in its frame, as the mail
    will read, for a kind that has one."""
    check_text(key, subject, body)
    kind = _kind(key)
    subject, body = fill(subject, body, {name: "" for name in kind.placeholders} | kind.examples.get(language, {}))
    if kind.frame is None:
        return subject, body
    frame, words = _kind(kind.frame), text_in_force(kind.frame, language)
    examples = frame.examples.get(language, {})
    # The frame's example link names its own example record; for this kind's, the site's address.
    site = urlsplit(examples.get("link", ""))
    return fill(words.subject, words.body, {name: "" for name in frame.placeholders} | examples
                | {"subject": subject, "message": body, "link": f"{site.scheme}://{site.netloc}/…" if site.netloc else ""})
