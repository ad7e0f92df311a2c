"""The audit chain's head, kept outside the database (issue: an owner deleting the newest events
with their links, or truncating both tables, left a chain that still verified).

After every commit that sealed events, the new head — position and hash — is written where the
database owner cannot rewrite it: syslog/journald by default, and an append-only file if
AUDIT_ANCHOR_FILE is set (e.g. on a volume the database host cannot reach, `chattr +a`).
`flask audit verify` compares the chain with the newest anchor it is given: a chain cut back,
emptied or rewritten since no longer matches it.
"""

from __future__ import annotations

import os
import re
import syslog
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db

_KEY = "protokoll_audit_head"
#: The line written for each new head; found again inside syslog or journal exports.
_LINE = re.compile(r"protokoll-audit-head seq=(\d+) hash=([0-9a-f]{64})")


def note_head(seq: int, entry_hash: str) -> None:
    """Remember the chain's new head; it is anchored once the transaction that sealed it commits."""
    db.session.info[_KEY] = (seq, entry_hash)


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session):
    head = session.info.pop(_KEY, None)
    if head is not None:
        write_anchor(*head)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    session.info.pop(_KEY, None)


def anchor_line(seq: int, entry_hash: str) -> str:
    return f"protokoll-audit-head seq={seq} hash={entry_hash}"


def write_anchor(seq: int, entry_hash: str) -> None:
    """Write the head to every configured place (no personal data: a position and a hash)."""
    line = anchor_line(seq, entry_hash)
    config = current_app.config
    if config.get("AUDIT_ANCHOR_SYSLOG"):
        syslog.openlog("protokoll-audit", 0, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, line)
    path = config.get("AUDIT_ANCHOR_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as anchors:
            anchors.write(line + "\n")
            anchors.flush()
            os.fsync(anchors.fileno())


def newest_anchor(path: str | Path) -> tuple[int, str] | None:
    """The newest head in an anchor file, or in a syslog or journal export (`journalctl -t
    protokoll-audit -o cat`); None when it holds none."""
    newest = None
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            match = _LINE.search(line)
            if match and (newest is None or int(match.group(1)) >= newest[0]):
                newest = (int(match.group(1)), match.group(2))
    return newest


def compare_with_anchor(anchor: tuple[int, str]) -> list[str]:
    """What the chain in the database says against the anchored head: nothing when it matches."""
    from .chain import AuditSeal

    seq, entry_hash = anchor
    link = db.session.get(AuditSeal, seq)
    if link is None:
        return [f"link {seq}, anchored outside the database, is missing: the chain was cut back or emptied"]
    if link.entry_hash != entry_hash:
        return [f"link {seq} differs from its anchor outside the database: the chain was rewritten"]
    return []
