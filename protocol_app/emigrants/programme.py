"""The programme of an invited applicant's week in Berlin: the reception by the Governing
Mayor, the former home or school, Jewish sites, free days — and interpreter needs handed to
the Sprachendienst.

What the Sprachendienst receives is deliberately thin: the kind of item, time, place, language
and mode. Never the name, the story or the health of the guest;
its officers and translators are not of the emigration team."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..directory.models import Venue
from ..extensions import db
from ..language_service import interpreting
from ..programme import (
    Conflict,
    ConflictsFound,
    check_double_booking,
    check_interpreter_need,
    check_item_times,
    overlaps,
    register_occupancy,
)
from .models import Application, ProgrammeKind, StayProgrammeItem
from .planning import plan_of, require_plannable
from .workflow import ApplicationState

#: Interpreting modes the team can ask for (a written translation is not a programme item).


def items_of(application: Application) -> list[StayProgrammeItem]:
    return list(db.session.scalars(sa.select(StayProgrammeItem).where(
        StayProgrammeItem.application_id == application.id).order_by(StayProgrammeItem.starts_at,
                                                                      StayProgrammeItem.id)))


def _check(application: Application, kind: str, starts_at: datetime, ends_at: datetime,
           interpreter_language: str | None, interpreter_mode: str | None) -> tuple[str | None, str | None]:
    require_plannable(application)
    plan = plan_of(application)
    if plan is None:
        raise DomainError(_l("Please plan the dates of the stay first."))
    if kind not in {k.value for k in ProgrammeKind}:
        raise ValidationFailed(_l("Please choose the kind of programme item."), field="kind")
    check_item_times({"starts_at": starts_at, "ends_at": ends_at}, plan.arrives_on, plan.departs_on)
    return check_interpreter_need(interpreter_language, interpreter_mode)


#: Cases whose week still takes place: their items occupy venues.
OCCUPYING_STATES = (ApplicationState.INVITED, ApplicationState.CONFIRMED, ApplicationState.TRAVEL_BOOKED)
SCOPE = "emigrant"


def _occupancy(starts_at, ends_at, venue_id, host_ids, officer_id, exclude_item, own_parent) -> list[Conflict]:
    """Rooms the emigrant programme uses, as officers may see them: the kind of item only,
    never the guest, the case or a link into the team's pages."""
    if not venue_id:
        return []
    stmt = (sa.select(StayProgrammeItem).join(Application, StayProgrammeItem.application_id == Application.id)
            .where(overlaps(StayProgrammeItem, starts_at, ends_at), StayProgrammeItem.venue_id == venue_id,
                   Application.state.in_(OCCUPYING_STATES)).limit(20))
    if exclude_item and exclude_item[0] == SCOPE:
        stmt = stmt.where(StayProgrammeItem.id != exclude_item[1])
    with force_locale("de"):
        label = str(_l("Emigrant programme"))
    return [Conflict("venue", _l("Same venue"), f"{label} · {item.kind_label}", item.starts_at, item.ends_at, "")
            for item in db.session.scalars(stmt)]


register_occupancy(SCOPE, _occupancy)


@transactional
def save_item(application: Application, *, actor, kind: str, starts_at: datetime, ends_at: datetime, title=None,
              location=None, interpreter_language=None, interpreter_mode=None, venue_id=None,
              conflict_reason=None, item: StayProgrammeItem | None = None) -> StayProgrammeItem:
    """Add a programme item, or change one; it must lie within the stay and, in one of the
    office's rooms, not double-book it without a recorded reason."""
    language, mode = _check(application, kind, starts_at, ends_at, interpreter_language, interpreter_mode)
    if venue_id and db.session.get(Venue, venue_id) is None:
        raise ValidationFailed(_l("Unknown venue."), field="venue_id")
    if item is not None:
        interpreting.require_unbooked_language(item.assignment_id, item.interpreter_language, language)
    moves_booking = item is not None and item.assignment_id and (
        (item.starts_at, item.ends_at, item.location) != (starts_at, ends_at, (location or "").strip() or None))
    try:
        conflicts, reason = check_double_booking(
            starts_at=starts_at, ends_at=ends_at, venue_id=venue_id or None,
            exclude_item=(SCOPE, item.id) if item is not None else None, conflict_reason=conflict_reason)
    except ConflictsFound as exc:
        # The team may not read visits or events: it learns that the room is taken, not by what.
        raise ConflictsFound([c if not c.link else replace(c, other_title=str(_l("Appointment of the protocol office")),
                                                            link="") for c in exc.conflicts]) from None
    item = item or StayProgrammeItem(application_id=application.id)
    item.venue_id, item.conflict_reason = venue_id or None, reason if conflicts else None
    item.kind, item.title, item.location = kind, (title or "").strip() or None, (location or "").strip() or None
    item.starts_at, item.ends_at = starts_at, ends_at
    item.interpreter_language, item.interpreter_mode = language, mode
    db.session.add(item)
    db.session.flush()
    record_event("application.programme_item", actor=actor, target=application, summary=kind)
    if moves_booking:
        # The booking follows the item (the Sprachendienst's interface; its translators are told).
        interpreting.update_booking(item.assignment_id, actor=actor, starts_at=starts_at, ends_at=ends_at,
                                        location=item.location)
    return item


@transactional
def delete_item(application: Application, item: StayProgrammeItem, *, actor) -> None:
    """Remove an item not yet handed to the Sprachendienst."""
    require_plannable(application)
    if item.assignment_id:
        raise DomainError(_l("The Sprachendienst has booked this item; ask it to cancel the booking first."))
    record_event("application.programme_item_remove", actor=actor, target=application, summary=item.kind)
    db.session.delete(item)
    db.session.flush()


def assignment_values(application: Application, item: StayProgrammeItem) -> dict:
    """What the Sprachendienst is told: time, place, language and mode — nothing more."""
    # Not even the case's reference: the Sprachendienst is not of the team and cannot open it.
    with force_locale("de"):  # the Sprachendienst works in German
        title = f"Emigrantenprogramm · {item.kind_label}"
    return {"title": title, "language": item.interpreter_language, "mode": item.interpreter_mode,
            "starts_at": item.starts_at, "ends_at": item.ends_at, "location": item.location,
            "notes": "Angefragt vom Team Emigrantenprogramm; Rückfragen bitte an das Team."}


@transactional
def request_interpreting(application: Application, item: StayProgrammeItem, *, actor) -> interpreting.Booking:
    """Hand the item's interpreter need to the Sprachendienst (once); its officers are told by reference."""
    require_plannable(application)
    told = assignment_values(application, item)
    assignment = interpreting.book_item(item, actor=actor, for_other_team=_l("The emigrant programme"),
                                        title=told["title"], location=told["location"], notes=told["notes"])
    record_event("application.interpreting_requested", actor=actor, target=application,
                 summary=assignment.reference)
    return assignment


def interpreting_of(items: list[StayProgrammeItem]) -> dict[int, dict]:
    """{item id: the Sprachendienst's staffing and accepted interpreters} for the case page."""
    return interpreting.summaries_by_item(items)


def forget_in_bookings(application: Application) -> None:
    """On erasure: the Sprachendienst's bookings keep their hours for billing, but lose the place
    (a former home is an address of the person) and any pointer to the case — through the
    Sprachendienst's own interface, not its tables."""
    ids = [i.assignment_id for i in items_of(application) if i.assignment_id]
    if ids:
        interpreting.anonymise(ids, title="Emigrantenprogramm")
