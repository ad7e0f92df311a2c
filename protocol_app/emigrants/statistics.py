"""Statistics of the programme: applications, visits and costs per year, by category and
country of residence — with the historical participants and the anonymous remains of erased
cases included, so that erasure never changes the figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..directory.services import country_names
from ..extensions import db
from .models import (
    ApplicantCategory,
    Application,
    HistoricalParticipant,
    StayPlan,
    TravelBooking,
)
from .settings_models import AnonymousStatistic
from .workflow import ApplicationState

VISITED = (ApplicationState.VISITED, ApplicationState.CLOSED)
#: Historical records carry no category.
HISTORICAL = "historical"


@dataclass
class Row:
    year: int
    category: str
    country: str
    applications: int = 0
    visits: int = 0
    costs: Decimal = field(default_factory=lambda: Decimal("0"))
    #: The country's name in the reader's language (filled by `rows`).
    country_name: str = ""

    @property
    def category_label(self) -> str:
        """The category in words, as the page and the spreadsheet show it."""
        if self.category == HISTORICAL:
            return str(_l("Historical participants"))
        return str(ApplicantCategory(self.category).label)


def rows(year_from: int, year_to: int) -> list[Row]:
    """One row per year, category and country, in five queries."""
    table: dict[tuple, Row] = {}

    def row(year, category, country) -> Row:
        key = (int(year), category, country or "—")
        return table.setdefault(key, Row(*key))

    for year, category, country, state, count in db.session.execute(
            sa.select(Application.year, Application.category, Application.country_code, Application.state,
                      sa.func.count()).where(Application.year.between(year_from, year_to))
            .group_by(Application.year, Application.category, Application.country_code, Application.state)):
        target = row(year, category, country)
        target.applications += count
        if state in VISITED:
            target.visits += count
    for year, category, country, outcome, count in db.session.execute(
            sa.select(AnonymousStatistic.year, AnonymousStatistic.category, AnonymousStatistic.country_code,
                      AnonymousStatistic.outcome, sa.func.count()).where(
                AnonymousStatistic.year.between(year_from, year_to))
            .group_by(AnonymousStatistic.year, AnonymousStatistic.category, AnonymousStatistic.country_code,
                      AnonymousStatistic.outcome)):
        target = row(year, category, country)
        target.applications += count
        if outcome in VISITED:
            target.visits += count
    for year, country, count in db.session.execute(
            sa.select(HistoricalParticipant.visit_year, HistoricalParticipant.country_code, sa.func.count())
            .where(HistoricalParticipant.visit_year.between(year_from, year_to))
            .group_by(HistoricalParticipant.visit_year, HistoricalParticipant.country_code)):
        row(year, HISTORICAL, country).visits += count
    costs: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    for application_id, cost in db.session.execute(sa.select(StayPlan.application_id, StayPlan.hotel_cost)):
        costs[application_id] += cost or Decimal("0")
    for application_id, cost in db.session.execute(
            sa.select(TravelBooking.application_id, sa.func.sum(TravelBooking.cost)).group_by(
                TravelBooking.application_id)):
        costs[application_id] += Decimal(str(cost or 0))
    if costs:
        for application_id, year, category, country in db.session.execute(
                sa.select(Application.id, Application.year, Application.category, Application.country_code)
                .where(Application.id.in_(list(costs)), Application.year.between(year_from, year_to))):
            row(year, category, country).costs += costs[application_id]
    names = country_names({r.country for r in table.values()})
    for r in table.values():
        r.country_name = names.get(r.country, r.country)
    return sorted(table.values(), key=lambda r: (r.year, r.category, r.country_name))


def per_year(table: list[Row]) -> list[tuple[int, int, int]]:
    """(year, applications, visits) for the chart."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in table:
        totals[r.year][0] += r.applications
        totals[r.year][1] += r.visits
    return [(year, a, v) for year, (a, v) in sorted(totals.items())]
