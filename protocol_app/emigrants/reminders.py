"""Reminder rules of the emigrant programme (beat; each once). Messages go to the team only and
name the application by reference — never the person, their story or their health."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.urls import path_for
from ..core.workflow import TransitionLog
from ..extensions import db
from . import notices
from .models import Application, StayPlan, TravelBooking
from .workflow import APPLICATION_WORKFLOW, ApplicationState

SILENCE = timedelta(days=30)
TRAVEL_CHECK = timedelta(days=21)


def tell_team(notice, items) -> int:
    """Notify every team member once per item (key, application, values) with a kind of
    `notice`, all reminders of the items in one statement; the notice names the reference only."""
    items = list(items)
    if not items:
        return 0
    team = users_with_role(Role.EMIGRATION)
    rule = items[0][0].split(":")[0]  # one rule's items: "emigrants-travel-missing:<id>:<day>"
    told = remind_once(rule, [(f"{key}:user:{member.id}", member, application, (member, application, values))
                              for key, application, values in items for member in team])
    for member, application, values in told:
        notify(member, notice, {"reference": application.reference, **values},
               link=path_for("emigrants.detail", reference=application.reference))
    return len(told)


@reminder_rule("emigrants-invitation-unanswered")
def remind_unanswered_invitations() -> int:
    """An invited applicant without answer after 30 days: the team."""
    cutoff = now_utc() - SILENCE
    invited_at = (sa.select(TransitionLog.object_id, sa.func.max(TransitionLog.occurred_at).label("at"))
                  .where(TransitionLog.workflow == APPLICATION_WORKFLOW.name, TransitionLog.action == "invite")
                  .group_by(TransitionLog.object_id).subquery())
    rows = db.session.scalars(sa.select(Application).join(invited_at, invited_at.c.object_id == Application.id)
                              .where(Application.state == ApplicationState.INVITED, invited_at.c.at <= cutoff)).all()
    return tell_team(notices.INVITATION_UNANSWERED, ((f"emigrants-invitation-unanswered:{a.id}", a, {}) for a in rows))


@reminder_rule("emigrants-travel-missing")
def remind_missing_bookings() -> int:
    """Travel in 21 days or less with a traveller not yet booked: the team."""
    today = now_utc().date()
    rows = db.session.execute(sa.select(Application, StayPlan).join(StayPlan, StayPlan.application_id == Application.id)
                              .where(Application.state.in_((ApplicationState.CONFIRMED, ApplicationState.TRAVEL_BOOKED)),
                                     StayPlan.arrives_on >= today, StayPlan.arrives_on <= today + TRAVEL_CHECK)).all()
    booked: dict[int, set[str]] = {}
    for application_id, traveller in db.session.execute(sa.select(TravelBooking.application_id, TravelBooking.traveller)
                                                        .where(TravelBooking.application_id.in_([a.id for a, _p in rows]))):
        booked.setdefault(application_id, set()).add(traveller)
    items = []
    for application, plan in rows:
        needed = {"guest", "companion"} if application.companion_name else {"guest"}
        if needed - booked.get(application.id, set()):
            items.append((f"emigrants-travel-missing:{application.id}:{plan.arrives_on}", application,
                          {"date": plan.arrives_on}))
    return tell_team(notices.TRAVEL_MISSING, items)
