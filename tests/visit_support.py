"""Helpers for visit tests: reference data and visits made through the services."""

from __future__ import annotations

from datetime import UTC, datetime

from protocol_app.auth.models import User
from protocol_app.directory.models import Host
from protocol_app.extensions import db
from protocol_app.visits import services
from tests.support import ensure_reference_data

ARRIVAL = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
DEPARTURE = datetime(2027, 3, 12, 16, 0, tzinfo=UTC)


def reference_data(app) -> dict:
    ensure_reference_data(app)
    with app.app_context():
        host = Host(name="Dr. Max Mustermann", function="Regierender Bürgermeister", sort_order=1)
        db.session.add(host)
        db.session.commit()
        return {"host_id": host.id}


def make_visit(app, officer_id: int, **overrides) -> str:
    values = {
        "title": "Besuch der Bürgermeisterin von Paris",
        "kind": "partner_city",
        "guest_name": "Anne Hidalgo",
        "guest_function": "Bürgermeisterin",
        "country_code": "FR",
        "arrival_at": ARRIVAL,
        "departure_at": DEPARTURE,
        "travel_timezone": "Europe/Berlin",
        "responsible_officer_id": officer_id,
        "is_confidential": False,
    }
    values.update(overrides)
    with app.app_context():
        actor = db.session.get(User, officer_id)
        visit = services.create_visit(actor=actor, values=values)
        db.session.commit()
        return visit.reference


def visit_form(**overrides) -> dict:
    data = {
        "title": "Arbeitsbesuch aus Warschau",
        "kind": "working_visit",
        "guest_name": "Rafał Trzaskowski",
        "guest_function": "Stadtpräsident",
        "guest_country_code": "PL",
        "country_code": "PL",
        "partner_city_id": "0",
        "travel_timezone": "Europe/Berlin",
        "arrival_at": "2027-05-04T10:00",
        "departure_at": "2027-05-05T18:00",
        "responsible_officer_id": "0",
        "deputy_officer_id": "0",
        "languages": ["pl", "en"],
    }
    data.update(overrides)
    return data
