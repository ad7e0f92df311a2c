"""Demo honours: cases at every stage of the coming cycle and a register with earlier holders (demo only)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from . import services
from .models import AwardType, Nomination

#: Fictional earlier holders of the Verdienstorden: (name, gender, year awarded, year died or None)
DEMO_HOLDERS = [
    ("Prof. Dr. Ingrid Altmann", "f", 2012, None), ("Karl-Heinz Brandt", "m", 2012, 2021),
    ("Dr. Aylin Celik", "f", 2015, None), ("Rudolf Dämmerich", "m", 2016, None),
    ("Marianne Ebert", "f", 2018, None), ("Jonas Feldmann", "m", 2019, None),
    ("Dr. Grace Okonkwo", "f", 2021, None), ("Heinrich Lutz", "m", 2022, 2025),
    ("Sofia Marquardt", "f", 2024, None), ("Tobias Neumeier", "m", 2025, None),
]

#: (nominee, gender, occupation, suggested by, how far the case gets)
DEMO_CASES = [
    ("Dr. Hannelore Weiß", "f", "Leiterin einer Stadtteilbibliothek", "Senatorin für Kultur", "draft"),
    ("Mehmet Yıldız", "m", "Gründer eines Sportvereins", "Senator für Inneres und Sport", "in_review"),
    ("Prof. Dr. Lea Brückner", "f", "Historikerin", "Präsidentin des Abgeordnetenhauses", "in_approval"),
    ("Friedrich Sommer", "m", "Ehrenamtlicher Stadtführer", "Senatorin für Kultur", "proposed"),
]


def seed_demo_honours(author, reviewer, head_of_unit, head_of_department) -> int:
    """Create the demo register and cases unless there are cases already; return how many cases were made."""
    if db.session.scalar(sa.select(sa.func.count(Nomination.id))):
        return 0
    order = db.session.scalar(sa.select(AwardType).where(AwardType.name == "Verdienstorden des Landes Berlin"))
    for name, gender, year, died in DEMO_HOLDERS:
        services.add_holder(order, actor=author, name=name, gender=gender, awarded_on=date(year, 10, 1),
                            died_on=date(died, 3, 1) if died else None)
    for name, gender, occupation, suggester, final in DEMO_CASES:
        case = services.create_case(actor=author, values={
            "award_type_id": order.id, "nominee_name": name, "birth_date": date(1955, 4, 12), "birth_place": "Berlin",
            "nationality": "DE", "gender": gender, "occupation": occupation, "suggested_by": suggester,
            "suggester_kind": "person", "suggester_entitlement": "Senatsmitglied",
            "justification": f"{name} hat sich über Jahrzehnte um das Gemeinwohl in Berlin verdient gemacht."})
        services.add_merit(case, actor=author, description=occupation, date_from=date(2019, 1, 1),
                           date_to=date(2025, 12, 31))
        if final == "draft":
            continue
        services.submit(case, actor=author)
        services.start_review(case, actor=reviewer)
        if final == "in_review":
            continue
        services.forward(case, actor=reviewer)
        if final == "in_approval":
            continue
        services.approve_step(case, actor=head_of_unit)
        services.approve_step(case, actor=head_of_department)
    return len(DEMO_CASES)
