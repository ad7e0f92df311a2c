"""On the day: tick arrivals at the door, add walk-ins, report attendance."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError
from ..core.listing import search_clause
from ..core.time import now_utc
from ..extensions import db
from .guests import precedence_order
from .models import Event, Guest, GuestStatus
from .workflow import EventState

#: Who is expected at the door.
EXPECTED = (GuestStatus.ACCEPTED.value, GuestStatus.INVITED.value)


def search(event: Event, query: str, limit: int = 30) -> list[Guest]:
    """Expected guests and walk-ins whose name or organisation contains `query`."""
    stmt = sa.select(Guest).where(Guest.event_id == event.id,
                                  sa.or_(Guest.status.in_(EXPECTED), Guest.is_walk_in.is_(True)))
    if query:
        stmt = stmt.where(search_clause(query, (Guest.name, Guest.organisation)))
    return list(db.session.scalars(stmt.order_by(*precedence_order()).limit(limit)))


def _require_day(event: Event) -> None:
    if event.state not in (EventState.INVITATIONS_SENT, EventState.HELD):
        raise DomainError(_l("Check-in is open once the invitations have been sent."))


@transactional
def set_arrived(guest: Guest, arrived: bool, *, actor) -> None:
    """Tick (or untick) a guest's arrival."""
    _require_day(guest.event)
    guest.arrived_at = now_utc() if arrived else None
    db.session.flush()
    record_event("event.checkin" if arrived else "event.checkin_undo", actor=actor, target=guest)


@transactional
def add_walk_in(event: Event, *, name: str, organisation=None, actor) -> Guest:
    """Admit a guest who was not on the list, arrived now."""
    _require_day(event)
    guest = Guest(event_id=event.id, name=name.strip(), organisation=organisation, category="other",
                  status=GuestStatus.ACCEPTED.value, is_walk_in=True, arrived_at=now_utc())
    return workflow.begin(guest, actor=actor, audit_action="event.walk_in", changes={"name": [None, guest.name]},
                          comment="walk-in")


def door_counts(event: Event) -> dict:
    """How many of the accepted guests are present: the check-in page's counter, in one query."""
    accepted = Guest.status == GuestStatus.ACCEPTED.value
    row = db.session.execute(sa.select(
        sa.func.count(Guest.id).filter(accepted),
        sa.func.count(Guest.id).filter(accepted, Guest.arrived_at.is_not(None)),
    ).where(Guest.event_id == event.id)).one()
    return {"accepted": row[0], "present": row[1]}


def attendance(event: Event) -> dict:
    """Counts and lists for the attendance and no-show report."""
    rows = db.session.scalars(sa.select(Guest).where(Guest.event_id == event.id).order_by(*precedence_order())).all()
    accepted = [g for g in rows if g.status == GuestStatus.ACCEPTED.value]
    present = [g for g in accepted if g.arrived_at is not None]
    return {
        "accepted": len(accepted),
        "present": present,
        "no_shows": [g for g in accepted if g.arrived_at is None],
        "walk_ins": [g for g in present if g.is_walk_in],
        "declined": sum(1 for g in rows if g.status == GuestStatus.DECLINED.value),
    }
