"""Start-page cards of the visits area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import aliased

from ..core.audit import record_read
from ..core.checklists.models import Task
from ..core.dashboard import register_card
from ..core.permissions import Permission, user_has
from ..core.references import format_reference
from ..core.time import now_utc, today_berlin
from ..extensions import db
from . import permissions
from .models import Visit, VisitKind
from .services import SCOPE
from .workflow import OPEN_STATES

#: Visits per list on a card.
CARD_LENGTH = 5
#: Due and overdue tasks on the officer's card.
OVERDUE_LENGTH = 10
#: Tasks due within this many days count as due.
DUE_WITHIN_DAYS = 7


@dataclass(frozen=True)
class VisitLine:
    """One visit as a card lists it: what the line shows, nothing loaded behind it."""

    title: str
    kind: str
    arrival_at: datetime
    reference: str

    @property
    def kind_label(self) -> str:
        return VisitKind(self.kind).label


@dataclass(frozen=True)
class OverdueTask:
    due_on: date
    title: str
    reference: str


def _upcoming_lists(user) -> dict[str, list[VisitLine]]:
    """The next open visits of each list the user's cards show, in one statement per request.

    The officer's and the reader's card both list upcoming visits; as three queries with their
    ORM objects they cost the start page more than the rest of it together."""
    memo = g.setdefault("visit_card_lists", {})
    if user.id in memo:
        return memo[user.id]
    # The visits not yet over are few (found by departure); ordered by arrival with a limit the
    # planner would rather walk the arrival index through every past visit. The materialised CTE
    # takes those few once, with the columns the lists filter on and show, for all lists.
    not_over = (
        sa.select(Visit.id, Visit.title, Visit.kind, Visit.arrival_at, Visit.year, Visit.number,
                  Visit.responsible_officer_id, Visit.deputy_officer_id, Visit.is_confidential)
        .where(Visit.departure_at >= now_utc(), Visit.state.in_(OPEN_STATES))
        .cte("not_over").prefix_with("MATERIALIZED"))
    visit = aliased(Visit, not_over)
    lists = {"readable": permissions.readable_filter(user, visit)}
    if user_has(user, Permission.VISIT_EDIT):
        lists["mine"] = sa.or_(visit.responsible_officer_id == user.id, visit.deputy_officer_id == user.id)
        lists["unassigned"] = visit.responsible_officer_id.is_(None)
    parts = [
        sa.select(
            sa.select(sa.literal(name).label("list"), visit.title, visit.kind, visit.arrival_at, visit.year,
                      visit.number, visit.is_confidential)
            .where(where).order_by(visit.arrival_at).limit(CARD_LENGTH).subquery()
        )
        for name, where in lists.items()
    ]
    found: dict[str, list[VisitLine]] = {name: [] for name in lists}
    confidential = set()
    for row in db.session.execute(sa.union_all(*parts)):
        reference = format_reference(Visit.REFERENCE_PREFIX, row.year, row.number)
        found[row.list].append(VisitLine(row.title, row.kind, row.arrival_at, reference))
        if row.is_confidential:
            confidential.add(reference)
    record_read(user, scope=SCOPE, references=confidential, how="dashboard_read")
    for lines in found.values():
        lines.sort(key=lambda line: line.arrival_at)  # a UNION keeps no order of its parts
    memo[user.id] = found
    return found


def _due_tasks(user) -> list[OverdueTask]:
    # Only the columns the card shows: joined officers, countries and partner city of each visit
    # would make the planner pick a plan for the joins, not for the open-tasks index.
    rows = db.session.execute(
        sa.select(Task.due_on, Task.title, Visit.year, Visit.number, Visit.is_confidential)
        .join(Visit, sa.and_(Task.scope == SCOPE, Task.subject_id == Visit.id))
        .where(Task.owner_id == user.id, Task.done_at.is_(None),
               Task.due_on <= today_berlin() + timedelta(days=DUE_WITHIN_DAYS))
        .order_by(Task.due_on)
        .limit(OVERDUE_LENGTH)
    )
    tasks = [(OverdueTask(row.due_on, row.title, format_reference(Visit.REFERENCE_PREFIX, row.year, row.number)),
              row.is_confidential) for row in rows]
    record_read(user, scope=SCOPE, references={task.reference for task, secret in tasks if secret},
                how="dashboard_read")
    return [task for task, _secret in tasks]


def officer_card(user) -> dict:
    """My next visits, my tasks due within a week or overdue, visits nobody is responsible for."""
    lists = _upcoming_lists(user)
    return {"mine": lists["mine"], "due": _due_tasks(user), "today": today_berlin(),
            "unassigned": lists["unassigned"]}


def reader_card(user) -> dict:
    """The next visits this user may see."""
    return {"upcoming": _upcoming_lists(user)["readable"]}


register_card("visits-officer", "visits/card_officer.html", Permission.VISIT_EDIT, officer_card, 1)
register_card("visits-reader", "visits/card_reader.html", Permission.VISIT_READ, reader_card, 2)
