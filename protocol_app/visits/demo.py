"""Demo visits: a lived-in year of the office's real kind of work (demo only)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from ..core import record_parts
from ..core.checklists.services import templates_for
from ..core.time import BERLIN, today_berlin
from ..directory.models import Host, PartnerCity, Venue
from ..extensions import db
from . import services
from .models import Visit

#: Fictional hosts on the Berlin side.
DEMO_HOSTS = [
    ("Dr. Max Mustermann", "Regierender Bürgermeister von Berlin", 1),
    ("Erika Beispiel", "Bürgermeisterin von Berlin", 2),
    ("Jonas Vorbild", "Chef der Senatskanzlei", 3),
    ("Petra Muster", "Staatssekretärin für Internationales", 4),
]

#: (days from today, length in days, title, kind, guest, function, country, partner city, final state)
DEMO_VISITS = [
    (-150, 2, "Delegation der Stadt Paris zum Partnerschaftsjubiläum", "partner_city", "Sophie Martin",
     "Erste Beigeordnete der Bürgermeisterin", "FR", "Paris", "completed"),
    (-110, 1, "Antrittsbesuche neuer Botschafterinnen und Botschafter", "first_call", "S. E. Herr Botschafter",
     "Außerordentlicher und bevollmächtigter Botschafter", "PT", None, "completed"),
    (-75, 3, "Besuch des Ministerpräsidenten zum Landesjubiläum", "official_visit", "Dr. Hans Gastfreund",
     "Ministerpräsident", "DE", None, "completed"),
    (-40, 1, "Videokonferenz mit Bürgermeisterinnen und Bürgermeistern der Partnerstädte", "other",
     "Bürgermeisterinnen und Bürgermeister", "Partnerstädte", None, None, "completed"),
    (-25, 1, "Delegation der Region Brüssel-Hauptstadt", "delegation", "Claire Dubois",
     "Staatssekretärin für Europa und Außenbeziehungen", "BE", "Brüssel", "completed"),
    (-12, 2, "Arbeitsbesuch aus Warschau", "partner_city", "Marek Nowak", "Stellvertretender Stadtpräsident",
     "PL", "Warschau", "completed"),
    (5, 2, "Delegation aus Tokio", "partner_city", "Yuki Tanaka", "Vizegouverneurin", "JP", "Tokio", "confirmed"),
    (9, 1, "Antrittsbesuch der Botschafterin von Namibia", "first_call", "I. E. Frau Botschafterin",
     "Außerordentliche und bevollmächtigte Botschafterin", "NA", "Windhuk", "planning"),
    (21, 3, "Staatsbesuch mit Eintragung ins Goldene Buch", "state_visit", "S. E. Herr Präsident",
     "Staatspräsident", "CZ", "Prag", "planning"),
    (34, 2, "Wirtschaftsdelegation aus Buenos Aires", "delegation", "Lucía Fernández", "Staatssekretärin",
     "AR", "Buenos Aires", "requested"),
    (60, 2, "Arbeitsbesuch aus Kyjiw", "working_visit", "Olena Kovalenko",
     "Stellvertretende Bürgermeisterin", "UA", "Kyjiw", "requested"),
]


def _ensure_hosts() -> list[Host]:
    existing = {h.name: h for h in db.session.scalars(sa.select(Host))}
    for name, function, order in DEMO_HOSTS:
        if name not in existing:
            existing[name] = Host(name=name, function=function, sort_order=order)
            db.session.add(existing[name])
    db.session.flush()
    return [existing[name] for name, _, _ in DEMO_HOSTS]


def seed_demo_visits(officer, manager) -> int:
    """Create the demo year unless visits exist already; return how many were made."""
    hosts = _ensure_hosts()
    if db.session.scalar(sa.select(sa.func.count(Visit.id))):
        return 0
    venues = {v.name: v for v in db.session.scalars(sa.select(Venue))}
    cities = {c.name_de: c for c in db.session.scalars(sa.select(PartnerCity))}
    today = today_berlin()
    for offset, length, title, kind, guest, function, country, city, final in DEMO_VISITS:
        first = today + timedelta(days=offset)
        arrival = datetime.combine(first, time(9, 30), tzinfo=BERLIN)
        departure = datetime.combine(first + timedelta(days=length - 1), time(17, 0), tzinfo=BERLIN)
        visit = services.create_visit(actor=officer, host_ids=[hosts[0].id], values={
            "title": title, "kind": kind, "guest_name": guest, "guest_function": function,
            "guest_country_code": country, "country_code": country,
            "partner_city_id": cities[city].id if city else None,
            "arrival_at": arrival, "departure_at": departure, "travel_timezone": "Europe/Berlin",
            "arrival_place": "Flughafen BER", "hotel": "Hotel am Gendarmenmarkt",
            "responsible_officer_id": officer.id, "is_confidential": kind == "state_visit",
            "languages": "en",
        })
        services.save_programme_item(visit, None, actor=officer, host_ids=[hosts[0].id], values={
            "title": "Empfang durch den Regierenden Bürgermeister", "venue_id": venues["Wappensaal"].id,
            "starts_at": arrival + timedelta(hours=1, minutes=30), "ends_at": arrival + timedelta(hours=2, minutes=30),
            "dress_code": "business", "press": "closed", "golden_book": kind in ("state_visit", "partner_city"),
            "gift_exchange": True, "interpreter_needed": True, "interpreter_language": "en",
            "interpreter_mode": "consecutive",
        }, conflict_reason="Demo")
        services.save_programme_item(visit, None, actor=officer, values={
            "title": "Mittagessen", "venue_id": venues["Säulensaal"].id,
            "starts_at": arrival + timedelta(hours=3), "ends_at": arrival + timedelta(hours=4, minutes=30),
            "dress_code": "business", "press": "none",
        }, conflict_reason="Demo")
        for template in templates_for(services.SCOPE, kind)[:1]:
            record_parts.apply_checklist(services.VISIT_PARTS, visit, template, actor=officer)
        if final != "requested":
            services.move_visit(visit, "start_planning", actor=officer)
        if final in ("confirmed", "completed"):
            services.move_visit(visit, "confirm", actor=manager)
        if final == "completed":
            services.save_gift(visit, None, actor=officer, values={
                "direction": "given", "description": "Porzellanschale KPM mit Berliner Bär",
                "giver": hosts[0].name, "recipient": guest, "estimated_value": 180})
            services.move_visit(visit, "complete", actor=officer)
    return len(DEMO_VISITS)


def demo_visit_ids() -> dict[str, int]:
    """The demo visits by title (for the demo data of the domains that tell of them)."""
    titles = [row[2] for row in DEMO_VISITS]
    return dict(db.session.execute(sa.select(Visit.title, Visit.id).where(Visit.title.in_(titles))).all())
