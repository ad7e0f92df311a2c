"""Seating by precedence: the highest-ranking guest to the host's right, the next to
the host's left, and so on alternately; locked seats stay; declined guests drop out."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..extensions import db
from .guests import precedence_order
from .models import Event, EventTable, Guest, GuestStatus, SeatAssignment


def honour_order(seats: int) -> list[int]:
    """Seat numbers from the most to the least honoured around a table's head.

    Seats count clockwise from the head's right: 1 is the right, `seats` the left.
    """
    order, right, left = [], 1, seats
    while right <= left:
        order.append(right)
        if left != right:
            order.append(left)
        right, left = right + 1, left - 1
    return order


@transactional
def set_tables(event: Event, *, count: int, seats: int, actor) -> None:
    """Lay out `count` tables of `seats` seats (only before anyone is seated)."""
    if not 1 <= count <= 300 or not 1 <= seats <= 30:
        raise ValidationFailed(_l("Please give 1 to 300 tables with 1 to 30 seats each."))
    existing = db.session.scalars(sa.select(EventTable).where(EventTable.event_id == event.id)).all()
    if any(table.assignments for table in existing):
        raise DomainError(_l("Guests are already seated; clear the seating before changing the tables."))
    for table in existing:
        db.session.delete(table)
    db.session.flush()
    db.session.add_all(EventTable(event_id=event.id, number=n, seats=seats) for n in range(1, count + 1))
    db.session.flush()
    record_event("event.tables_set", actor=actor, target=event, summary=f"{count} x {seats}")


def tables_of(event: Event) -> list[EventTable]:
    """The event's tables with their seated guests, in a fixed number of queries."""
    return list(db.session.scalars(
        sa.select(EventTable).where(EventTable.event_id == event.id).order_by(EventTable.number)
        .options(selectinload(EventTable.assignments))
    ).unique())


@transactional
def propose(event: Event, *, actor) -> int:
    """Seat every accepted guest by precedence, keeping locked seats; return how many are seated."""
    tables = tables_of(event)
    if not tables:
        raise DomainError(_l("Please lay out the tables first."))
    table_ids = [t.id for t in tables]
    # Declined guests and unlocked seats go; locked seats of accepted guests stay.
    db.session.execute(sa.delete(SeatAssignment).where(
        SeatAssignment.table_id.in_(table_ids),
        sa.or_(SeatAssignment.is_locked.is_(False),
               SeatAssignment.guest_id.in_(sa.select(Guest.id).where(Guest.status != GuestStatus.ACCEPTED.value))),
    ))
    db.session.expire_all()
    kept = [a for t in tables_of(event) for a in t.assignments]
    taken = {(a.table_id, a.seat) for a in kept}
    seated = {a.guest_id for a in kept}
    free = [(t.id, seat) for t in tables for seat in honour_order(t.seats) if (t.id, seat) not in taken]
    guests = db.session.scalars(
        sa.select(Guest).where(Guest.event_id == event.id, Guest.status == GuestStatus.ACCEPTED.value)
        .order_by(*precedence_order())
    ).all()
    placed = 0
    for guest in guests:
        if guest.id in seated:
            continue
        if not free:
            break
        table_id, seat = free.pop(0)
        db.session.add(SeatAssignment(table_id=table_id, seat=seat, guest_id=guest.id))
        placed += 1
    db.session.flush()
    record_event("event.seating_propose", actor=actor, target=event, summary=f"{placed} placed")
    return placed


@transactional
def move_guest(event: Event, guest: Guest, *, table_number: int, seat: int, lock: bool, actor) -> None:
    """Put a guest on a given seat (refused if the seat is taken)."""
    table = db.session.scalar(sa.select(EventTable).where(EventTable.event_id == event.id,
                                                          EventTable.number == table_number))
    if table is None or not 1 <= seat <= table.seats:
        raise ValidationFailed(_l("This table or seat does not exist."))
    if guest.status != GuestStatus.ACCEPTED.value:
        raise ValidationFailed(_l("Only guests who accepted can be seated."))
    db.session.execute(sa.delete(SeatAssignment).where(SeatAssignment.guest_id == guest.id))
    try:
        with db.session.begin_nested():
            db.session.add(SeatAssignment(table_id=table.id, seat=seat, guest_id=guest.id, is_locked=lock))
            db.session.flush()
    except IntegrityError:
        raise ValidationFailed(_l("This seat is already taken."))
    record_event("event.seat_move", actor=actor, target=guest, summary=f"table {table_number} seat {seat}")
