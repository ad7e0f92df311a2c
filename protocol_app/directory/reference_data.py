"""Loading the reference data every installation needs (safe in production,
idempotent: existing rows are left as the admins edited them)."""

from __future__ import annotations

import gettext

import pycountry
import sqlalchemy as sa

from ..core.db import insert_missing
from ..extensions import db
from .models import Country, PartnerCity, PartnershipStatus, Venue

#: Berlin's 18 partner cities: (German name, English name, ISO country, year, status).
PARTNER_CITIES = [
    ("Los Angeles", "Los Angeles", "US", 1967, PartnershipStatus.ACTIVE),
    ("Paris", "Paris", "FR", 1987, PartnershipStatus.ACTIVE),
    ("Madrid", "Madrid", "ES", 1988, PartnershipStatus.ACTIVE),
    ("Istanbul", "Istanbul", "TR", 1989, PartnershipStatus.ACTIVE),
    ("Warschau", "Warsaw", "PL", 1991, PartnershipStatus.ACTIVE),
    ("Moskau", "Moscow", "RU", 1991, PartnershipStatus.FROZEN),
    ("Brüssel", "Brussels", "BE", 1992, PartnershipStatus.ACTIVE),
    ("Budapest", "Budapest", "HU", 1992, PartnershipStatus.ACTIVE),
    ("Taschkent", "Tashkent", "UZ", 1993, PartnershipStatus.ACTIVE),
    ("Mexiko-Stadt", "Mexico City", "MX", 1993, PartnershipStatus.ACTIVE),
    ("Jakarta", "Jakarta", "ID", 1994, PartnershipStatus.ACTIVE),
    ("Peking", "Beijing", "CN", 1994, PartnershipStatus.ACTIVE),
    ("Tokio", "Tokyo", "JP", 1994, PartnershipStatus.ACTIVE),
    ("Buenos Aires", "Buenos Aires", "AR", 1994, PartnershipStatus.ACTIVE),
    ("Prag", "Prague", "CZ", 1995, PartnershipStatus.ACTIVE),
    ("Windhuk", "Windhoek", "NA", 2000, PartnershipStatus.ACTIVE),
    ("London", "London", "GB", 2000, PartnershipStatus.ACTIVE),
    ("Kyjiw", "Kyiv", "UA", 2024, PartnershipStatus.ACTIVE),
]

#: Other customary names of the partner cities (own language, exonyms, transliterations, the
#: genitive their own offices write), by German name: the Golden Book's rule finds a partner
#: city's mayor under any of them ("Prezydent m.st. Warszawy", "Primátor hlavního města Prahy").
PARTNER_CITY_OTHER_NAMES = {
    "Los Angeles": "City of Los Angeles, L.A.",
    "Paris": "Ville de Paris",
    "Madrid": "Ayuntamiento de Madrid",
    "Istanbul": "İstanbul, Konstantinopel, Constantinople",
    "Warschau": "Warszawa, Warszawy, Varsovie",
    "Moskau": "Moskwa, Moskva, Moscou, Москва",
    "Brüssel": "Bruxelles, Brussel, Brussels-Capital, Bruxelles-Capitale",
    "Budapest": "Budapesti, Budapesten",
    "Taschkent": "Toshkent, Tashkent, Taškent, Ташкент",
    "Mexiko-Stadt": "Mexiko Stadt, Mexico City, Ciudad de México, CDMX, Mexico-Stadt",
    "Jakarta": "Djakarta, DKI Jakarta, Daerah Khusus Ibukota Jakarta",
    "Peking": "Beijing, Pékin, 北京",
    "Tokio": "Tokyo, Tōkyō, 東京",
    "Buenos Aires": "Ciudad Autónoma de Buenos Aires, CABA",
    "Prag": "Praha, Prahy, Prague",
    "Windhuk": "Windhoek",
    "London": "Greater London, Londres",
    "Kyjiw": "Kyiv, Kiew, Kiev, Kijów, Київ, Kyieva",
}

ROTES_RATHAUS = "Rotes Rathaus, Rathausstraße 15, 10178 Berlin"

#: Rooms of the Rotes Rathaus used for protocol occasions: (name, capacity).
VENUES = [
    ("Großer Festsaal", 400),
    ("Wappensaal", 150),
    ("Säulensaal", 120),
    ("Louise-Schroeder-Saal", 80),
    ("Ferdinand-Friedensburg-Saal", 40),
    ("Amtszimmer des Regierenden Bürgermeisters", 12),
]


def _german_country_names():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"]).gettext


def load_countries() -> int:
    """Insert the ISO countries that are missing; return how many were added."""
    german = _german_country_names()
    existing = set(db.session.scalars(sa.select(Country.code)))
    added = 0
    for c in pycountry.countries:
        if c.alpha_2 in existing:
            continue
        english = getattr(c, "common_name", None) or c.name
        db.session.add(Country(code=c.alpha_2, name_en=english, name_de=german(c.name)))
        added += 1
    db.session.flush()
    return added


def load_partner_cities() -> int:
    """Insert the partner cities that are missing; a city whose other names were never set gets
    the customary ones (names an admin set are kept)."""
    rows = [
        {"name_de": de, "name_en": en, "country_code": country, "since_year": year,
         "status": status.value, "other_names": PARTNER_CITY_OTHER_NAMES.get(de)}
        for de, en, country, year, status in PARTNER_CITIES
    ]
    added = insert_missing(PartnerCity, "name_de", rows)
    for city in db.session.scalars(sa.select(PartnerCity).where(PartnerCity.other_names.is_(None))):
        city.other_names = PARTNER_CITY_OTHER_NAMES.get(city.name_de)
    db.session.flush()
    return added


def load_venues() -> int:
    rows = [
        {"name": name, "building": "Rotes Rathaus", "address": ROTES_RATHAUS, "capacity": capacity}
        for name, capacity in VENUES
    ]
    return insert_missing(Venue, "name", rows)


#: Checklist templates an installation starts with; admins edit them afterwards.
#: (scope, name, kind or None for all, [(title, offset days, anchor, owner rule)])
CHECKLIST_TEMPLATES = [
    ("visit", "Besuch – Standard", None, [
        ("Dolmetschbedarf klären", -14, "start", "responsible"),
        ("Flaggen bestellen", -10, "start", "deputy"),
        ("Programmheft erstellen", -5, "start", "responsible"),
        ("Goldenes Buch vorbereiten", -2, "start", "deputy"),
        ("Dankschreiben", 3, "end", "responsible"),
    ]),
    ("visit", "Antrittsbesuch", "first_call", [
        ("Termin beim Regierenden Bürgermeister abstimmen", -14, "start", "responsible"),
        ("Gästebuch bereitlegen", -1, "start", "deputy"),
        ("Foto für die Pressestelle anfordern", 1, "end", "responsible"),
    ]),
    ("event", "Veranstaltung – Standard", None, [
        ("Gästeliste abstimmen", -42, "start", "responsible"),
        ("Einladungen versenden", -35, "start", "responsible"),
        ("Antworten nachfassen", -10, "start", "deputy"),
        ("Sitzordnung und Tischkarten", -3, "start", "responsible"),
        ("Einlassliste drucken", -1, "start", "deputy"),
    ]),
    ("event", "Kranzniederlegung", "wreath_laying", [
        ("Kranz mit Schleife bestellen", -14, "start", "responsible"),
        ("Ehrenformation anfragen", -21, "start", "responsible"),
    ]),
]


def load_checklist_templates() -> int:
    from ..core.checklists.models import ChecklistTemplate, ChecklistTemplateItem

    existing = set(db.session.scalars(sa.select(ChecklistTemplate.name)))
    added = 0
    for scope, name, kind, items in CHECKLIST_TEMPLATES:
        if name in existing:
            continue
        template = ChecklistTemplate(scope=scope, kind=kind, name=name)
        template.items = [
            ChecklistTemplateItem(title=t, offset_days=o, anchor=a, owner_rule=r) for t, o, a, r in items
        ]
        db.session.add(template)
        added += 1
    db.session.flush()
    return added


#: Forms of address an installation starts with: (name, line DE, line EN, salutation DE, salutation EN, order)
ADDRESS_FORMS = [
    ("Botschafterin", "Ihre Exzellenz", "Her Excellency", "Sehr geehrte Frau Botschafterin",
     "Dear Ambassador", 10),
    ("Botschafter", "Seine Exzellenz", "His Excellency", "Sehr geehrter Herr Botschafter",
     "Dear Ambassador", 11),
    ("Regierende Bürgermeisterin", "Frau Regierende Bürgermeisterin", "The Governing Mayor of Berlin",
     "Sehr geehrte Frau Regierende Bürgermeisterin", "Dear Governing Mayor", 20),
    ("Regierender Bürgermeister", "Herrn Regierenden Bürgermeister", "The Governing Mayor of Berlin",
     "Sehr geehrter Herr Regierender Bürgermeister", "Dear Governing Mayor", 21),
    ("Senatorin", "Frau Senatorin", "Senator", "Sehr geehrte Frau Senatorin", "Dear Senator {name}", 30),
    ("Senator", "Herrn Senator", "Senator", "Sehr geehrter Herr Senator", "Dear Senator {name}", 31),
    ("Präsidentin des Abgeordnetenhauses", "Frau Präsidentin", "The President of the House of Representatives",
     "Sehr geehrte Frau Präsidentin", "Dear Madam President", 35),
    ("Präsident des Abgeordnetenhauses", "Herrn Präsidenten", "The President of the House of Representatives",
     "Sehr geehrter Herr Präsident", "Dear Mr President", 36),
    ("Abgeordnete", "Frau Abgeordnete", "Member of the House of Representatives", "Sehr geehrte Frau {name}",
     "Dear Ms {name}", 40),
    ("Abgeordneter", "Herrn Abgeordneten", "Member of the House of Representatives", "Sehr geehrter Herr {name}",
     "Dear Mr {name}", 41),
    ("Bürgermeisterin", "Frau Bürgermeisterin", "Mayor", "Sehr geehrte Frau Bürgermeisterin", "Dear Mayor", 50),
    ("Bürgermeister", "Herrn Bürgermeister", "Mayor", "Sehr geehrter Herr Bürgermeister", "Dear Mayor", 51),
    ("Frau", "Frau", "Ms", "Sehr geehrte Frau {name}", "Dear Ms {name}", 90),
    ("Herr", "Herrn", "Mr", "Sehr geehrter Herr {name}", "Dear Mr {name}", 91),
]


def load_address_forms() -> int:
    from .models import AddressForm

    rows = [
        {"name": name, "address_de": line_de, "address_en": line_en, "salutation_de": sal_de,
         "salutation_en": sal_en, "sort_order": order}
        for name, line_de, line_en, sal_de, sal_en, order in ADDRESS_FORMS
    ]
    return insert_missing(AddressForm, "name", rows)


def load_directory_data() -> dict[str, int]:
    """Load countries, partner cities, venues, checklist templates and forms of address."""
    return {
        "countries": load_countries(),
        "partner_cities": load_partner_cities(),
        "venues": load_venues(),
        "checklist_templates": load_checklist_templates(),
        "address_forms": load_address_forms(),
    }
