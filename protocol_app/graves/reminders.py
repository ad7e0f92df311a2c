"""Reminder rules of the honorary graves (run by beat; each reminder once per person and term)."""

from __future__ import annotations

import sqlalchemy as sa

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import add_months, today_berlin
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import HonoraryGrave, RenewalBatch
from .workflow import BatchState, GraveStatus

#: Months before a term ends at which the officers hear of it.
TERM_WARNINGS = (18, 12)
#: Months before a batch's first term end at which the managers hear that it is undecided.
BATCH_WARNING = 3


def _remind_term(months: int) -> int:
    today = today_berlin()
    graves = db.session.scalars(sa.select(HonoraryGrave).where(
        HonoraryGrave.status != GraveStatus.ENDED.value, HonoraryGrave.term_ends_on.is_not(None),
        HonoraryGrave.term_ends_on > today, HonoraryGrave.term_ends_on <= add_months(today, months))).all()
    officers = users_with_role(Role.OFFICER)
    # The term end is part of the key: after an extension the next term is reminded of again.
    due = remind_once(f"grave-term-{months}", [
        (f"grave-term-{months}:{grave.id}:{grave.term_ends_on.isoformat()}:{officer.id}", officer, grave, (officer, grave))
        for grave in graves for officer in officers])
    for officer, grave in due:
        notify(officer, notices.TERM_ENDING, {"name": grave.name, "date": grave.term_ends_on, "months": months},
               link=path_for("graves.renewals"))
    return len(due)


@reminder_rule("grave-term-18")
def remind_terms_in_18_months() -> int:
    """A term ending within 18 months: every officer, once per term."""
    return _remind_term(18)


@reminder_rule("grave-term-12")
def remind_terms_in_12_months() -> int:
    """A term ending within 12 months: every officer again, once per term."""
    return _remind_term(12)


@reminder_rule("grave-batch-undecided")
def remind_undecided_batches() -> int:
    """A renewal batch without a decision three months before its first term ends: the managers."""
    today = today_berlin()
    batches = db.session.scalars(sa.select(RenewalBatch).where(
        RenewalBatch.state != BatchState.DECIDED.value,
        RenewalBatch.first_term_end <= add_months(today, BATCH_WARNING))).all()
    managers = users_with_role(Role.MANAGER)
    due = remind_once("grave-batch-undecided", [
        (f"grave-batch-undecided:{batch.id}:{manager.id}", manager, batch, (manager, batch))
        for batch in batches for manager in managers])
    for manager, batch in due:
        notify(manager, notices.BATCH_UNDECIDED, {"title": batch.title, "date": batch.first_term_end},
               link=path_for("graves.batch", batch_id=batch.id))
    return len(due)
