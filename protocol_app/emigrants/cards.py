"""Start-page cards of the emigrant programme team: applications to check (with duplicates
to settle) and stays starting soon."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.time import today_berlin
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .duplicates import possible_duplicates
from .models import Application, StayPlan
from .workflow import TEAM, ApplicationState

#: How far ahead the team is shown the stays that begin.
STAYS_AHEAD = timedelta(days=30)


def applications_to_check(user) -> list[WorkItem]:
    """Received applications, the oldest first; those with a possible duplicate not yet settled
    say so (the check is refused until it is)."""
    applications = db.session.scalars(
        sa.select(Application).where(Application.state == ApplicationState.RECEIVED.value)
        .order_by(Application.created_at, Application.id).limit(CARD_LENGTH + 1)).all()
    items = []
    for application in applications:
        open_matches = [m for m in possible_duplicates(application) if m.decision is None]
        items.append(WorkItem(
            f"{application.reference} · {application.name}",
            url_for("emigrants.detail", reference=application.reference), when=application.created_at.date(),
            note=ngettext("%(num)s possible duplicate to settle", "%(num)s possible duplicates to settle",
                          len(open_matches)) if open_matches else "",
            urgent=bool(open_matches)))
    return items


def stays_starting(user) -> list[WorkItem]:
    """Planned stays beginning within STAYS_AHEAD, the next first."""
    today = today_berlin()
    rows = db.session.execute(
        sa.select(Application, StayPlan.arrives_on).join(StayPlan, StayPlan.application_id == Application.id)
        .where(StayPlan.arrives_on.between(today, today + STAYS_AHEAD),
               Application.state.in_([ApplicationState.CONFIRMED.value, ApplicationState.TRAVEL_BOOKED.value,
                                      ApplicationState.INVITED.value]))
        .order_by(StayPlan.arrives_on).limit(CARD_LENGTH + 1))
    return [WorkItem(f"{a.reference} · {a.name}", url_for("emigrants.detail", reference=a.reference, _anchor="planning"),
                     when=arrives_on) for a, arrives_on in rows]


register_work_card("emigrants-to-check", title=_l("Applications to check"), empty=_l("No application to check."),
                   permission=TEAM, items=applications_to_check, more=lambda: url_for("emigrants.index"), order=1)
register_work_card("emigrants-stays", title=_l("Stays starting in the next 30 days"),
                   empty=_l("No stay begins in the next 30 days."), permission=TEAM, items=stays_starting,
                   more=lambda: url_for("calendar.index"), order=2)
