"""The Sprachendienst's one interpreting interface for the other areas (visits, events, the
emigrant programme): request a booking, move it with its programme item, cancel it, anonymise
it, and show its staffing. Other areas keep the assignment's id, never write its table; every
change here tells the translators who hold the job."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core.db import transactional
from ..core.errors import DomainError
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import Assignment, AssignmentKind, ServiceMode
from .services import booking_summaries, cancel_assignment, create_assignment, update_assignment
from .workflow import STAFFING_STATES

#: What another area holds of a booking: the Sprachendienst's assignment (its id and reference).
Booking = Assignment


@transactional
def request(*, actor, title: str, language: str, mode: str, starts_at, ends_at, location=None, venue_id=None,
            notes=None, for_other_team=None) -> Booking:
    """Book interpreting for another area's programme item; the AIIC rule sizes the team.

    `for_other_team`: the (lazily translated) name of a team whose members cannot open the
    Sprachendienst's pages (the emigrant programme): no officer is named until the Sprachendienst
    takes the booking on, and its officers are told.
    """
    assignment = create_assignment(actor=actor, without_officer=for_other_team is not None, values={
        "kind": AssignmentKind.INTERPRETING.value, "title": title, "language": language, "mode": mode,
        "starts_at": starts_at, "ends_at": ends_at, "location": location, "venue_id": venue_id, "notes": notes})
    if for_other_team is not None:
        # Nobody of the Sprachendienst asked for it: its officers learn of it by reference.
        for officer in users_with_role(Role.OFFICER):
            notify(officer, notices.INTERPRETING_REQUESTED, {"team": for_other_team, "reference": assignment.reference},
                   link=path_for("translations.assignment", reference=assignment.reference))
    return assignment


@transactional
def update_booking(assignment_id: int, *, actor, starts_at, ends_at, location=None,
                   venue_id=None) -> Assignment | None:
    """Another area's item moved: its booking follows (time, place) and the translators are told."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.state not in STAFFING_STATES:
        return None
    update_assignment(assignment, actor=actor, values={"starts_at": starts_at, "ends_at": ends_at,
                                                        "location": location, "venue_id": venue_id})
    return assignment


@transactional
def cancel_booking(assignment_id: int, *, actor, reason: str) -> int:
    """Another area dropped the item (or the whole event): the booking is cancelled with the reason
    and every translator holding it is told. Returns how many were told; a booking already
    done or cancelled is left as it is."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.state not in STAFFING_STATES:
        return 0
    return cancel_assignment(assignment, actor=actor, reason=reason)


def anonymise(assignment_ids, *, title: str) -> None:
    """Keep the bookings (hours, fees) but drop what could name a person: place, notes, title."""
    db.session.execute(sa.update(Assignment).where(Assignment.id.in_(list(assignment_ids))).values(
        title=title, location=None, notes=None).execution_options(synchronize_session=False))


def summaries(assignment_ids) -> dict[int, dict]:
    """{assignment id: staffing and accepted interpreters} for the items another area keeps ids of."""
    ids = [i for i in assignment_ids if i]
    if not ids:
        return {}
    return booking_summaries(list(db.session.scalars(sa.select(Assignment).where(Assignment.id.in_(ids)))))


def require_unbooked_language(assignment_id: int | None, old_language: str | None, new_language: str | None):
    """A booked item keeps its language: the interpreters were chosen for it."""
    if assignment_id and old_language != new_language:
        raise DomainError(_l("The Sprachendienst has booked this item for its language; ask it to cancel the "
                             "booking before changing the language."))


def book_item(item, *, actor, title: str, location=None, notes=None, for_other_team=None) -> Booking:
    """Hand a programme item's interpreter need to the Sprachendienst, once; the item (of any
    area, with `InterpretingBookingMixin`) keeps the booking's id. `location` when the place
    the interpreters must know differs from the item's own."""
    if not item.interpreter_language:
        raise DomainError(_l("This programme item does not ask for an interpreter."))
    if item.assignment_id:
        raise DomainError(_l("The interpreter for this item has been requested already."))
    booking = request(actor=actor, title=title, language=item.interpreter_language,
                      mode=item.interpreter_mode or ServiceMode.CONSECUTIVE.value, starts_at=item.starts_at,
                      ends_at=item.ends_at, location=location or item.location,
                      venue_id=getattr(item, "venue_id", None), notes=notes, for_other_team=for_other_team)
    item.assignment_id = booking.id
    db.session.flush()
    return booking


def summaries_by_item(items) -> dict[int, dict]:
    """{item id: the Sprachendienst's staffing and accepted interpreters} for an area's page."""
    found = summaries([i.assignment_id for i in items])
    return {i.id: found[i.assignment_id] for i in items if i.assignment_id in found}
