"""The emigrant programme's stays in the team's calendar: by reference only, never a name
(a calendar on a phone or a shared screen must not show who is coming)."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa

from ..calendar.sources import CalendarEntry, register_source
from ..core.time import BERLIN
from ..core.urls import path_for
from ..extensions import db
from . import permissions
from .models import Application, StayPlan
from .programme import OCCUPYING_STATES
from .workflow import ApplicationState


def stay_entries(user, start, end) -> list[CalendarEntry]:
    """The weeks in Berlin of invited and coming guests, as all-day spans, for the team only."""
    if not permissions.can_access(user):
        return []
    rows = db.session.execute(
        sa.select(StayPlan, Application).join(Application, StayPlan.application_id == Application.id)
        .where(Application.state.in_(OCCUPYING_STATES), StayPlan.arrives_on < end.date(),
               StayPlan.departs_on >= start.date())).all()
    return [
        CalendarEntry(
            uid=f"emigrant-stay-{plan.id}@protokoll", title=f"Emigrantenprogramm · {application.reference}",
            starts_at=datetime.combine(plan.arrives_on, time(0), BERLIN),
            ends_at=datetime.combine(plan.departs_on, time(23, 59), BERLIN), sequence=application.version,
            css_class="emigrant-stay", link=path_for("emigrants.detail", reference=application.reference),
            all_day=True, status="TENTATIVE" if application.state == ApplicationState.INVITED else "CONFIRMED",
            confidential=("emigrants", application.reference),
        )
        for plan, application in rows
    ]


register_source("emigrant-stays", stay_entries)
