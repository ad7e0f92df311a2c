"""Subject access: everything held about one applicant in one ZIP — every row of every table
that refers to the application (found by walking the schema's foreign keys, so a new table
is included without anyone remembering to), the documents, and who read the record when."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import render_template

from ..core.audit import record_event
from ..core.audit.models import AuditEvent
from ..core.files import StoredFile
from ..extensions import db
from .models import Application

#: Tables of the module that hold no data about one applicant (settings, other people).
NOT_ABOUT_THE_APPLICANT = frozenset({"emigrant_participants", "emigrant_priority_weights", "emigrant_retention",
                                     "emigrant_statistics", "emigrant_letter_templates", "emigrant_budgets"})


#: Columns held about someone else, or a credential: the volunteer's address and their link's hash
#: are not the applicant's to receive (Art. 15(4) GDPR: the rights of others).
WITHHELD_COLUMNS = {"emigrant_stays": frozenset({"volunteer_email", "volunteer_token_hash"})}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def referring_tables() -> list[sa.Table]:
    """Every table with a foreign key to the applications."""
    target = Application.__table__
    return [table for table in db.metadata.sorted_tables
            if any(fk.column.table is target for fk in table.foreign_keys)]


def collect(application: Application) -> dict[str, list[dict]]:
    """{table name: rows} of everything about the application."""
    target = Application.__table__
    data = {target.name: [{c.name: _plain(getattr(application, c.key)) for c in target.columns}]}
    for table in referring_tables():
        columns = [fk.parent for fk in table.foreign_keys if fk.column.table is target]
        rows = db.session.execute(sa.select(table).where(sa.or_(*(c == application.id for c in columns))))
        withheld = WITHHELD_COLUMNS.get(table.name, frozenset())
        data[table.name] = [{k: _plain(v) for k, v in row._mapping.items() if k not in withheld} for row in rows]
    data["audit_events"] = [
        {"when": _plain(e.occurred_at), "action": e.action, "actor_id": e.actor_id}
        for e in db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.object_type == target.name, AuditEvent.object_id == str(application.id))
            .order_by(AuditEvent.id))]
    return data


def _files(data: dict[str, list[dict]]) -> list[StoredFile]:
    """Stored files referenced by any collected row."""
    file_columns = {(table.name, fk.parent.name) for table in db.metadata.sorted_tables
                    for fk in table.foreign_keys if fk.column.table is StoredFile.__table__}
    ids = {row[column] for table, column in file_columns for row in data.get(table, []) if row.get(column)}
    return list(db.session.scalars(sa.select(StoredFile).where(StoredFile.id.in_(ids)))) if ids else []


def export_zip(application: Application, *, actor) -> bytes:
    """The ZIP for a subject access request: a readable summary, the data as JSON, the documents."""
    data = collect(application)
    files = _files(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zusammenfassung.html", render_template("emigrants/subject_access.html",
                                                                 application=application, data=data, files=files))
        archive.writestr("daten.json", json.dumps(data, ensure_ascii=False, indent=2))
        for stored in files:
            archive.write(stored.path, f"dokumente/{stored.id}-{stored.original_name}")
    record_event("application.subject_access", actor=actor, target=application)
    return buffer.getvalue()
