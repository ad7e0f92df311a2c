"""The award ceremony of an award date: its approved cases in the order of presentation,
the guest list proposal for the ceremony's event (built with the events module, not a
second guest list), and the documents: a certificate per awardee and the programme booklet."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.letters import layout, register_kind
from ..core.pdf import render_pdf
from ..core.time import today_berlin
from ..events import guests as event_guests
from ..events import services as event_services
from ..extensions import db
from . import services
from .models import AwardType, Holder, Nomination, living_holders_clause
from .workflow import NominationState

#: Cases that stand at the ceremony.
CEREMONY_STATES = (NominationState.APPROVED, NominationState.CEREMONY_SCHEDULED, NominationState.AWARDED)
#: Precedence of the groups on the guest list (lower is higher); awardees come first.
AWARDEE_RANK, HOLDER_RANK = 50, 300


def cases_for(award_type: AwardType, award_date: date) -> list[Nomination]:
    """The approved cases of an award date in the order of presentation."""
    return list(db.session.scalars(
        sa.select(Nomination).where(Nomination.award_type_id == award_type.id, Nomination.award_date == award_date,
                                    Nomination.state.in_(CEREMONY_STATES))
        .order_by(Nomination.presentation_position.is_(None), Nomination.presentation_position,
                  Nomination.nominee_name)))


def ceremony_event(award_type: AwardType, award_date: date):
    """The event of the award's recurring occasion in the award date's year, if made."""
    if award_type.occasion_id is None:
        return None
    return event_services.occasion_event(award_type.occasion_id, award_date.year)


def _hold_embargo(event, award_date: date, *, actor) -> None:
    """Who is honoured stays with the honours team until the award is announced (by default: on
    the day). An announcement day already chosen stands; an event made some other way (by hand,
    or before) gets the embargo here, before any awardee can reach its guest list."""
    if event.embargo_until is None and today_berlin() < award_date:
        event_services.set_embargo(event, award_date, actor=actor)


@transactional
def make_event(award_type: AwardType, award_date: date, *, actor):
    """Make the ceremony's event from the award's recurring occasion (once a year); the year's
    event made before is taken as it is, under the embargo."""
    if award_type.occasion_id is None:
        raise DomainError(_l("This award has no ceremony occasion; an admin links one under Awards."))
    event = event_services.make_occasion_event(award_type.occasion_id, award_date.year, actor=actor)
    _hold_embargo(event, award_date, actor=actor)
    return event


@transactional
def set_announcement(award_type: AwardType, award_date: date, announced_on: date, *, actor) -> None:
    """The day the awardees are announced: until then the ceremony's guest list stays embargoed."""
    event = ceremony_event(award_type, award_date)
    if event is None:
        raise DomainError(_l("Please make the ceremony's event first."))
    if announced_on > award_date:
        raise ValidationFailed(_l("The announcement cannot come after the ceremony."), field="announced_on")
    event_services.set_embargo(event, announced_on, actor=actor)


@transactional
def set_order(award_type: AwardType, award_date: date, ordered_ids: list[int], *, actor) -> None:
    """Fix the order of presentation; every case of the ceremony must be placed once."""
    cases = {case.id: case for case in cases_for(award_type, award_date)}
    if sorted(ordered_ids) != sorted(cases):
        raise ValidationFailed(_l("Please place every awardee of this ceremony exactly once."))
    for position, case_id in enumerate(ordered_ids, start=1):
        cases[case_id].presentation_position = position
    db.session.flush()
    record_event("ceremony.order", actor=actor, target=award_type, summary=f"{award_date}: {ordered_ids}")


@transactional
def propose_guests(award_type: AwardType, award_date: date, *, family_guests: int, actor) -> dict[str, int]:
    """Put the awardees (with their family guests), the living earlier holders and the honorary
    citizens on the ceremony's guest list; people already on it are not added twice."""
    if not 0 <= family_guests <= event_guests.MAX_COMPANIONS:
        raise ValidationFailed(_l("A guest may bring at most %(n)s companions.", n=event_guests.MAX_COMPANIONS))
    event = ceremony_event(award_type, award_date)
    if event is None:
        raise DomainError(_l("Please make the ceremony's event first."))
    _hold_embargo(event, award_date, actor=actor)  # before the first awardee is on the list
    listed = event_guests.guests_by_name(event)
    counts = {"awardees": 0, "holders": 0, "honorary_citizens": 0}
    cases = cases_for(award_type, award_date)
    on_the_list = event_guests.guests_by_id(event, [case.ceremony_guest_id for case in cases])
    for case in cases:
        if case.ceremony_guest_id in on_the_list:
            continue
        # Someone put the awardee on the list by hand: that entry becomes the case's, once.
        guest = listed.get(event_guests.same_name(case.nominee_name))
        if guest is None:
            guest = event_guests.add_adhoc(event, actor=actor, name=case.nominee_name, function=case.occupation,
                                           rank=AWARDEE_RANK, companions=family_guests, category="honour_holders")
            listed[event_guests.same_name(case.nominee_name)] = guest
            counts["awardees"] += 1
        case.ceremony_guest_id = guest.id
    holders = db.session.scalars(sa.select(Holder).where(Holder.award_type_id == award_type.id,
                                                         living_holders_clause()).order_by(Holder.awarded_on))
    for holder in holders:
        if event_guests.same_name(holder.name) not in listed:
            listed[event_guests.same_name(holder.name)] = event_guests.add_adhoc(
                event, actor=actor, name=holder.name, rank=HOLDER_RANK, companions=1, category="honour_holders",
                function=str(_l("Holder since %(year)s", year=holder.awarded_on.year)))
            counts["holders"] += 1
    counts["honorary_citizens"], _already = event_guests.add_category(event, "honorary_citizens", companions=1,
                                                                      actor=actor)
    return counts


def guest_status(event, cases: list[Nomination]) -> dict:
    """The guest-list entry of each awardee (case id → guest), to show their invitation status."""
    if event is None:
        return {}
    guests = event_guests.guests_by_id(event, [case.ceremony_guest_id for case in cases])
    return {case.id: guests[case.ceremony_guest_id] for case in cases if case.ceremony_guest_id in guests}


@transactional
def schedule_all(award_type: AwardType, award_date: date, *, actor) -> int:
    """Mark every approved case of the award date as scheduled for the ceremony."""
    if ceremony_event(award_type, award_date) is None:
        raise DomainError(_l("Please make the ceremony's event first."))
    scheduled = 0
    for case in cases_for(award_type, award_date):
        if case.state == NominationState.APPROVED.value:
            services.schedule_ceremony(case, actor=actor)
            scheduled += 1
    return scheduled


#: The certificate is signed by whom admins name (core.letters), with the seal they upload.
CERTIFICATE = register_kind("honours.certificate", _l("Honours: certificate"))


def certificate_pdf(case: Nomination) -> bytes:
    """The certificate (Urkunde) of one awardee, in German, signed and sealed as admins set it."""
    if case.state not in CEREMONY_STATES:
        raise DomainError(_l("A certificate is made only for an approved case."))
    with force_locale("de"):
        parts = layout(CERTIFICATE, "de")
        if parts.signatory is None:
            raise DomainError(_l("Nobody is named to sign the certificate yet: an admin names the signatory under "
                                 "Letters and certificates."))
        return render_pdf("honours/certificate.html", case=case, layout=parts,
                          day=case.award_date or case.senate_decision_date)


def booklet_pdf(award_type: AwardType, award_date: date) -> bytes:
    """The programme booklet: the ceremony's programme and, per awardee, a photo space and the citation;
    its cover carries the installation's letterhead."""
    event = ceremony_event(award_type, award_date)
    with force_locale("de"):
        return render_pdf("honours/booklet.html", award_type=award_type, award_date=award_date, event=event,
                          cases=cases_for(award_type, award_date), layout=layout(CERTIFICATE, "de"))
