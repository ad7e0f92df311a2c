"""The award types an installation starts with (DESIGN.md section 7); admins maintain them afterwards."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import ApprovalStep, AwardType

#: The usual chain of the office: head of unit, then head of department (both managers, each
#: step decided by the holder of its post).
STANDARD_STEPS = [("Referatsleitung", "manager", "head_of_unit"), ("Abteilungsleitung", "manager", "head_of_department")]

AWARD_TYPES = [
    {"name": "Verdienstorden des Landes Berlin",
     "legal_basis": "Verwaltungsvorschrift über die Verleihung des Verdienstordens des Landes Berlin vom 21. Juli 1987",
     "suggesters": "Senatsmitglieder für ihren Geschäftsbereich, Präsident/in des Abgeordnetenhauses",
     "proposer": "Regierende/r Bürgermeister/in", "cap_living": 400, "award_month": 10, "award_day": 1,
     "deadline_days_before": 120, "posthumous_allowed": False, "once_only": True, "merits_recency_years": 5,
     "occasion": "Verleihung des Verdienstordens des Landes Berlin"},
    {"name": "Ernst-Reuter-Plakette", "legal_basis": "Senatsbeschluss vom 22. März 1954",
     "suggesters": "Senatsmitglieder", "proposer": "Regierende/r Bürgermeister/in", "cap_living": None,
     "posthumous_allowed": False, "once_only": True},
    {"name": "Ehrenbürgerrecht", "legal_basis": "Beschluss des Senats mit Zustimmung des Abgeordnetenhauses",
     "suggesters": "Abgeordnetenhaus, Senatsmitglieder, Bezirke", "proposer": "Senat", "cap_living": None,
     "posthumous_allowed": False, "once_only": True},
    {"name": "Stadtälteste/r von Berlin", "legal_basis": "Senatsbeschluss",
     "suggesters": "Senatsmitglieder, Bezirke", "proposer": "Senat", "cap_living": 40, "min_age": 65,
     "posthumous_allowed": False, "once_only": True},
]


def load_award_types(occasions: dict[str, int] | None = None) -> int:
    """Add the award types that are missing (by name), each with the standard approval chain;
    `occasions` ({name: id}, as the events area gives them) names each one's ceremony occasion."""
    occasions = occasions or {}
    existing = set(db.session.scalars(sa.select(AwardType.name)))
    added = 0
    for values in AWARD_TYPES:
        if values["name"] in existing:
            continue
        values = dict(values)
        occasion = values.pop("occasion", None)
        award_type = AwardType(occasion_id=occasions.get(occasion), **values)
        award_type.steps = [ApprovalStep(position=i, name=name, role=role, required_position=post)
                            for i, (name, role, post) in enumerate(STANDARD_STEPS, start=1)]
        db.session.add(award_type)
        added += 1
    db.session.flush()
    return added
