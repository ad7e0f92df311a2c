"""Start-page cards of the visits area."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import lazyload, load_only, noload

from ..core.checklists.models import Task
from ..core.dashboard import register_card
from ..core.permissions import Permission
from ..core.time import now_utc, today_berlin
from ..extensions import db
from . import permissions
from .models import Visit
from .services import SCOPE
from .workflow import OPEN_STATES


def _upcoming(stmt, limit=5):
    # The visits not yet over are few (found by departure); ordered by arrival with a limit the
    # planner would rather walk the arrival index through every past visit. The materialised CTE
    # makes it take the few first.
    not_over = (sa.select(Visit.id).where(Visit.departure_at >= now_utc(), Visit.state.in_(OPEN_STATES))
                .cte("not_over").prefix_with("MATERIALIZED"))
    return db.session.scalars(
        stmt.join(not_over, not_over.c.id == Visit.id)
        .options(lazyload("*"), load_only(Visit.title, Visit.kind, Visit.arrival_at, Visit.year, Visit.number))
        .order_by(Visit.arrival_at)
        .limit(limit)
    ).all()


def officer_card(user) -> dict:
    """My next visits, my overdue tasks, visits nobody is responsible for."""
    mine = _upcoming(sa.select(Visit).where(
        sa.or_(Visit.responsible_officer_id == user.id, Visit.deputy_officer_id == user.id)))
    today = today_berlin()
    # Only what the card shows: the joined officers, countries and partner city of each visit
    # would make the planner pick a plan for the joins, not for the open-tasks index.
    overdue = db.session.execute(
        sa.select(Task, Visit)
        .join(Visit, sa.and_(Task.scope == SCOPE, Task.subject_id == Visit.id))
        .where(Task.owner_id == user.id, Task.done_at.is_(None), Task.due_on < today)
        .options(noload(Visit.hosts), lazyload("*"))
        .order_by(Task.due_on)
        .limit(10)
    ).all()
    unassigned = _upcoming(sa.select(Visit).where(Visit.responsible_officer_id.is_(None)))
    return {"mine": mine, "overdue": overdue, "unassigned": unassigned}


def reader_card(user) -> dict:
    """The next visits this user may see."""
    return {"upcoming": _upcoming(sa.select(Visit).where(permissions.readable_filter(user)))}


register_card("visits-officer", "visits/card_officer.html", Permission.VISIT_EDIT, officer_card, 1)
register_card("visits-reader", "visits/card_reader.html", Permission.VISIT_READ, reader_card, 2)
