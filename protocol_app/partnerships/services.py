"""Rules of the partnerships: the record of each of the 18, its agreement document, its
activities, its whole history and its round anniversaries.

Every changing function takes the acting user, runs in one SAVEPOINT and records its audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import changes_of, record_event
from ..core.crud import save_record
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.files import replace_upload
from ..core.time import today_berlin
from ..core.urls import path_for
from ..directory.models import Contact, PartnerCity
from ..extensions import db
from .history import HistoryLine, lines_from_sources
from .models import Activity, ActivityKind, Network, Partnership, PartnershipNetwork

PARTNERSHIP_FIELDS = ("agreement_date", "agreement_title", "fields_of_cooperation", "notes")
ACTIVITY_FIELDS = ("title", "kind", "starts_on", "ends_on", "description")
#: A jubilee is every this many years of an agreement.
JUBILEE_STEP = 5


def cities() -> list[tuple[PartnerCity, Partnership | None]]:
    """The partner cities with their partnership record (None before anything was recorded)."""
    return [tuple(row) for row in db.session.execute(sa.select(PartnerCity, Partnership).outerjoin(
        Partnership, Partnership.partner_city_id == PartnerCity.id).order_by(PartnerCity.name_de))]


def partnership_of(city: PartnerCity) -> Partnership | None:
    return db.session.scalar(sa.select(Partnership).where(Partnership.partner_city_id == city.id))


def _record_for(city: PartnerCity) -> Partnership:
    partnership = partnership_of(city)
    if partnership is None:
        partnership = Partnership(partner_city_id=city.id)
        db.session.add(partnership)
        db.session.flush()
    return partnership


@transactional
def save_partnership(city: PartnerCity, values: dict, *, networks=(), contact_ids=(), actor,
                     expected_version=None) -> Partnership:
    """Record or change the partnership with a partner city."""
    partnership = partnership_of(city)
    if partnership is not None:
        check_version(partnership, expected_version)
    else:
        partnership = _record_for(city)
    agreed = values.get("agreement_date")
    if agreed is not None and agreed > today_berlin():
        raise ValidationFailed(_l("The agreement cannot be signed in the future."), field="agreement_date")
    if agreed is not None and agreed.year < 1900:
        raise ValidationFailed(_l("Please check the year of the agreement."), field="agreement_date")
    for key in PARTNERSHIP_FIELDS:
        setattr(partnership, key, values.get(key) or None)
    changes = changes_of(partnership)
    unknown = set(networks) - {n.value for n in Network}
    if unknown:
        raise ValidationFailed(_l("Unknown city network."), field="networks")
    before_networks = partnership.network_codes
    partnership.networks = [PartnershipNetwork(network=code) for code in sorted(set(networks))]
    if sorted(set(networks)) != before_networks:
        changes["networks"] = [before_networks, sorted(set(networks))]
    contacts = list(db.session.scalars(sa.select(Contact).where(Contact.id.in_(contact_ids)))) if contact_ids else []
    if len(contacts) != len(set(contact_ids)):
        raise ValidationFailed(_l("Unknown contact."), field="contact_ids")
    before_contacts = sorted(c.id for c in partnership.contacts)
    partnership.contacts = contacts
    if sorted(c.id for c in contacts) != before_contacts:
        changes["contacts"] = [before_contacts, sorted(c.id for c in contacts)]
    db.session.flush()
    if changes:
        record_event("partnership.update", actor=actor, target=partnership, summary=city.name_de, changes=changes)
    return partnership


@transactional
def set_agreement_document(city: PartnerCity, filename: str, data: bytes, *, actor) -> Partnership:
    """Keep the signed agreement (PDF, DOCX or a scan); a new one replaces the old."""
    partnership = _record_for(city)
    names = replace_upload(partnership, "agreement_file", filename, data, actor=actor)
    record_event("partnership.document", actor=actor, target=partnership, changes={"agreement_file": names})
    return partnership


@transactional
def save_activity(city: PartnerCity, activity: Activity | None, values: dict, *, actor,
                  expected_version=None) -> Activity:
    """Record or change a project or activity of the partnership."""
    values = {k: values.get(k) for k in ACTIVITY_FIELDS}
    if values["kind"] not in {k.value for k in ActivityKind}:
        raise ValidationFailed(_l("Please choose the kind of activity."), field="kind")
    if values["ends_on"] is not None and values["ends_on"] < values["starts_on"]:
        raise ValidationFailed(_l("The end must not be before the start."), field="ends_on")
    return save_record(activity or Activity(partnership_id=_record_for(city).id), values, actor=actor,
                       audit_name="partnership.activity", expected_version=expected_version, summary=values["title"])


@transactional
def delete_activity(activity: Activity, *, actor) -> None:
    """Remove an activity recorded by mistake."""
    record_event("partnership.activity.delete", actor=actor, target=activity, changes={"title": [activity.title, None]})
    db.session.delete(activity)
    db.session.flush()


def history(city: PartnerCity, reader) -> list[HistoryLine]:
    """Everything of the partnership the reader may see, latest first: the agreement, the
    activities, and the visits, events, gifts and book entries of the other domains."""
    partnership = partnership_of(city)
    lines = lines_from_sources(city.id, reader)
    if partnership is not None:
        url = path_for("partnerships.detail", city_id=city.id)
        if partnership.agreement_date:
            lines.append(HistoryLine(partnership.agreement_date, str(_l("Agreement")),
                                     partnership.agreement_title or str(_l("Partnership agreement")), url, "",
                                     "activity"))
        for activity in partnership.activities:
            lines.append(HistoryLine(activity.starts_on, str(activity.kind_label), activity.title,
                                     path_for("partnerships.activity", city_id=city.id, activity_id=activity.id),
                                     activity.description or "", "activity"))
    return sorted(lines, key=lambda line: line.day, reverse=True)


@dataclass(frozen=True)
class Jubilee:
    city: PartnerCity
    partnership: Partnership
    years: int
    day: date


def _anniversary(agreed: date, year: int) -> date:
    # 29 February falls on 28 February in other years.
    try:
        return agreed.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def _agreed() -> list[Partnership]:
    return list(db.session.scalars(sa.select(Partnership).where(Partnership.agreement_date.is_not(None))))


def _jubilees(partnerships: list[Partnership], year: int) -> list[Jubilee]:
    found = []
    for partnership in partnerships:
        years = year - partnership.agreement_date.year
        if years > 0 and years % JUBILEE_STEP == 0:
            found.append(Jubilee(partnership.partner_city, partnership, years,
                                 _anniversary(partnership.agreement_date, year)))
    return sorted(found, key=lambda j: j.day)


def jubilees_in(year: int) -> list[Jubilee]:
    """The round anniversaries (every five years) of the agreements that fall in `year`."""
    return _jubilees(_agreed(), year)


def jubilees_ahead(today: date | None = None, *, days: int = 366) -> list[Jubilee]:
    """The round anniversaries from today to a year ahead (the dashboard's and the reminder's)."""
    today = today or today_berlin()
    agreed = _agreed()  # one query for both years
    found = [j for year in (today.year, today.year + 1) for j in _jubilees(agreed, year)]
    return [j for j in found if 0 <= (j.day - today).days < days]
