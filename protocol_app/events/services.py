"""Rules of events: creating and changing an event, its process, and making
each year's event from its recurring occasion.

Every function takes the acting user, runs in one SAVEPOINT and is audited.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..auth.forms import officer_choices
from ..auth.models import User
from ..core import workflow
from ..core.audit import record_event, update_audited
from ..core.db import check_version, transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import format_d
from ..core.permissions import Permission, Role, user_has
from ..core.record_parts import RecordParts, apply_checklist
from ..core.references import next_number
from ..core.time import BERLIN, today_berlin
from ..core.urls import path_for
from ..core.webhooks import services as webhooks
from ..directory.models import Host, PartnerCity, Venue
from ..extensions import db
from ..goldenbook import planning as book_planning
from ..language_service import interpreting
from ..programme import (
    ITEM_FIELDS,
    Conflict,
    ConflictsFound,
    check_interpreter_need,
    check_item_times,
    find_conflicts,
    hosts_by_ids,
    lock_occupants,
    occupancy_source,
    register_occupancy,
    save_item,
)
from ..programme.occasions import Occasion, register_occasion
from . import needs
from .models import (
    REFERENCE_PREFIX,
    Event,
    EventAttachment,
    EventProgrammeItem,
    OccasionTemplate,
    event_programme_item_hosts,
)
from .permissions import is_embargoed
from .workflow import EventState, require_open

EVENT_FIELDS = ("title", "kind", "starts_at", "ends_at", "venue_id", "host_id", "responsible_officer_id",
                "capacity", "dress_code", "press", "reply_by", "notes", "partner_city_id")


def _fields(values: dict) -> dict:
    """The event's own fields of `values`; the reply's questions only when given (checked)."""
    chosen = {k: values.get(k) for k in EVENT_FIELDS}
    if "reply_questions" in values or "reply_required" in values:
        chosen["reply_questions"], chosen["reply_required"] = needs.check_settings(
            values.get("reply_questions"), values.get("reply_required"))
    return chosen


def _validate(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationFailed(_l("The end must be after the start."), field="ends_at")
    if values.get("capacity") is not None and values["capacity"] <= 0:
        raise ValidationFailed(_l("The capacity must be at least 1 (leave it empty for no limit)."),
                               field="capacity")
    if values.get("venue_id") and db.session.get(Venue, values["venue_id"]) is None:
        raise ValidationFailed(_l("Unknown venue."), field="venue_id")
    if values.get("host_id") and db.session.get(Host, values["host_id"]) is None:
        raise ValidationFailed(_l("Unknown host."), field="host_id")
    if values.get("partner_city_id") and db.session.get(PartnerCity, values["partner_city_id"]) is None:
        raise ValidationFailed(_l("Unknown partner city."), field="partner_city_id")
    if values.get("reply_by") and values["reply_by"] > values["starts_at"].astimezone(BERLIN).date():
        raise ValidationFailed(_l("The reply deadline must not be after the event."), field="reply_by")
    officer_id = values.get("responsible_officer_id")
    if officer_id:
        officer = db.session.get(User, officer_id)
        if officer is None or not officer.is_active_account or not officer.has_role(Role.OFFICER):
            raise ValidationFailed(_l("Please choose an active protocol officer."), field="responsible_officer_id")


#: The event itself in the office-wide double-booking search (its programme items are `SCOPE`).
VENUE_SCOPE = "event-venue"


def _venue_conflicts(event: Event | None, values: dict, conflict_reason: str | None) -> str | None:
    """The event itself occupies its venue from start to end (a wreath-laying has no programme
    items): another use of the room then needs a recorded reason. Returns the reason kept."""
    if not values.get("venue_id"):
        return None
    lock_occupants(venue_id=values["venue_id"])
    conflicts = find_conflicts(starts_at=values["starts_at"], ends_at=values["ends_at"], venue_id=values["venue_id"],
                               host_ids=(), officer_id=None,
                               exclude_item=(VENUE_SCOPE, event.id) if event is not None else None)
    if event is not None:  # its own programme items are in the room with it, not against it
        conflicts = [c for c in conflicts if not c.other_title.startswith(f"{event.reference}:")]
    reason = (conflict_reason or "").strip() or None
    if conflicts and not reason:
        raise ConflictsFound(conflicts)
    return reason if conflicts else None


def _event_occupancy(starts_at, ends_at, venue_id, host_ids, officer_id, exclude_item, own_parent) -> list[Conflict]:
    if not venue_id:
        return []
    stmt = sa.select(Event).where(Event.venue_id == venue_id, Event.state.in_(ACTIVE_STATES),
                                  Event.starts_at < ends_at, Event.ends_at > starts_at).limit(20)
    if exclude_item and exclude_item[0] == VENUE_SCOPE:
        stmt = stmt.where(Event.id != exclude_item[1])
    if own_parent and own_parent[0] == SCOPE:  # an event's own items share its room
        stmt = stmt.where(Event.id != own_parent[1])
    return [Conflict("venue", _l("Same venue"), f"{e.reference}: {e.title}", e.starts_at, e.ends_at,
                     path_for("events.detail", reference=e.reference)) for e in db.session.scalars(stmt)]


@transactional
def create_event(*, actor, values: dict, occasion: OccasionTemplate | None = None,
                 conflict_reason: str | None = None) -> Event:
    """Record a new event with the next reference number of its year; a venue in use at the
    time needs a reason."""
    values = _fields(values)
    _validate(values)
    reason = _venue_conflicts(None, values, conflict_reason)
    year = values["starts_at"].astimezone(BERLIN).year
    event = Event(state="planning", year=year, number=next_number(REFERENCE_PREFIX, year),
                  occasion=occasion, conflict_reason=reason, **values)
    workflow.begin(event, actor=actor, audit_action="event.create", summary=event.reference)
    webhooks.emit("event.created", {
        "reference": event.reference, "title": event.title, "kind": event.kind, "starts_at": event.starts_at,
        "ends_at": event.ends_at, "venue": event.venue.name if event.venue else None,
        "url": f"{current_app.config['BASE_URL'].rstrip('/')}/events/{event.reference}",
    })
    return event


@transactional
def set_embargo(event: Event, until, *, actor) -> None:
    """Keep the guest list to honours roles until `until` (None lifts the embargo)."""
    if event.embargo_until != until:
        record_event("event.embargo", actor=actor, target=event,
                     changes={"embargo_until": [_iso(event.embargo_until), _iso(until)]})
        event.embargo_until = until
        db.session.flush()


def _iso(day):
    return day.isoformat() if day else None


@transactional
def update_event(event: Event, *, actor, values: dict, expected_version=None, conflict_reason=None) -> None:
    """Change an open event; refused when it was changed meanwhile, or when it moves into a
    venue in use at the time without a reason."""
    check_version(event, expected_version)
    require_open(event)
    values = _fields(values)
    _validate(values)
    event.conflict_reason = _venue_conflicts(event, values, conflict_reason or event.conflict_reason)
    update_audited(event, values, actor=actor, action="event.update")


@transactional
def move_event(event: Event, action: str, *, actor, comment=None, expected_version=None):
    """Take a step of the event process; a cancelled event cancels its interpreter bookings
    (the translators are told)."""
    entry = workflow.apply(event, action, actor=actor, comment=comment, expected_version=expected_version)
    if event.state == EventState.CANCELLED:
        book_planning.withdraw_for(SCOPE, event.id, actor=actor, reason=f"Veranstaltung abgesagt: {event.title}")
        for item in event.programme:
            if item.assignment_id:
                interpreting.cancel_booking(item.assignment_id, actor=actor,
                                            reason=f"Veranstaltung abgesagt: {event.title}")
    return entry


def occasion_date(occasion: OccasionTemplate, year: int) -> date:
    """The day an occasion falls on in `year` (29 February falls back to the 28th)."""
    try:
        return date(year, occasion.month, occasion.day)
    except ValueError:
        return date(year, occasion.month, 28)


def occasions_of_year(year: int) -> list[tuple[OccasionTemplate, date, Event | None]]:
    """Every active occasion with its date in `year` and the event made from it, if any."""
    occasions = db.session.scalars(sa.select(OccasionTemplate).where(OccasionTemplate.is_active.is_(True))).all()
    made = {e.occasion_id: e for e in db.session.scalars(
        sa.select(Event).where(Event.year == year, Event.occasion_id.is_not(None)))}
    rows = [(o, occasion_date(o, year), made.get(o.id)) for o in occasions]
    return sorted(rows, key=lambda row: row[1])


def occasion_event(occasion_id: int, year: int) -> Event | None:
    """The event of a recurring occasion in a year, if made (for areas that hold an occasion's id)."""
    return db.session.scalar(sa.select(Event).where(Event.occasion_id == occasion_id, Event.year == year))


@transactional
def make_occasion_event(occasion_id: int, year: int, *, actor) -> Event:
    """The year's event of a recurring occasion: the one made before as it is, else a new one."""
    occasion = db.session.get(OccasionTemplate, occasion_id)
    if occasion is None:
        raise DomainError(_l("This recurring occasion no longer exists."))
    return occasion_event(occasion_id, year) or create_from_occasion(occasion, year, actor=actor)


@transactional
def create_from_occasion(occasion: OccasionTemplate, year: int, *, actor) -> Event:
    """Make this year's event of a recurring occasion (once per year)."""
    if occasion_event(occasion.id, year) is not None:
        raise DomainError(_l("The event of this occasion exists already for %(year)s.", year=year))
    day = occasion_date(occasion, year)
    starts = datetime.combine(day, occasion.start_time, tzinfo=BERLIN)
    event = create_event(actor=actor, occasion=occasion, values={
        "title": f"{occasion.name} {year}", "kind": occasion.kind, "starts_at": starts,
        "ends_at": starts + timedelta(minutes=occasion.duration_minutes), "venue_id": occasion.venue_id,
        "responsible_officer_id": actor.id if actor.has_role(Role.OFFICER) else None,
        "dress_code": "business", "press": "open",
    }, conflict_reason=f"Aus dem wiederkehrenden Anlass {occasion.name}; Überschneidung bitte prüfen")
    if occasion.checklist_template is not None:
        apply_checklist(EVENT_PARTS, event, occasion.checklist_template, actor=actor)
    return event


# --- programme (the shared component of protocol_app.programme) ------------------------------

SCOPE = "event"


def _describe_occasion(event_id: int) -> Occasion | None:
    event = db.session.get(Event, event_id)
    if event is None:
        return None
    return Occasion(scope=SCOPE, subject_id=event.id, label=f"{event.reference} {event.title}"[:300],
                    day=event.starts_at.astimezone(BERLIN).date(),
                    url=path_for("events.detail", reference=event.reference), title=event.title,
                    partner_city=event.partner_city_id is not None,
                    took_place=event.state in (EventState.HELD.value, EventState.CLOSED.value),
                    not_public=str(_l("The event is under embargo until %(day)s (an award not yet announced).",
                                      day=format_d(event.embargo_until)))
                    if is_embargoed(event) else None)


# An event under embargo is confidential to all but the honours roles: a book entry there names a guest.
register_occasion(SCOPE, _describe_occasion,
                  confidential_ids=lambda: sa.select(Event.id).where(Event.embargo_until > today_berlin()),
                  may_read_confidential=lambda user: user_has(user, Permission.HONOURS_READ))

ACTIVE_STATES = (EventState.PLANNING, EventState.INVITATIONS_SENT, EventState.HELD)


register_occupancy(VENUE_SCOPE, _event_occupancy)
register_occupancy(SCOPE, occupancy_source(
    kind=SCOPE, item_model=EventProgrammeItem, parent_model=Event, parent_fk=EventProgrammeItem.event_id,
    hosts_table=event_programme_item_hosts, active_states=ACTIVE_STATES, endpoint="events.detail",
))


def event_dates(event: Event) -> tuple[date, date]:
    return event.starts_at.astimezone(BERLIN).date(), event.ends_at.astimezone(BERLIN).date()


def event_owners(event: Event) -> dict:
    """Who gets an event's checklist tasks: events have one responsible officer."""
    return {"responsible": event.responsible_officer_id, "deputy": event.responsible_officer_id}


EVENT_PARTS = RecordParts(
    scope=SCOPE, attachment_model=EventAttachment, parent_key="event_id", dates=event_dates, owners=event_owners,
    require_open=require_open, read_permission=Permission.EVENT_READ, edit_permission=Permission.EVENT_EDIT,
    owner_choices=officer_choices,
)


@transactional
def save_programme_item(event: Event, item: EventProgrammeItem | None, *, actor, values: dict, host_ids=(),
                        conflict_reason=None, expected_version=None) -> EventProgrammeItem:
    """Create or change an item of the event's programme; double bookings need a reason."""
    require_open(event)
    if item is not None:
        check_version(item, expected_version)
    values = {k: values.get(k) for k in (*ITEM_FIELDS, "interpreter_language", "interpreter_mode")}
    check_item_times(values, *event_dates(event))
    values["interpreter_language"], values["interpreter_mode"] = check_interpreter_need(
        values["interpreter_language"], values["interpreter_mode"])
    booked = item.assignment_id if item is not None else None
    if item is not None:
        interpreting.require_unbooked_language(booked, item.interpreter_language, values["interpreter_language"])
    item = save_item(item if item is not None else EventProgrammeItem(event_id=event.id), values=values,
                     hosts=hosts_by_ids(host_ids), officer_id=event.responsible_officer_id, kind=SCOPE,
                     parent_id=event.id, conflict_reason=conflict_reason, actor=actor, audit_prefix="event")
    if booked:
        # The booking follows the item (time, place) and its translators are told.
        interpreting.update_booking(booked, actor=actor, starts_at=item.starts_at, ends_at=item.ends_at,
                                    location=item.location, venue_id=item.venue_id)
    return item


@transactional
def request_interpreting(event: Event, item: EventProgrammeItem, *, actor) -> int:
    """Hand the item's interpreter need to the Sprachendienst (once); returns the booking's id."""
    require_open(event)
    assignment = interpreting.book_item(item, actor=actor, title=f"{event.reference} · {item.title}")
    record_event("event.interpreting_requested", actor=actor, target=event, summary=assignment.reference)
    return assignment.id


def interpreting_of(event: Event) -> dict[int, dict]:
    """{item id: the Sprachendienst's staffing and accepted interpreters} for the event page."""
    return interpreting.summaries_by_item(event.programme)
