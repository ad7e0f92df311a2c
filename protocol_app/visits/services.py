"""Rules of visits: creating and changing a visit, its delegation, programme,
gifts, attachments and checklist, and moving it through its process.

Every function takes the acting user, runs in one SAVEPOINT (nothing is left
half-written when it refuses) and records its audit event.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pycountry
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.forms import officer_choices
from ..auth.models import User
from ..core import workflow
from ..core.audit import changes_of, record_event
from ..core.db import check_version, transactional
from ..core.errors import ConcurrentChangeError, DomainError, ValidationFailed
from ..core.permissions import Permission, Role, user_has
from ..core.record_parts import RecordParts
from ..core.references import next_number
from ..core.time import BERLIN
from ..core.urls import path_for
from ..directory.models import Country, PartnerCity
from ..extensions import db
from ..goldenbook import planning as book_planning
from ..language_service import interpreting
from ..programme import (
    ITEM_FIELDS,
    ConflictsFound,  # noqa: F401 (views catch it from here)
    check_item_times,
    hosts_by_ids,
    occupancy_source,
    register_occupancy,
    save_item,
)
from ..programme.occasions import Occasion, register_occasion
from . import neighbours
from .models import (
    REFERENCE_PREFIX,
    DelegationMember,
    Gift,
    Visit,
    VisitAttachment,
    VisitProgrammeItem,
    programme_item_hosts,
)
from .workflow import ACTIVE_STATES, OPEN_STATES, VisitState

SCOPE = "visit"

VISIT_FIELDS = (
    "title", "kind", "guest_name", "guest_function", "guest_country_code",
    "guest_form_of_address", "country_code", "partner_city_id", "inviting_side", "occasion",
    "arrival_at", "arrival_place", "departure_at", "departure_place", "travel_timezone",
    "hotel", "responsible_officer_id", "deputy_officer_id", "languages", "is_confidential", "notes",
)


def normalise_languages(raw: str | None) -> str | None:
    """Turn "en, FR" into "en,fr"; refuse codes that are not ISO 639-1."""
    codes = [c.strip().lower() for c in (raw or "").replace(";", ",").split(",") if c.strip()]
    for code in codes:
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ValidationFailed(
                _l("Unknown language code: %(code)s. Please use two-letter ISO codes such as en, fr.",
                   code=code[:10]),
                field="languages",
            )
    return ",".join(dict.fromkeys(codes)) or None


def _check_references(values: dict) -> None:
    for field in ("guest_country_code", "country_code"):
        code = values.get(field)
        if code and db.session.get(Country, code) is None:
            raise ValidationFailed(_l("Unknown country."), field=field)
    city = values.get("partner_city_id")
    if city and db.session.get(PartnerCity, city) is None:
        raise ValidationFailed(_l("Unknown partner city."), field="partner_city_id")
    for field in ("responsible_officer_id", "deputy_officer_id"):
        uid = values.get(field)
        if uid:
            user = db.session.get(User, uid)
            if user is None or not user.is_active_account or not user.has_role(Role.OFFICER):
                raise ValidationFailed(_l("Please choose an active protocol officer."), field=field)
    if values["departure_at"] < values["arrival_at"]:
        raise ValidationFailed(_l("The departure must not be before the arrival."), field="departure_at")


def _check_programme_fits(visit: Visit) -> None:
    first, last = visit_dates(visit)
    for item in visit.programme:
        if not (first <= item.starts_at.astimezone(BERLIN).date() <= last):
            raise ValidationFailed(
                _l("The programme item “%(title)s” would lie outside the new dates of the visit.",
                   title=item.title),
                field="arrival_at",
            )


def visit_dates(visit: Visit) -> tuple[date, date]:
    """First and last day of a visit in Berlin."""
    return visit.arrival_at.astimezone(BERLIN).date(), visit.departure_at.astimezone(BERLIN).date()


@transactional
def create_visit(*, actor, values: dict, host_ids=()) -> Visit:
    """Record a new visit request with the next reference number of its year."""
    values = {k: values.get(k) for k in VISIT_FIELDS}
    values["languages"] = normalise_languages(values["languages"])
    _check_references(values)
    year = values["arrival_at"].astimezone(BERLIN).year
    visit = Visit(state="requested", year=year, number=next_number(REFERENCE_PREFIX, year), **values)
    visit.hosts = hosts_by_ids(host_ids)
    return workflow.begin(visit, actor=actor, audit_action="visit.create", summary=visit.reference)


@transactional
def update_visit(visit: Visit, *, actor, values: dict, host_ids=(), expected_version=None) -> None:
    """Change a visit's record; refused once it is closed or when changed meanwhile."""
    check_version(visit, expected_version)
    if visit.state not in OPEN_STATES:
        raise DomainError(_l("A closed visit can no longer be changed."))
    values = {k: values.get(k) for k in VISIT_FIELDS}
    values["languages"] = normalise_languages(values["languages"])
    _check_references(values)
    for key, value in values.items():
        setattr(visit, key, value)
    changes = changes_of(visit)
    before_hosts = sorted(h.id for h in visit.hosts)
    visit.hosts = hosts_by_ids(host_ids)
    if sorted(h.id for h in visit.hosts) != before_hosts:
        changes["hosts"] = [before_hosts, sorted(h.id for h in visit.hosts)]
    _check_programme_fits(visit)
    db.session.flush()
    if changes:
        record_event("visit.update", actor=actor, target=visit, changes=changes)
        if visit.state == VisitState.CONFIRMED:
            neighbours.tell(visit, "visit.changed")
    if changes.keys() & BOOK_PLAN_FIELDS:
        for item in visit.programme:
            if item.golden_book:
                book_planning.occasion_changed(_book_plan(visit, item), actor=actor)


@transactional
def move_visit(visit: Visit, action: str, *, actor, comment=None, expected_version=None):
    """Take a step of the visit process; a visit that will not take place withdraws its planned
    book entries and cancels its interpreter bookings (the translators holding them are told)."""
    step = workflow.apply(visit, action, actor=actor, comment=comment, expected_version=expected_version)
    if visit.state in (VisitState.CONFIRMED, VisitState.CANCELLED):
        neighbours.tell(visit, f"visit.{visit.state}")
    if visit.state in (VisitState.CANCELLED, VisitState.DECLINED):
        reason = f"{visit.reference}: {step.comment or ''}"
        book_planning.withdraw_for(SCOPE, visit.id, actor=actor, reason=reason)
        why = "Besuch abgesagt" if visit.state == VisitState.CANCELLED else "Besuch abgelehnt"
        for item in visit.programme:
            if item.assignment_id:
                interpreting.cancel_booking(item.assignment_id, actor=actor,
                                            reason=f"{why}: {visit.reference} {visit.title}")
    return step


# --- delegation -----------------------------------------------------------------------

@transactional
def add_delegation_member(visit: Visit, *, actor, name: str, function=None, precedence: int,
                          form_of_address=None) -> DelegationMember:
    """Add a person to the delegation."""
    require_open(visit)
    member = DelegationMember(visit=visit, name=name.strip(), function=function,
                              precedence=precedence, form_of_address=form_of_address)
    db.session.add(member)
    db.session.flush()
    record_event("visit.delegation_add", actor=actor, target=visit,
                 changes={"delegation_member": [None, member.id]})
    return member


@transactional
def remove_delegation_member(member: DelegationMember, *, actor) -> None:
    """Remove a person from the delegation."""
    require_open(member.visit)
    visit = member.visit
    record_event("visit.delegation_remove", actor=actor, target=visit,
                 changes={"delegation_member": [member.id, None]})
    db.session.delete(member)
    db.session.flush()


def require_open(visit: Visit) -> None:
    if visit.state not in OPEN_STATES:
        raise DomainError(_l("A closed visit can no longer be changed."))


VISIT_PARTS = RecordParts(
    scope=SCOPE, attachment_model=VisitAttachment, parent_key="visit_id", dates=visit_dates,
    owners=lambda visit: {"responsible": visit.responsible_officer_id,
                          "deputy": visit.deputy_officer_id or visit.responsible_officer_id},
    require_open=require_open, read_permission=Permission.VISIT_READ, edit_permission=Permission.VISIT_EDIT,
    owner_choices=officer_choices,
)


#: What a planned Golden Book entry takes from the visit.
BOOK_PLAN_FIELDS = {"guest_name", "guest_function", "guest_country_code", "country_code", "title",
                    "partner_city_id"}


# --- programme ------------------------------------------------------------------------

#: Programme fields only visits have.
VISIT_ITEM_FIELDS = ("title_en", "golden_book", "gift_exchange", "interpreter_needed", "interpreter_language",
                     "interpreter_mode")


register_occupancy(SCOPE, occupancy_source(
    kind=SCOPE, item_model=VisitProgrammeItem, parent_model=Visit, parent_fk=VisitProgrammeItem.visit_id,
    hosts_table=programme_item_hosts, active_states=ACTIVE_STATES, endpoint="visits.detail",
))


@transactional
def save_programme_item(visit: Visit, item: VisitProgrammeItem | None, *, actor, values: dict,
                        host_ids=(), conflict_reason: str | None = None,
                        expected_version=None) -> VisitProgrammeItem:
    """Create or change a programme item; overlapping use needs a recorded reason."""
    require_open(visit)
    if item is not None:
        check_version(item, expected_version)
    values = {k: values.get(k) for k in (*ITEM_FIELDS, *VISIT_ITEM_FIELDS)}
    check_item_times(values, *visit_dates(visit))
    booked = item.assignment_id if item is not None else None
    if values["interpreter_needed"]:
        if not values["interpreter_language"] or pycountry.languages.get(
            alpha_2=values["interpreter_language"]
        ) is None:
            raise ValidationFailed(_l("Please choose the language to interpret."),
                                   field="interpreter_language")
        if not values["interpreter_mode"]:
            raise ValidationFailed(_l("Please choose the interpreting mode."), field="interpreter_mode")
    else:
        values["interpreter_language"] = values["interpreter_mode"] = None
    if item is not None:
        interpreting.require_unbooked_language(booked, item.interpreter_language, values["interpreter_language"])
    is_new = item is None
    item = save_item(
        item if item is not None else VisitProgrammeItem(visit_id=visit.id), values=values,
        hosts=hosts_by_ids(host_ids), officer_id=visit.responsible_officer_id, kind=SCOPE, parent_id=visit.id,
        conflict_reason=conflict_reason, actor=actor, audit_prefix="visit",
    )
    if item.golden_book:
        _lock_open(visit)
        book_planning.plan_for_item(_book_plan(visit, item), actor=actor)
    elif not is_new:
        book_planning.item_unflagged(item.id, actor=actor, reason=f"Programmpunkt ohne Eintragung: {item.title}")
    if booked:
        # The Sprachendienst's booking follows the item and tells its translators.
        interpreting.update_booking(booked, actor=actor, starts_at=item.starts_at, ends_at=item.ends_at,
                                    location=item.location, venue_id=item.venue_id)
    return item


def _describe_occasion(visit_id: int) -> Occasion | None:
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        return None
    return Occasion(scope=SCOPE, subject_id=visit.id, label=f"{visit.reference} {visit.title}"[:300],
                    day=visit.arrival_at.astimezone(BERLIN).date(),
                    url=path_for("visits.detail", reference=visit.reference), title=visit.title, signatory=visit.guest_name,
                    function=visit.guest_function, country_code=visit.guest_country_code or visit.country_code,
                    partner_city=visit.partner_city_id is not None,
                    took_place=visit.state == VisitState.COMPLETED.value,
                    not_public=str(_l("The visit is confidential.")) if visit.is_confidential else None)


register_occasion(SCOPE, _describe_occasion,
                  confidential_ids=lambda: sa.select(Visit.id).where(Visit.is_confidential.is_(True)),
                  may_read_confidential=lambda user: user_has(user, Permission.VISIT_READ_CONFIDENTIAL))


def _lock_open(visit: Visit) -> None:
    """Hold the visit's row and see its committed state: a cancellation that commits while an item
    is being flagged must not leave a planned entry behind (the cancel withdraws what it finds)."""
    state = db.session.scalar(sa.select(Visit.state).where(Visit.id == visit.id).with_for_update())
    if state not in OPEN_STATES:
        raise ConcurrentChangeError(_l("This visit was cancelled or closed meanwhile. Please reload it."))


def _book_plan(visit: Visit, item: VisitProgrammeItem) -> book_planning.ItemPlan:
    """What the Golden Book needs to plan the guest's signing at this item."""
    return book_planning.ItemPlan(
        scope=SCOPE, subject_id=visit.id, item_id=item.id, day=item.starts_at.astimezone(BERLIN).date(),
        occasion=f"{visit.reference} {visit.title}"[:300], signatory=visit.guest_name or visit.title,
        function=visit.guest_function or "", country_code=visit.guest_country_code or visit.country_code,
        partner_city_occasion=visit.partner_city_id is not None, owner_id=visit.responsible_officer_id)


@transactional
def delete_programme_item(item: VisitProgrammeItem, *, actor) -> None:
    """Remove a programme item (its planned book entry is withdrawn)."""
    require_open(item.visit)
    if item.golden_book:
        book_planning.item_unflagged(item.id, actor=actor, reason=f"Programmpunkt entfernt: {item.title}")
    if item.assignment_id:
        # Its interpreters must not turn up for an item that no longer exists.
        interpreting.cancel_booking(item.assignment_id, actor=actor, reason=f"Programmpunkt entfernt: {item.title}")
    record_event("visit.programme_delete", actor=actor, target=item,
                 changes={"title": [item.title, None]})
    db.session.delete(item)
    db.session.flush()


@transactional
def request_interpreting(visit: Visit, item: VisitProgrammeItem, *, actor) -> interpreting.Booking:
    """Hand the item's interpreter need to the Sprachendienst (once), as events and stays do."""
    require_open(visit)
    # Who takes part is what the interpreters prepare for.
    booking = interpreting.book_item(item, actor=actor, title=f"{visit.reference} · {item.title}",
                                     notes=item.participants)
    record_event("visit.interpreting_requested", actor=actor, target=visit, summary=booking.reference)
    return booking


def interpreting_of(visit: Visit) -> dict[int, dict]:
    """{item id: the Sprachendienst's staffing and accepted interpreters} for the visit page."""
    return interpreting.summaries_by_item(visit.programme)


# --- gifts ----------------------------------------------------------------------------

GIFT_FIELDS = ("direction", "description", "giver", "recipient", "estimated_value", "kept_at")


@transactional
def save_gift(visit: Visit, gift: Gift | None, *, actor, values: dict) -> Gift:
    """Record a gift given or received."""
    is_new = gift is None
    if is_new:
        gift = Gift(visit=visit)
        db.session.add(gift)
    for key in GIFT_FIELDS:
        setattr(gift, key, values.get(key))
    changes = changes_of(gift)
    db.session.flush()
    record_event("visit.gift_create" if is_new else "visit.gift_update", actor=actor,
                 target=gift, changes=changes)
    return gift


@transactional
def delete_gift(gift: Gift, *, actor) -> None:
    """Remove a gift entry."""
    record_event("visit.gift_delete", actor=actor, target=gift,
                 changes={"description": [gift.description, None]})
    db.session.delete(gift)
    db.session.flush()


#: Columns of the gifts register's export.
GIFT_HEADERS = (_l("Visit"), _l("Title"), _l("Arrival"), _l("Direction"), _l("Gift"), _l("Given by"), _l("Received by"),
                _l("Estimated value (EUR)"), _l("Kept at"))


def gift_rows(rows) -> list[list]:
    """The export's rows of (gift, visit) pairs: a value as a number, the day of arrival as a date."""
    return [[visit.reference, visit.title, visit.arrival_at.astimezone(BERLIN).date(), str(gift.direction_label),
             gift.description, gift.giver, gift.recipient,
             float(gift.estimated_value) if gift.estimated_value is not None else None, gift.kept_at or ""]
            for gift, visit in rows]


def gifts_of_year(year: int):
    """Gifts of all visits arriving in `year`, for the compliance list."""
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=BERLIN)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=BERLIN)
    return db.session.execute(
        sa.select(Gift, Visit)
        .join(Visit)
        .where(Visit.arrival_at >= start, Visit.arrival_at < end)
        .order_by(Visit.arrival_at, Gift.id)
    ).all()


