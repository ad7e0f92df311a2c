"""Proof documents of an application (birth certificate copy, other proof, the signed
declaration): checked by content like every upload, stored outside `static/`, read only by
the team (every download logged) and erased with the health notes — the shorter period."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.files import erase_file, store_upload
from ..core.time import now_utc
from ..extensions import db
from .models import Application, ApplicationDocument, DocumentKind
from .workflow import OPEN_STATES


def documents_of(application: Application) -> list[ApplicationDocument]:
    return list(db.session.scalars(sa.select(ApplicationDocument).where(
        ApplicationDocument.application_id == application.id).order_by(ApplicationDocument.id)))


@transactional
def add_document(application: Application, *, actor, kind: str, filename: str, data: bytes,
                 description: str | None = None) -> ApplicationDocument:
    """Keep a proof document with an open case; the audit names its kind, never the file name
    (a file is often named after the person)."""
    if application.state not in OPEN_STATES:
        raise DomainError(_l("Documents can be added to open applications only."))
    if kind not in {k.value for k in DocumentKind}:
        raise ValidationFailed(_l("Please choose what kind of document this is."), field="kind")
    stored = store_upload(filename, data, actor=actor)
    document = ApplicationDocument(application_id=application.id, kind=kind, file=stored, uploaded_at=now_utc(),
                                   description=(description or "").strip() or None)
    db.session.add(document)
    db.session.flush()
    record_event("application.document_add", actor=actor, target=application, summary=kind)
    return document


def log_document_read(application: Application, document: ApplicationDocument, *, actor) -> None:
    record_event("application.document_read", actor=actor, target=application, summary=document.kind)


@transactional
def remove_document(application: Application, document: ApplicationDocument, *, actor) -> None:
    """Delete a document and erase its file from the disk."""
    record_event("application.document_remove", actor=actor, target=application, summary=document.kind)
    _erase(document)
    db.session.flush()


def _erase(document: ApplicationDocument) -> None:
    stored = document.file
    db.session.delete(document)
    db.session.flush()  # the row goes before its file's row, which it references
    erase_file(stored)


def erase_documents(application: Application) -> int:
    """Retention: every proof document of the case, rows and files."""
    documents = documents_of(application)
    for document in documents:
        _erase(document)
    return len(documents)
