"""The manager's start-page card: the honours cases waiting for her decision."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.audit import record_read
from ..core.permissions import Permission
from ..core.time import now_utc
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .services import waiting_for

#: Days in a step after which a case is shown as pressing.
PRESSING_DAYS = 14


def decisions_waiting(user) -> list[WorkItem]:
    """The cases in a step `user` decides, oldest first; showing them is a logged read."""
    cases = db.session.scalars(waiting_for(user).limit(CARD_LENGTH + 1)).all()
    record_read(user, scope="nomination", references=[c.reference for c in cases], how="dashboard_read")
    now, items = now_utc(), []
    for case in cases:
        days = (now - case.step_entered_at).days if case.step_entered_at else 0
        items.append(WorkItem(
            f"{case.reference} · {case.nominee_name}", url_for("honours.detail", reference=case.reference),
            note=_("%(award)s · %(step)s · %(days)s days in the step", award=case.award_type.name,
                   step=case.current_step.name if case.current_step else "", days=days),
            urgent=days > PRESSING_DAYS))
    return items


register_work_card("honours-decisions", title=_l("Waiting for your decision"),
                   empty=_l("No honours case is waiting for your decision."), permission=Permission.HONOURS_DECIDE,
                   items=decisions_waiting, more=lambda: url_for("honours.desk"), more_label=_l("Decision desk"),
                   order=1)
