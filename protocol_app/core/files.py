"""Uploaded files: checked by content (not by name), stored outside `static/`
under a random name, and only ever served through a permission-checked view."""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
import zipfile
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from .db import UTCDateTime
from .errors import ValidationFailed
from .private_files import private_folder, write_private
from .time import now_utc

#: What we accept, by detected content type: (label, extension).
ACCEPTED = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
}


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random name on disk; the original name is only shown, never used as a path.
    storage_name: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    original_name: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)

    @property
    def path(self) -> Path:
        return Path(current_app.config["UPLOAD_DIR"]) / self.storage_name


class AttachmentMixin:
    """A stored file attached to a record; the domain adds the foreign key to its record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str | None] = mapped_column(sa.String(200))

    @declared_attr
    def file_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("stored_files.id"), nullable=False)

    @declared_attr
    def file(cls):
        return relationship("StoredFile", lazy="joined")


#: Images larger than this (pixels) are refused before they are decoded (decompression bombs).
MAX_IMAGE_PIXELS = 40_000_000
#: A DOCX whose parts unpack to more than this is refused (zip bombs).
MAX_DOCX_UNPACKED = 200 * 1024 * 1024


def _is_pdf(data: bytes) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) >= 1
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        return False


#: Names in a PDF that run something or carry other files: JavaScript, launching a program,
#: embedded or attached files. Such a PDF from a guest or an applicant is no document to keep.
_ACTIVE_PDF_NAMES = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles",
                               "/FileAttachment", "/RichMedia"})
#: The walk over a PDF's objects stops here (a crafted file could hold millions).
_MAX_PDF_OBJECTS = 200_000


def pdf_active_content(data: bytes) -> str | None:
    """The first active or embedded part of a PDF (its name, e.g. "/JavaScript"), or None.

    Walks every object reachable from the trailer (catalogue, names tree, pages, annotations,
    actions), so an action hidden behind an annotation or an additional-action entry counts too.
    A file too large to walk is treated as active."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    stack, seen, walked = [reader.trailer], set(), 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        walked += 1
        if walked > _MAX_PDF_OBJECTS:
            return "too many objects"
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in _ACTIVE_PDF_NAMES:
                    return str(name)
                if isinstance(value, NameObject) and value in _ACTIVE_PDF_NAMES:
                    return str(value)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _is_image(data: bytes, kind: str) -> bool:
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != kind or image.width * image.height > MAX_IMAGE_PIXELS:
                    return False
                image.verify()  # structure and checksums
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # and the pixels really decode
        return True
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                return False
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                return False
            types = archive.read("[Content_Types].xml")
            return b"wordprocessingml.document.main+xml" in types and archive.testzip() is None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False


def _active_part(data: bytes) -> str | None:
    from pypdf.errors import PyPdfError

    try:
        return pdf_active_content(data)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        return "unreadable structure"


def detect_content_type(data: bytes) -> str | None:
    """Tell the real type of an upload by parsing it, or None if it is not an accepted one.

    The first bytes only choose which parser to try: a PDF must open with pypdf and have
    a page, an image must decode with Pillow, a DOCX must be a Word package.
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf" if _is_pdf(data) else None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png" if _is_image(data, "PNG") else None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg" if _is_image(data, "JPEG") else None
    if data.startswith(b"PK\x03\x04"):
        return ACCEPTED_DOCX if _is_docx(data) else None
    return None


ACCEPTED_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _safe_display_name(name: str, content_type: str) -> str:
    """The uploaded name with the extension of what the file really is (x.html → x.pdf)."""
    stem = Path(Path(name or "datei").name.replace("\x00", "")).stem.strip(". ")[:190] or "datei"
    return f"{stem}.{ACCEPTED[content_type]}"


def send_stored(stored: StoredFile, *, download_name: str | None = None):
    """Serve a stored file as a download (never inline), typed by its checked content."""
    from flask import send_file

    return send_file(stored.path, mimetype=stored.content_type, as_attachment=True,
                     download_name=download_name or stored.original_name)


def store_upload(filename: str, data: bytes, *, actor) -> StoredFile:
    """Check and store an uploaded file; raise ValidationFailed with a clear message."""
    limit = current_app.config["MAX_UPLOAD_FILE_MB"] * 1024 * 1024
    if not data:
        raise ValidationFailed(_l("The file is empty."), field="file")
    if len(data) > limit:
        raise ValidationFailed(
            _l("The file is larger than %(mb)s MB.", mb=current_app.config["MAX_UPLOAD_FILE_MB"]),
            field="file",
        )
    content_type = detect_content_type(data)
    if content_type is None:
        raise ValidationFailed(
            _l("Only PDF, Word (DOCX), PNG and JPEG files are accepted; this file is none of them."),
            field="file",
        )
    if content_type == "application/pdf" and _active_part(data):
        raise ValidationFailed(
            _l("This PDF contains active content (JavaScript, an action that starts a program, or embedded "
               "files) and is not accepted. Please save it again as a plain PDF, e.g. with “Print to PDF”."),
            field="file",
        )
    storage_name = f"{secrets.token_hex(16)}.{ACCEPTED[content_type]}"
    folder = private_folder(current_app.config["UPLOAD_DIR"])
    write_private(folder / storage_name, data)
    record = StoredFile(
        storage_name=storage_name,
        original_name=_safe_display_name(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(record)
    db.session.flush()
    return record


def erase_file(record: StoredFile) -> None:
    """Delete the file from disk and its row (real erasure, not a flag)."""
    with contextlib.suppress(FileNotFoundError):
        record.path.unlink()
    db.session.delete(record)


def replace_upload(record, attr: str, filename: str, data: bytes, *, actor, image: bool = False) -> list:
    """Keep an upload as `record.<attr>` (a StoredFile relationship) and erase the file it
    replaces; `image`: PNG or JPEG only. Returns [old name, new name] for the audit."""
    if image and data and not (detect_content_type(data) or "").startswith("image/"):
        # Refused before anything is written to disk.
        raise ValidationFailed(_l("The photo must be a PNG or JPEG image."), field="file")
    stored = store_upload(filename, data, actor=actor)
    old = getattr(record, attr)
    setattr(record, attr, stored)
    db.session.flush()
    if old is not None:
        erase_file(old)
    return [old.original_name if old else None, stored.original_name]


def remove_upload(record, attr: str) -> str | None:
    """Take `record.<attr>` away and off the disk; returns the removed file's name (None: none was there)."""
    old = getattr(record, attr)
    if old is None:
        return None
    setattr(record, attr, None)
    db.session.flush()
    erase_file(old)
    return old.original_name

