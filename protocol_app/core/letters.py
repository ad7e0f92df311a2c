"""What every letter and certificate the office signs shares: the letterhead (sender line,
header, letterhead image and seal, uploaded by admins), the signatory of each kind of letter
and the DIN 5008 address block.

Domains register their kinds of letter here (`register_kind`); admins keep one signatory per
kind, so that the certificate is signed by the Governing Mayor and the emigrant programme's
letters by the head of protocol, without anyone editing a template.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import changes_of, record_event
from .db import UTCDateTime, transactional
from .errors import ValidationFailed
from .files import StoredFile, store_upload
from .time import now_utc

#: {kind: label} of the letters the domains make; filled by `register_kind` at import.
LETTER_KINDS: dict[str, object] = {}

#: What an installation starts with; admins change it under "Letters and certificates".
DEFAULT_SENDER_LINE = "Senatskanzlei Berlin · Protokoll · Jüdenstraße 1 · 10178 Berlin"
DEFAULT_HEADER = {"de": "Der Regierende Bürgermeister von Berlin · Senatskanzlei",
                  "en": "The Governing Mayor of Berlin · Senate Chancellery"}
IMAGE_TYPES = ("image/png", "image/jpeg")
HOME_COUNTRY = "DE"


def register_kind(kind: str, label) -> str:
    """Declare a kind of letter (e.g. "honours.certificate") so that admins can name its signatory."""
    LETTER_KINDS[kind] = label
    return kind


class Letterhead(db.Model):
    """The one letterhead of the installation (a single row, id 1)."""

    __tablename__ = "letterheads"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The small line above the address window (DIN 5008 "Rücksendeangabe").
    sender_line: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    header_de: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    header_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    letterhead_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))
    seal_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    letterhead_file: Mapped[StoredFile | None] = relationship(foreign_keys=[letterhead_file_id], lazy="joined")
    seal_file: Mapped[StoredFile | None] = relationship(foreign_keys=[seal_file_id], lazy="joined")

    def header(self, language: str) -> str:
        return self.header_en if language == "en" else self.header_de


class LetterSignatory(db.Model):
    """Who signs one kind of letter, and their function in both languages."""

    __tablename__ = "letter_signatories"

    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function_de: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    function_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Signatory:
    name: str
    function: str


@dataclass(frozen=True)
class LetterLayout:
    """What a letter template draws: the sender line, the header, the images as data URIs
    (a PDF template fetches nothing) and the signatory in the letter's language."""

    sender_line: str
    header: str
    letterhead_image: str | None
    seal_image: str | None
    signatory: Signatory | None


def _data_uri(stored: StoredFile | None) -> str | None:
    if stored is None or not stored.path.exists():
        return None
    return f"data:{stored.content_type};base64,{base64.b64encode(stored.path.read_bytes()).decode('ascii')}"


def letterhead() -> Letterhead:
    """The installation's letterhead (created with the defaults when missing)."""
    head = db.session.get(Letterhead, 1)
    if head is None:
        head = Letterhead(id=1, sender_line=DEFAULT_SENDER_LINE, header_de=DEFAULT_HEADER["de"],
                          header_en=DEFAULT_HEADER["en"])
        db.session.add(head)
        db.session.flush()
    return head


def signatory(kind: str, language: str) -> Signatory | None:
    """The signatory of a kind of letter with the function in `language`, or None if unset."""
    row = db.session.get(LetterSignatory, kind)
    if row is None:
        return None
    return Signatory(row.name, row.function_en if language == "en" else row.function_de)


def layout(kind: str | None, language: str) -> LetterLayout:
    """Everything a letter of `kind` in `language` draws besides its text; without a kind
    (a programme booklet) there is no signatory."""
    head = letterhead()
    return LetterLayout(sender_line=head.sender_line, header=head.header(language),
                        letterhead_image=_data_uri(head.letterhead_file), seal_image=_data_uri(head.seal_file),
                        signatory=signatory(kind, language) if kind else None)


def address_block(addressee: list[str], postal_lines: list[str], *, country_code: str | None,
                  country_name: str | None) -> list[str]:
    """The address field of DIN 5008: the addressee's lines, the postal lines, and for a letter
    abroad the country in capitals on the last line (the post reads it there)."""
    lines = [line.strip() for line in [*addressee, *postal_lines] if line and line.strip()]
    if country_code and country_code.upper() != HOME_COUNTRY and country_name:
        lines.append(country_name.upper())
    return lines


def postal_lines(text: str | None) -> list[str]:
    """A postal address kept as text (street, postcode and town …), one line each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


#: DIN 5008's address zone holds six lines; the country line is one of them.
MAX_POSTAL_LINES = 4


def check_postal_address(text: str | None) -> str | None:
    """The address as stored, or a clear error when it would not fit the window of the envelope."""
    lines = postal_lines(text)
    if len(lines) > MAX_POSTAL_LINES:
        raise ValidationFailed(_l("A postal address has at most %(n)s lines (street, postcode and town, …); the "
                                  "name and the country are added to the letter.", n=MAX_POSTAL_LINES),
                               field="postal_address")
    return "\n".join(lines) or None


@transactional
def save_letterhead(*, actor, sender_line: str, header_de: str, header_en: str, letterhead_upload=None,
                    seal_upload=None, remove_letterhead: bool = False, remove_seal: bool = False) -> Letterhead:
    """Admins change the letterhead; uploads are (filename, bytes) and must be PNG or JPEG (audited)."""
    if not (sender_line or "").strip() or not (header_de or "").strip() or not (header_en or "").strip():
        raise ValidationFailed(_l("Please enter the sender line and the header in both languages."))
    head = letterhead()
    head.sender_line, head.header_de, head.header_en = sender_line.strip(), header_de.strip(), header_en.strip()
    for upload, remove, attribute, field in ((letterhead_upload, remove_letterhead, "letterhead_file", "letterhead"),
                                             (seal_upload, remove_seal, "seal_file", "seal")):
        if upload:
            filename, data = upload
            stored = store_upload(filename, data, actor=actor)
            if stored.content_type not in IMAGE_TYPES:
                raise ValidationFailed(_l("Please upload the image as PNG or JPEG."), field=field)
            # The key, not the relationship: the audit compares columns.
            setattr(head, f"{attribute}_id", stored.id)
        elif remove:
            setattr(head, f"{attribute}_id", None)
    changes = changes_of(head)
    head.updated_at = now_utc()
    db.session.flush()
    db.session.expire(head, ["letterhead_file", "seal_file"])
    if changes:
        record_event("letters.letterhead", actor=actor, target=head, changes=changes)
    return head


@transactional
def save_signatory(kind: str, *, actor, name: str, function_de: str, function_en: str) -> LetterSignatory:
    """Admins name who signs a kind of letter (audited)."""
    if kind not in LETTER_KINDS:
        raise ValidationFailed(_l("Unknown kind of letter."))
    name, function_de, function_en = (name or "").strip(), (function_de or "").strip(), (function_en or "").strip()
    if not name or not function_de or not function_en:
        raise ValidationFailed(_l("Please enter the signatory's name and function in both languages."))
    row = db.session.get(LetterSignatory, kind)
    is_new = row is None
    if is_new:
        row = LetterSignatory(kind=kind, name=name, function_de=function_de, function_en=function_en)
        db.session.add(row)
        changes = {"name": [None, name], "function_de": [None, function_de], "function_en": [None, function_en]}
    else:
        row.name, row.function_de, row.function_en = name, function_de, function_en
        changes = changes_of(row)
    row.updated_at = now_utc()
    db.session.flush()
    if changes:
        record_event("letters.signatory", actor=actor, target=row, summary=kind, changes=changes)
    return row


def signatories() -> dict[str, LetterSignatory]:
    return {row.kind: row for row in db.session.scalars(sa.select(LetterSignatory))}
