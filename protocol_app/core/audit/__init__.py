"""Append-only audit log: who did what to which record, when, with before/after."""

from .models import AuditEvent
from .services import changes_of, record_event, record_read, update_audited

__all__ = ["AuditEvent", "changes_of", "record_event", "record_read", "update_audited"]
