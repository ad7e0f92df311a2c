"""Reminder rules of the honorary graves (run by beat; each reminder once per person and term)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core.i18n import format_d
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.time import add_months, today_berlin
from ..core.urls import path_for
from ..extensions import db
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
        notify(officer, lambda g=grave, m=months: _l(
            "The honorary grave of %(name)s: its term ends on %(day)s (in %(months)s months or less). "
            "Put it into a renewal batch.", name=g.name, day=format_d(g.term_ends_on), months=m),
            link=path_for("graves.renewals"),
            subject_factory=lambda g=grave: _l("Honorary grave %(name)s: term ends soon", name=g.name))
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
        notify(manager, lambda b=batch: _l(
            "The renewal batch “%(title)s” has no Senate decision yet; its first term ends on %(day)s.",
            title=b.title, day=format_d(b.first_term_end)),
            link=path_for("graves.batch", batch_id=batch.id),
            subject_factory=lambda b=batch: _l("Honorary graves: a renewal batch awaits its decision"))
    return len(due)
