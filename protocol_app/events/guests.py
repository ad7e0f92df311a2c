"""Guest lists: built from the directory by category or by person, or entered ad
hoc; one person once per event; sorted by order of precedence."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.listing import paginate
from ..directory.models import AddressForm, Contact, GuestCategory
from ..directory.salutations import checked_postal_values
from ..extensions import db
from .models import Event, Guest, GuestStatus
from .permissions import is_embargoed
from .workflow import require_open

#: Guests may bring at most this many companions (the form and the table agree).
MAX_COMPANIONS = 5


def precedence_order():
    """Rank first, then seniority in office (earlier is senior), then name."""
    return (Guest.rank, Guest.in_office_since.is_(None), Guest.in_office_since, Guest.name, Guest.id)


def guest_listing(event: Event):
    """One page of the guest list, by precedence unless another order is asked for (?sort=, ?q=, ?status=)."""
    stmt = sa.select(Guest).where(Guest.event_id == event.id)
    return paginate(stmt, choices={"status": (Guest.status, GuestStatus)}, sortable={"precedence": precedence_order(), "name": (Guest.name, Guest.id),
                                    "status": (Guest.status, *precedence_order())},
                    default_sort="precedence", searchable=(Guest.name, Guest.organisation, Guest.function))


def places_planned(event: Event) -> int:
    """Places the guest list asks for: every guest who has not declined, with the companions
    they may bring."""
    return db.session.scalar(
        sa.select(sa.func.count(Guest.id) + sa.func.coalesce(sa.func.sum(Guest.companions_allowed), 0))
        .where(Guest.event_id == event.id, Guest.status != GuestStatus.DECLINED)) or 0


def over_capacity(event: Event) -> int:
    """How many places the guest list asks for beyond the event's capacity (0: it fits)."""
    return max(0, places_planned(event) - event.capacity) if event.capacity else 0


def guest_list(event: Event) -> list[Guest]:
    return list(db.session.scalars(sa.select(Guest).where(Guest.event_id == event.id).order_by(*precedence_order())))


def guests_by_id(event: Event, guest_ids) -> dict[int, Guest]:
    """{guest id: guest} of those ids still on the event's list (for areas that keep guest ids)."""
    ids = [i for i in guest_ids if i]
    if not ids:
        return {}
    return {g.id: g for g in db.session.scalars(sa.select(Guest).where(Guest.event_id == event.id,
                                                                        Guest.id.in_(ids)))}


def guests_by_name(event: Event) -> dict[str, Guest]:
    """{name as the list compares it (case and outer spaces aside): its first guest} — one query,
    so that another area adding people does not put anyone on the list twice."""
    # Compared in Python: SQLite's lower() leaves umlauts as they are.
    found: dict[str, Guest] = {}
    for guest in db.session.scalars(sa.select(Guest).where(Guest.event_id == event.id).order_by(Guest.id)):
        found.setdefault(same_name(guest.name), guest)
    return found


def same_name(name: str) -> str:
    return name.strip().lower()


def _from_contact(event: Event, contact: Contact, companions: int) -> Guest:
    return Guest(event_id=event.id, contact_id=contact.id, name=contact.name, function=contact.function,
                 organisation=contact.organisation or (contact.mission.name if contact.mission else None),
                 category=contact.category, rank=contact.rank, in_office_since=contact.in_office_since,
                 form_of_address=contact.form_of_address, address_form_id=contact.address_form_id,
                 email=contact.email, language=contact.language, companions_allowed=companions,
                 salutation_form=contact.salutation_form, postal_address=contact.postal_address,
                 postal_country_code=contact.postal_country_code)


@transactional
def add_category(event: Event, category: str, *, companions: int = 0, actor) -> tuple[int, int]:
    """Put every directory contact of a category on the list; return (added, already listed)."""
    require_open(event)
    if category not in {c.value for c in GuestCategory}:
        raise ValidationFailed(_l("Unknown guest category."), field="category")
    listed = set(db.session.scalars(sa.select(Guest.contact_id).where(Guest.event_id == event.id)))
    contacts = db.session.scalars(sa.select(Contact).where(Contact.category == category)).all()
    new = [_from_contact(event, contact, companions) for contact in contacts if contact.id not in listed]
    db.session.add_all(new)
    db.session.flush()
    for guest in new:
        workflow.start(guest, actor=actor)
    added = len(new)
    record_event("event.guests_add_category", actor=actor, target=event,
                 summary=f"{category}: {added} added, {len(contacts) - added} already listed")
    return added, len(contacts) - added


@transactional
def add_usual_categories(event: Event, *, companions: int = 0, actor) -> tuple[int, int]:
    """Put the contacts of the occasion's usual guest categories on the list."""
    categories = event.occasion.category_values if event.occasion else []
    if not categories:
        raise DomainError(_l("This event has no usual guest categories; please add categories one by one."))
    added = already = 0
    for category in categories:
        new, old = add_category(event, category, companions=companions, actor=actor)
        added, already = added + new, already + old
    return added, already


@transactional
def add_contact(event: Event, contact_id: int, *, companions: int = 0, actor) -> Guest:
    """Put one directory contact on the list (refused if already there)."""
    require_open(event)
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise ValidationFailed(_l("Unknown contact."), field="contact_id")
    if db.session.scalar(sa.select(Guest.id).where(Guest.event_id == event.id, Guest.contact_id == contact_id)):
        raise ValidationFailed(_l("This person is on the guest list already."), field="contact_id")
    if not 0 <= companions <= MAX_COMPANIONS:
        raise ValidationFailed(_l("A guest may bring at most %(n)s companions.", n=MAX_COMPANIONS),
                               field="companions_allowed")
    guest = _from_contact(event, contact, companions)
    return workflow.begin(guest, actor=actor, audit_action="event.guest_add", changes={"contact_id": [None, contact_id]})


@transactional
def add_adhoc(event: Event, *, actor, name: str, function=None, organisation=None, rank: int = 500,
              companions: int = 0, email=None, language: str = "de", address_form_id=None,
              category: str = "other", in_office_since=None, salutation_form=None, postal_address=None,
              postal_country_code=None) -> Guest:
    """Put a person who is not in the directory on the list."""
    require_open(event)
    if not 0 <= companions <= MAX_COMPANIONS:
        raise ValidationFailed(_l("A guest may bring at most %(n)s companions.", n=MAX_COMPANIONS),
                               field="companions_allowed")
    if not name or not name.strip():
        raise ValidationFailed(_l("Please enter the guest's name."), field="name")
    if not 1 <= rank <= 9999:
        raise ValidationFailed(_l("Please enter a number from 1 to 9999."), field="rank")
    if language not in ("de", "en"):
        raise ValidationFailed(_l("The language must be German (de) or English (en)."), field="language")
    if category not in {c.value for c in GuestCategory}:
        raise ValidationFailed(_l("Unknown guest category."), field="category")
    if address_form_id and db.session.get(AddressForm, address_form_id) is None:
        raise ValidationFailed(_l("Unknown form of address."), field="address_form_id")
    postal = checked_postal_values(salutation_form=salutation_form, postal_address=postal_address,
                                   postal_country_code=postal_country_code)
    guest = Guest(event_id=event.id, name=name.strip(), function=function, organisation=organisation, rank=rank,
                  companions_allowed=companions, email=email, language=language, category=category,
                  address_form_id=address_form_id or None, in_office_since=in_office_since, **postal)
    db.session.add(guest)
    db.session.flush()
    workflow.start(guest, actor=actor)
    record_event("event.guest_add", actor=actor, target=guest, **_name_for_the_log(event, None, guest.name))
    return guest


def _name_for_the_log(event: Event, before, after) -> dict:
    """What the audit log says of a guest's name: under an embargo the names are the honours
    team's, and the log (read by admins) names the guest's row only."""
    if is_embargoed(event):
        return {"summary": "under embargo"}
    return {"changes": {"name": [before, after]}}


@transactional
def remove_guest(guest: Guest, *, actor) -> None:
    """Take a guest off the list."""
    require_open(guest.event)
    record_event("event.guest_remove", actor=actor, target=guest, **_name_for_the_log(guest.event, guest.name, None))
    db.session.delete(guest)
    db.session.flush()
