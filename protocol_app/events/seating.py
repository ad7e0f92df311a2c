"""Seating by precedence: the highest-ranking guest to the host's right, the next to
the host's left, and so on alternately; locked seats stay; declined guests drop out."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.audit import record_event
from ..core.db import lock_for_update, transactional
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
    event = lock_for_update(event)  # seating is planned one change at a time per event
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


#: The drawn table: its centre and radius, and the ring the seats stand on (SVG units).
DRAWING_CENTRE, TABLE_RADIUS, SEAT_RING = 150, 62, 112


def seat_layout(seats: int) -> list[tuple[int, float, float, str]]:
    """(seat, x, y, side) of each seat around a round table drawn with its head at the top.

    Seat 1 is at the head's right hand and seat `seats` at the left, as `propose` fills them:
    the head faces the table, so their right is the drawing's left. `side` says which hand of
    the head a seat is on ("right", "left", or "opposite" for the middle seat of an odd table)."""
    import math

    places = []
    for seat in range(1, seats + 1):
        angle = math.radians(-90 - seat * 360 / (seats + 1))  # counter-clockwise from the head
        x = DRAWING_CENTRE + SEAT_RING * math.cos(angle)
        y = DRAWING_CENTRE + SEAT_RING * math.sin(angle)
        middle = (seats + 1) / 2
        side = "right" if seat < middle else "left" if seat > middle else "opposite"
        places.append((seat, round(x, 1), round(y, 1), side))
    return places


def _partner_seats(seat: int, seats: int) -> list[int]:
    """Seats next to `seat`, the one further from the table's head first.

    Seats 1 and `seats` flank the head, so they are not neighbours of each other.
    """
    further, nearer = (seat + 1, seat - 1) if seat <= seats / 2 else (seat - 1, seat + 1)
    return [s for s in (further, nearer) if 1 <= s <= seats]


def _take_pair(free: list[tuple[int, int]], seats_of: dict[int, int]) -> tuple[tuple, tuple] | None:
    """The most honoured free seat that has a free neighbour, and that neighbour."""
    free_set = set(free)
    for table_id, seat in free:
        for other in _partner_seats(seat, seats_of[table_id]):
            if (table_id, other) in free_set:
                return (table_id, seat), (table_id, other)
    return None


@transactional
def propose(event: Event, *, actor) -> int:
    """Seat every accepted guest by precedence, keeping locked seats; return how many are seated.

    A guest who named a companion and wishes to sit together gets two neighbouring seats;
    when no such pair is left, the guest is seated alone and the companion where a seat is free.
    """
    event = lock_for_update(event)  # one plan at a time, on the replies committed so far
    tables = tables_of(event)
    if not tables:
        raise DomainError(_l("Please lay out the tables first."))
    table_ids = [t.id for t in tables]
    accepted = sa.select(Guest.id).where(Guest.status == GuestStatus.ACCEPTED.value)
    without_companion = sa.select(Guest.id).where(Guest.companion_name.is_(None))
    # Unlocked seats go, and so do seats of guests who no longer come (or no longer bring anyone).
    db.session.execute(sa.delete(SeatAssignment).where(
        SeatAssignment.table_id.in_(table_ids),
        sa.or_(SeatAssignment.is_locked.is_(False), SeatAssignment.guest_id.not_in(accepted),
               sa.and_(SeatAssignment.is_companion.is_(True), SeatAssignment.guest_id.in_(without_companion))),
    ))
    db.session.expire_all()
    kept = [a for t in tables_of(event) for a in t.assignments]
    taken = {(a.table_id, a.seat) for a in kept}
    seated = {(a.guest_id, a.is_companion) for a in kept}
    seats_of = {t.id: t.seats for t in tables}
    free = [(t.id, seat) for t in tables for seat in honour_order(t.seats) if (t.id, seat) not in taken]
    guests = db.session.scalars(
        sa.select(Guest).where(Guest.event_id == event.id, Guest.status == GuestStatus.ACCEPTED.value)
        .order_by(*precedence_order())
    ).all()
    rows = []

    def place(spot, guest, companion=False):
        free.remove(spot)
        rows.append({"table_id": spot[0], "seat": spot[1], "guest_id": guest.id, "is_companion": companion,
                     "is_locked": False})

    leftover_companions = []
    for guest in guests:
        needs_guest = (guest.id, False) not in seated
        needs_companion = bool(guest.companion_name) and (guest.id, True) not in seated
        if needs_guest and needs_companion and guest.seat_companion_together:
            pair = _take_pair(free, seats_of)
            if pair is not None:
                place(pair[0], guest)
                place(pair[1], guest, companion=True)
                continue
        if needs_guest and free:
            place(free[0], guest)
        if needs_companion:
            leftover_companions.append(guest)
    # Companions who could not sit beside their guest take the seats left at the end.
    for guest in leftover_companions:
        if free:
            place(free[-1], guest, companion=True)
    if rows:  # one statement for the whole plan, however many tables
        db.session.execute(sa.insert(SeatAssignment), rows)
    db.session.expire_all()
    record_event("event.seating_propose", actor=actor, target=event, summary=f"{len(rows)} placed")
    return len(rows)


@transactional
def move_guest(event: Event, guest: Guest, *, table_number: int, seat: int, lock: bool, actor,
               companion: bool = False) -> None:
    """Put a guest (or the guest's companion) on a given seat (refused if the seat is taken)."""
    event = lock_for_update(event)
    guest = lock_for_update(guest)
    table = db.session.scalar(sa.select(EventTable).where(EventTable.event_id == event.id,
                                                          EventTable.number == table_number))
    if table is None or not 1 <= seat <= table.seats:
        raise ValidationFailed(_l("This table or seat does not exist."))
    if guest.status != GuestStatus.ACCEPTED.value:
        raise ValidationFailed(_l("Only guests who accepted can be seated."))
    if companion and not guest.companion_name:
        raise ValidationFailed(_l("This guest has not named a companion."))
    db.session.execute(sa.delete(SeatAssignment).where(SeatAssignment.guest_id == guest.id,
                                                       SeatAssignment.is_companion.is_(companion)))
    try:
        with db.session.begin_nested():
            db.session.add(SeatAssignment(table_id=table.id, seat=seat, guest_id=guest.id, is_locked=lock,
                                          is_companion=companion))
            db.session.flush()
    except IntegrityError:
        raise ValidationFailed(_l("This seat is already taken."))
    record_event("event.seat_move", actor=actor, target=guest, summary=f"table {table_number} seat {seat}")
