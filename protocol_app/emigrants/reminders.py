"""Reminder rules of the emigrant programme (beat; each once). Messages go to the team only and
name the application by reference — never the person, their story or their health."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core.i18n import format_d
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.urls import path_for
from ..core.workflow import TransitionLog
from ..extensions import db
from .models import Application, StayPlan, TravelBooking
from .workflow import APPLICATION_WORKFLOW, ApplicationState

SILENCE = timedelta(days=30)
TRAVEL_CHECK = timedelta(days=21)


def tell_team(notices) -> int:
    """Notify every team member once per notice (key, application, message), all reminders of
    the notices in one statement; the message names the reference only."""
    notices = list(notices)
    if not notices:
        return 0
    team = users_with_role(Role.EMIGRATION)
    rule = notices[0][0].split(":")[0]  # one rule's notices: "emigrants-travel-missing:<id>:<day>"
    told = remind_once(rule, [(f"{key}:user:{member.id}", member, application, (member, application, message))
                              for key, application, message in notices for member in team])
    for member, application, message in told:
        notify(member, message, link=path_for("emigrants.detail", reference=application.reference),
               subject_factory=lambda a=application: _l("%(reference)s: the emigrant programme asks you to act",
                                                        reference=a.reference))
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
    return tell_team((f"emigrants-invitation-unanswered:{a.id}", a, lambda a=a: _l(
        "Application %(reference)s: no answer to the invitation for 30 days.", reference=a.reference))
        for a in rows)


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
    notices = []
    for application, plan in rows:
        needed = {"guest", "companion"} if application.companion_name else {"guest"}
        if needed - booked.get(application.id, set()):
            notices.append((f"emigrants-travel-missing:{application.id}:{plan.arrives_on}", application,
                            lambda a=application, p=plan: _l(
                                "Application %(reference)s: arrival on %(date)s, travel not fully booked.",
                                reference=a.reference, date=format_d(p.arrives_on))))
    return tell_team(notices)
