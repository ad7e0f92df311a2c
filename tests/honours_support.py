"""Helpers of the honours tests: the people of a nomination and a case in a given state."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.extensions import db
from protocol_app.honours import services
from protocol_app.honours.models import AwardType, Nomination
from tests.support import ensure_reference_data, make_user

ORDER = "Verdienstorden des Landes Berlin"
PLAQUE = "Ernst-Reuter-Plakette"

#: e-mail → roles (and post) of the people of a nomination.
PEOPLE = {
    "autorin@example.org": (["officer"], None),
    "pruefer@example.org": (["officer"], None),
    "referatsleitung@example.org": (["manager"], "head_of_unit"),
    "abteilungsleitung@example.org": (["manager"], "head_of_department"),
}


def setup_people(app) -> None:
    ensure_reference_data(app)
    for email, (roles, post) in PEOPLE.items():
        make_user(app, email, roles=roles, name=email.split("@")[0].capitalize(), position=post)


def user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def award(name: str = ORDER) -> AwardType:
    return db.session.scalar(sa.select(AwardType).where(AwardType.name == name))


def case_values(**overrides) -> dict:
    values = {"award_type_id": award(overrides.pop("award", ORDER)).id, "nominee_name": "Dr. Helga Beispiel",
              "birth_date": date(1950, 5, 17), "birth_place": "Berlin", "nationality": "DE", "gender": "f",
              "occupation": "Stadthistorikerin", "suggested_by": "Senatorin für Kultur",
              "suggester_kind": "person", "suggester_entitlement": "Senatsmitglied",
              "justification": "Jahrzehntelanger Einsatz für die Erinnerungskultur."}
    values.update(overrides)
    return values


def proposed_case(**overrides) -> Nomination:
    """A case that went through review and both approval steps (call inside an app context)."""
    case = services.create_case(actor=user("autorin@example.org"), values=case_values(**overrides))
    services.add_merit(case, actor=user("autorin@example.org"), description="Ausstellung zur Stadtgeschichte",
                       date_from=date(2023, 3, 1), date_to=date(2024, 6, 30))
    services.submit(case, actor=user("autorin@example.org"))
    services.start_review(case, actor=user("pruefer@example.org"))
    services.forward(case, actor=user("pruefer@example.org"))
    services.approve_step(case, actor=user("referatsleitung@example.org"))
    services.approve_step(case, actor=user("abteilungsleitung@example.org"))
    return case
