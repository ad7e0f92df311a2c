"""Demo guests and events: directory contacts by category and the coming occasions (demo only)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..core.time import BERLIN, now_utc
from ..directory.models import AddressForm, Contact
from ..extensions import db
from . import guests, invitations, services
from .models import Event, OccasionTemplate

#: Fictional contacts: (name, function, organisation, category, rank, in office since, address form, language)
DEMO_CONTACTS = [
    ("Dr. Amara Okafor", "Botschafterin", "Botschaft von Nigeria", "diplomatic_corps", 100, date(2019, 3, 4),
     "Botschafterin", "en"),
    ("Jean Dupont", "Botschafter", "Botschaft von Frankreich", "diplomatic_corps", 100, date(2021, 9, 1),
     "Botschafter", "de"),
    ("Maria Kowalska", "Botschafterin", "Botschaft von Polen", "diplomatic_corps", 100, date(2023, 1, 15),
     "Botschafterin", "de"),
    ("Hiroshi Sato", "Botschafter", "Botschaft von Japan", "diplomatic_corps", 100, date(2020, 6, 30),
     "Botschafter", "en"),
    ("Sabine Senatorin", "Senatorin für Kultur", "Senat von Berlin", "senate", 20, None, "Senatorin", "de"),
    ("Thomas Senator", "Senator für Finanzen", "Senat von Berlin", "senate", 21, None, "Senator", "de"),
    ("Claudia Präsidentin", "Präsidentin des Abgeordnetenhauses", "Abgeordnetenhaus", "parliament", 5, None,
     "Präsidentin des Abgeordnetenhauses", "de"),
    ("Frank Presse", "Korrespondent", "Berliner Tageszeitung", "press", 800, None, "Herr", "de"),
]

#: Postal addresses of the demo contacts' organisations (fictional house numbers).
DEMO_ADDRESSES = {
    "Botschaft von Nigeria": "Neue Jakobstraße 4\n10179 Berlin", "Botschaft von Frankreich": "Pariser Platz 5\n10117 Berlin",
    "Botschaft von Polen": "Unter den Linden 70–72\n10117 Berlin", "Botschaft von Japan": "Hiroshimastraße 6\n10785 Berlin",
    "Senat von Berlin": "Jüdenstraße 1\n10178 Berlin", "Abgeordnetenhaus": "Niederkirchnerstraße 5\n10117 Berlin",
    "Berliner Tageszeitung": "Alte Jakobstraße 105\n10969 Berlin",
}


def seed_demo_events(officer) -> int:
    """Create the demo contacts and next year's flag day with its invitations, unless events exist."""
    if db.session.scalar(sa.select(sa.func.count(Event.id))):
        return 0
    forms = {f.name: f.id for f in db.session.scalars(sa.select(AddressForm))}
    known = set(db.session.scalars(sa.select(Contact.name)))
    for name, function, organisation, category, rank, since, form, language in DEMO_CONTACTS:
        if name not in known:
            db.session.add(Contact(name=name, function=function, organisation=organisation, category=category,
                                   rank=rank, in_office_since=since, address_form_id=forms.get(form),
                                   language=language, email=f"{name.split()[-1].lower()}@example.org",
                                   postal_address=DEMO_ADDRESSES.get(organisation), postal_country_code="DE",
                                   salutation_form="female" if form.split()[0].endswith("in") else "male"))
    db.session.flush()
    year = now_utc().astimezone(BERLIN).year + 1
    made = 0
    for occasion in db.session.scalars(sa.select(OccasionTemplate).where(OccasionTemplate.is_active.is_(True))):
        event = services.create_from_occasion(occasion, year, actor=officer)
        event.capacity = 150
        made += 1
        if occasion.name.startswith("Flaggentag"):
            guests.add_usual_categories(event, companions=1, actor=officer)
            guests.add_category(event, "diplomatic_corps", actor=officer)
            invitations.send_invitations(event, actor=officer)
    return made
