"""Reminder rules of honours (run by beat; each reminder once per period).

Messages name cases by reference only: the nominee's name never goes into a notification
or an e-mail (DESIGN.md section 6).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.references import format_reference
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc
from ..core.urls import path_for
from ..extensions import db
from . import notices, services
from .models import REFERENCE_PREFIX, AwardType, Nomination, Statement
from .workflow import NominationState

STEP_WAITING_DAYS = 14
STEP_REPEAT_DAYS = 7
STATEMENT_OVERDUE_DAYS = 21
DEADLINE_NOTICES = (30, 7)


def _case_link(case: Nomination) -> str:
    return path_for("honours.detail", reference=case.reference)


@reminder_rule("nomination-step-waiting")
def remind_waiting_steps() -> int:
    """A case waiting in a step for more than 14 days: its deciders, again every 7 days."""
    now = now_utc()
    cases = db.session.scalars(sa.select(Nomination).where(
        Nomination.state == NominationState.IN_APPROVAL, Nomination.step_entered_at <= now - timedelta(days=STEP_WAITING_DAYS)))
    candidates = []
    deciders: dict[str, list] = {}
    for case in cases:
        step = case.current_step
        if step is None:
            continue
        days = (now - case.step_entered_at).days
        period = (days - STEP_WAITING_DAYS) // STEP_REPEAT_DAYS
        entered = case.step_entered_at.isoformat(timespec="minutes")
        if step.role not in deciders:
            deciders[step.role] = users_with_role(Role(step.role))
        candidates += [(f"nomination-step:{case.id}:{step.position}:{entered}:{period}:user:{user.id}", user, case,
                        (case, step, days, user))
                       for user in deciders[step.role] if services.involvement(case, user) is None]
    created = remind_once("nomination-step-waiting", candidates)
    for case, step, days, user in created:
        notify(user, notices.STEP_WAITING, {"reference": case.reference, "step": step.name, "days": days},
               link=_case_link(case))
    return len(created)


@reminder_rule("nomination-statement-overdue")
def remind_overdue_statements() -> int:
    """A statement requested 21 days ago and not received: tell the officer of the case."""
    today = services.today()
    statements = db.session.scalars(sa.select(Statement).join(Nomination).where(
        Statement.received_on.is_(None), Statement.requested_on <= today - timedelta(days=STATEMENT_OVERDUE_DAYS),
        Nomination.state.in_((NominationState.DRAFT, NominationState.SUBMITTED, NominationState.IN_REVIEW, NominationState.IN_APPROVAL, NominationState.PROPOSED))))
    candidates = []
    for statement in statements:
        case = statement.nomination
        officer = case.reviewed_by or case.created_by
        if officer:
            candidates.append((f"nomination-statement:{statement.id}:user:{officer.id}", officer, case,
                               (case, statement, officer)))
    created = remind_once("nomination-statement-overdue", candidates)
    for case, statement, officer in created:
        notify(officer, notices.STATEMENT_OVERDUE,
               {"reference": case.reference, "source": statement.from_whom, "date": statement.requested_on},
               link=_case_link(case))
    return len(created)


@reminder_rule("nomination-deadline")
def remind_cycle_deadline() -> int:
    """The nomination deadline of an annual cycle in 30 and in 7 days: officers, with the open cases."""
    today = services.today()
    candidates = []
    officers = None
    for award_type in db.session.scalars(sa.select(AwardType).where(AwardType.is_active.is_(True))):
        award_date = award_type.next_award_date(today)
        deadline = award_type.deadline_for(award_date)
        if deadline is None or deadline < today:
            continue
        notice = min((d for d in DEADLINE_NOTICES if (deadline - today).days <= d), default=None)
        if notice is None:
            continue
        open_cases = db.session.execute(sa.select(Nomination.year, Nomination.number).where(
            Nomination.award_type_id == award_type.id, Nomination.award_date == award_date,
            Nomination.state.in_((NominationState.DRAFT, NominationState.SUBMITTED, NominationState.IN_REVIEW)))).all()
        references = ", ".join(format_reference(REFERENCE_PREFIX, year, number) for year, number in open_cases) or "—"
        officers = users_with_role(Role.OFFICER) if officers is None else officers
        candidates += [(f"nomination-deadline:{award_type.id}:{deadline}:{notice}:user:{officer.id}", officer, None,
                        (award_type, deadline, references, officer)) for officer in officers]
    created = remind_once("nomination-deadline", candidates)
    for award_type, deadline, references, officer in created:
        notify(officer, notices.DEADLINE, {"award": award_type.name, "date": deadline, "cases": references},
               link=path_for("honours.index"))
    return len(created)


@reminder_rule("nomination-disclosure-erasure")
def erase_disclosures() -> int:
    """Disclosure notes past their deletion date are erased, each with an audit entry."""
    return services.erase_due_disclosures(services.today())
