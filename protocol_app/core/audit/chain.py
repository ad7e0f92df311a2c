"""The audit log as a hash chain: whoever edits, deletes or truncates it afterwards is found.

The app's database role may only INSERT and SELECT the audit tables (see `grants_sql`),
so the app itself cannot change history. Against someone holding the owner's rights the
chain is the evidence: every event is sealed into `audit_chain` with

    hash(n) = SHA-256(hash(n-1) + "\\n" + canonical JSON of event n)

Sealing runs in the beat (`seal_audit_log`, every minute) rather than in every request,
so that writers do not queue behind one lock; an event is unsealed for at most a minute.
`verify_chain` recomputes every link and names the first that does not hold.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ..db import UTCDateTime, advisory_lock
from ..time import as_utc, now_utc
from .anchor import note_head
from .models import AuditEvent

GENESIS = "0" * 64
#: Events older than this and still unsealed are reported (the sealer is not running).
UNSEALED_GRACE = timedelta(minutes=10)


class AuditSeal(db.Model):
    """One link of the chain: which event, at which position, with which hash."""

    __tablename__ = "audit_chain"

    seq: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    #: No foreign key on purpose: a deleted event must leave its link behind as evidence.
    event_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, unique=True)
    entry_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)


def canonical(event: AuditEvent) -> str:
    """The event's content as it is hashed (every column, fixed order and format)."""
    return json.dumps(
        [event.id, as_utc(event.occurred_at).isoformat(timespec="microseconds"), event.actor_id, event.action,
         event.object_type, event.object_id, event.summary, event.changes, event.ip_address],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def link_hash(previous: str, event: AuditEvent) -> str:
    return hashlib.sha256(f"{previous}\n{canonical(event)}".encode()).hexdigest()


def seal_audit_log(batch: int = 5000) -> int:
    """Append every committed, unsealed event to the chain; return how many were sealed."""
    advisory_lock("audit-chain")  # one sealer at a time, even with two beats
    head = db.session.execute(
        sa.select(AuditSeal.seq, AuditSeal.entry_hash).order_by(AuditSeal.seq.desc()).limit(1)).first()
    seq, previous = (head.seq, head.entry_hash) if head else (0, GENESIS)
    events = db.session.scalars(
        sa.select(AuditEvent).outerjoin(AuditSeal, AuditSeal.event_id == AuditEvent.id)
        .where(AuditSeal.seq.is_(None)).order_by(AuditEvent.id).limit(batch)).all()
    rows = []
    for event in events:
        seq += 1
        previous = link_hash(previous, event)
        rows.append({"seq": seq, "event_id": event.id, "entry_hash": previous, "sealed_at": now_utc()})
    if rows:
        db.session.execute(sa.insert(AuditSeal), rows)
        note_head(seq, previous)  # anchored outside the database once this commits
    return len(rows)


@dataclass
class ChainReport:
    sealed: int
    problems: list[str]
    unsealed_overdue: int

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch: int = 2000) -> ChainReport:
    """Recompute every link; report broken, missing and reordered links, first one first."""
    problems: list[str] = []
    previous, expected_seq, sealed = GENESIS, 1, 0
    last_seq = 0
    while True:
        links = db.session.execute(
            sa.select(AuditSeal.seq, AuditSeal.event_id, AuditSeal.entry_hash)
            .where(AuditSeal.seq > last_seq).order_by(AuditSeal.seq).limit(batch)).all()
        if not links:
            break
        events = {e.id: e for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.id.in_([link.event_id for link in links])))}
        for link in links:
            sealed += 1
            if link.seq != expected_seq:
                problems.append(f"link {expected_seq} to {link.seq - 1} missing from the chain")
            event = events.get(link.event_id)
            if event is None:
                problems.append(f"link {link.seq}: audit event {link.event_id} is missing (deleted)")
            elif link_hash(previous, event) != link.entry_hash:
                problems.append(f"link {link.seq}: audit event {link.event_id} was changed after it was sealed")
            # Go on from the stored hash, so that one bad entry does not hide the ones after it.
            previous, expected_seq, last_seq = link.entry_hash, link.seq + 1, link.seq
        db.session.expunge_all()
    overdue = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).outerjoin(AuditSeal, AuditSeal.event_id == AuditEvent.id)
        .where(AuditSeal.seq.is_(None), AuditEvent.occurred_at < now_utc() - UNSEALED_GRACE))
    return ChainReport(sealed=sealed, problems=problems, unsealed_overdue=overdue)


#: Tables the app's role may read and append to, never change.
APPEND_ONLY = ("audit_events", "audit_chain")


def grants_sql(role: str, schema: str = "public") -> str:
    """The GRANTs for the app's database role (run once by the owner, after each migration)."""
    tables = sorted(t.name for t in db.metadata.sorted_tables if t.name not in APPEND_ONLY)
    q = f'"{schema}"'
    lines = [
        f"-- Run as the owner of schema {schema} (the role that runs `flask db upgrade`).",
        f"-- The app connects as {role}: it may not TRUNCATE, ALTER or DROP anything, nor change the audit log.",
        f"GRANT USAGE ON SCHEMA {q} TO {role};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(f'{q}.{t}' for t in tables)} TO {role};",
        f"GRANT SELECT, INSERT ON {', '.join(f'{q}.{t}' for t in APPEND_ONLY)} TO {role};",
        f"GRANT SELECT ON {q}.alembic_version TO {role};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q} TO {role};",
        f"REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA {q} FROM {role};",
    ]
    return "\n".join(lines) + "\n"
