"""Start-page cards of the language service: the translator's open offers and next
assignments, and the officer's offers nobody has answered yet."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.i18n import format_dt
from ..core.permissions import Permission
from ..core.time import now_utc
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .models import Assignment, Offer, TranslatorProfile
from .workflow import AssignmentState, OfferState

#: An offer whose deadline is this close is shown as pressing.
PRESSING = timedelta(days=1)


def _own_offers(user, state: OfferState):
    return (sa.select(Offer).join(TranslatorProfile).join(Assignment, Offer.assignment_id == Assignment.id)
            .where(TranslatorProfile.user_id == user.id, Offer.state == state.value))


def open_offers(user) -> list[WorkItem]:
    """The translator's offers still to answer, the nearest deadline first."""
    now = now_utc()
    offers = db.session.scalars(_own_offers(user, OfferState.OFFERED)
                                .order_by(sa.func.coalesce(Assignment.deadline, Assignment.starts_at), Offer.id)
                                .limit(CARD_LENGTH + 1))
    items = []
    for offer in offers:
        assignment = offer.assignment
        due = assignment.deadline or assignment.starts_at
        items.append(WorkItem(f"{assignment.reference} · {assignment.title}",
                              url_for("translations.offer", offer_id=offer.id), when=assignment.starts_at,
                              note=_("Please answer by %(when)s", when=format_dt(due)) if due else "",
                              urgent=bool(due and due - now < PRESSING)))
    return items


def next_assignments(user) -> list[WorkItem]:
    """The translator's accepted assignments still ahead, the next first."""
    offers = db.session.scalars(_own_offers(user, OfferState.ACCEPTED)
                                .where(sa.func.coalesce(Assignment.starts_at, Assignment.deadline) >= now_utc())
                                .order_by(sa.func.coalesce(Assignment.starts_at, Assignment.deadline))
                                .limit(CARD_LENGTH + 1))
    return [WorkItem(f"{o.assignment.reference} · {o.assignment.title}", url_for("translations.offer", offer_id=o.id),
                     when=o.assignment.starts_at or o.assignment.deadline) for o in offers]


def unanswered_offers(user) -> list[WorkItem]:
    """Assignments still being staffed with offers nobody has answered, the nearest first."""
    waiting = (sa.select(Offer.assignment_id, sa.func.count(Offer.id).label("n"))
               .where(Offer.state == OfferState.OFFERED.value).group_by(Offer.assignment_id).subquery())
    rows = db.session.execute(
        sa.select(Assignment, waiting.c.n).join(waiting, waiting.c.assignment_id == Assignment.id)
        .where(Assignment.state.in_([AssignmentState.OFFERED.value, AssignmentState.PARTLY_STAFFED.value]))
        .order_by(sa.func.coalesce(Assignment.deadline, Assignment.starts_at)).limit(CARD_LENGTH + 1))
    return [WorkItem(f"{a.reference} · {a.title}", url_for("translations.assignment", reference=a.reference),
                     when=a.deadline or a.starts_at, note=ngettext("%(num)s offer unanswered", "%(num)s offers unanswered", n)) for a, n in rows]


register_work_card("translator-offers", title=_l("Offers to answer"), empty=_l("No open offers."),
                   permission=Permission.ASSIGNMENT_ANSWER_OWN, items=open_offers,
                   more=lambda: url_for("translations.my_offers"), order=1)
register_work_card("translator-assignments", title=_l("My next assignments"), empty=_l("No assignments ahead."),
                   permission=Permission.ASSIGNMENT_ANSWER_OWN, items=next_assignments,
                   more=lambda: url_for("translations.my_offers"), order=2)
register_work_card("officer-offers", title=_l("Offers not yet answered"),
                   empty=_l("Every offer to interpreters has been answered."), permission=Permission.ASSIGNMENT_MANAGE,
                   items=unanswered_offers, more=lambda: url_for("translations.index"), order=4)
