"""Visit statistics per year: by country, kind and partner city."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa

from ..core.time import BERLIN
from ..directory.models import Country, PartnerCity
from ..extensions import db
from . import permissions
from .models import Visit, VisitKind
from .workflow import VisitState

#: Visits that did not take place are not counted.
COUNTED_STATES = (VisitState.REQUESTED, VisitState.PLANNING, VisitState.CONFIRMED, VisitState.COMPLETED)
DIMENSIONS = ("country", "kind", "partner_city")


def _year_range(year: int):
    return (datetime.combine(date(year, 1, 1), time.min, tzinfo=BERLIN),
            datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=BERLIN))


def visits_per(dimension: str, year: int, user) -> list[tuple[str, int]]:
    """(label, count) rows of the year's visits grouped by `dimension`, largest first."""
    start, end = _year_range(year)
    where = sa.and_(Visit.arrival_at >= start, Visit.arrival_at < end, Visit.state.in_(COUNTED_STATES),
                    permissions.readable_filter(user))
    count = sa.func.count(Visit.id)
    if dimension == "kind":
        rows = db.session.execute(sa.select(Visit.kind, count).where(where).group_by(Visit.kind))
        result = [(str(VisitKind(kind).label), n) for kind, n in rows]
    elif dimension == "partner_city":
        rows = db.session.execute(
            sa.select(PartnerCity.name_de, count).join(PartnerCity, Visit.partner_city_id == PartnerCity.id)
            .where(where).group_by(PartnerCity.name_de)
        )
        result = list(rows)
    else:
        name = sa.func.coalesce(Country.name_de, "—")
        rows = db.session.execute(
            sa.select(name, count).outerjoin(Country, Visit.country_code == Country.code)
            .where(where).group_by(name)
        )
        result = list(rows)
    return sorted(result, key=lambda r: (-r[1], r[0]))
