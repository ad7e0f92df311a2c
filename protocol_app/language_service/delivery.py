"""After the booking: the source and the delivered file of written translations, the
officer's confirmation that an assignment took place (hours or lines), and the monthly
report per translator with the amount due to freelancers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, NotAllowed, ValidationFailed
from ..core.files import store_upload
from ..core.i18n import format_number
from ..core.notifications.services import notify
from ..core.time import BERLIN, now_utc
from ..core.urls import path_for
from ..extensions import db
from . import notices
from .models import Assignment, Employment, Offer, TranslatorProfile
from .workflow import OfferState

#: Interpreting up to this long is paid as a half day.
HALF_DAY_HOURS = Decimal("4")
#: Hours an interpreting job may run over its booked time before the figure is a typing error.
HOURS_MARGIN = Decimal("1")


def accepted_offers(assignment: Assignment) -> list[Offer]:
    return list(db.session.scalars(sa.select(Offer).where(Offer.assignment_id == assignment.id,
                                                          Offer.state == OfferState.ACCEPTED)))


@transactional
def attach_source(assignment: Assignment, *, actor, filename: str, data: bytes) -> None:
    """The officer attaches the text to translate."""
    if assignment.kind != "written":
        raise DomainError(_l("Only written translations have a source document."))
    assignment.source_file = store_upload(filename, data, actor=actor)
    db.session.flush()
    record_event("assignment.source", actor=actor, target=assignment, summary=assignment.source_file.original_name)


@transactional
def deliver(assignment: Assignment, *, actor, filename: str, data: bytes) -> None:
    """The translator who accepted uploads the translation, before the deadline."""
    if assignment.kind != "written":
        raise DomainError(_l("Only written translations are delivered as a file."))
    if not any(o.profile.user_id == actor.id for o in accepted_offers(assignment)):
        raise NotAllowed(_l("Only the translator who accepted this assignment can deliver it."))
    if now_utc() > assignment.deadline:
        raise DomainError(_l("The deadline has passed; please send the translation to the protocol officer."))
    assignment.translation_file = store_upload(filename, data, actor=actor)
    assignment.delivered_at = now_utc()
    db.session.flush()
    record_event("assignment.delivered", actor=actor, target=assignment)
    if assignment.officer:
        notify(assignment.officer, notices.TRANSLATION_DELIVERED, {"reference": assignment.reference},
               link=path_for("translations.assignment", reference=assignment.reference))


@transactional
def mark_received(assignment: Assignment, *, actor) -> None:
    """The officer has the delivered translation."""
    if assignment.delivered_at is None:
        raise DomainError(_l("Nothing has been delivered yet."))
    assignment.received_at = now_utc()
    db.session.flush()
    record_event("assignment.received", actor=actor, target=assignment)


@transactional
def confirm(assignment: Assignment, *, actor, hours: Decimal | None = None, lines: int | None = None) -> None:
    """The assignment took place (interpreting: actual hours; written: lines), for the monthly report."""
    if not accepted_offers(assignment):
        raise DomainError(_l("Nobody accepted this assignment."))
    if assignment.kind == "interpreting":
        if assignment.ends_at > now_utc():
            raise DomainError(_l("An assignment can be confirmed only after it has ended."))
        most = Decimal((assignment.ends_at - assignment.starts_at).total_seconds() / 3600).quantize(
            Decimal("0.01")) + HOURS_MARGIN
        if hours is None or not Decimal("0") < Decimal(hours) <= most:
            raise ValidationFailed(_l("Please enter the hours worked: more than 0 and at most %(most)s "
                                      "(the booked time and %(margin)s hour for overrunning).",
                                      most=format_number(most), margin=format_number(HOURS_MARGIN)), field="hours")
        assignment.actual_hours = Decimal(hours)
    else:
        if assignment.received_at is None:
            raise DomainError(_l("Please mark the translation as received first."))
        if not lines or lines < 1:
            raise ValidationFailed(_l("Please enter the number of standard lines."), field="lines")
        assignment.lines = lines
    assignment.confirmed_at = now_utc()
    workflow.apply(assignment, "confirm", actor=actor)
    db.session.flush()
    record_event("assignment.confirmed", actor=actor, target=assignment,
                 summary=f"{assignment.actual_hours or ''} h {assignment.lines or ''} lines")


@dataclass
class MonthRow:
    profile: TranslatorProfile
    assignments: int
    hours: Decimal
    lines: int
    #: For freelancers; None for in-house staff.
    amount_due: Decimal | None


def _fee(profile: TranslatorProfile, assignment: Assignment) -> Decimal:
    if assignment.kind == "written":
        return (profile.rate_line or Decimal("0")) * (assignment.lines or 0)
    if assignment.actual_hours <= HALF_DAY_HOURS:
        return profile.rate_half_day or Decimal("0")
    return profile.rate_day or Decimal("0")


@dataclass
class OwnRow:
    """One confirmed job on a translator's own statement."""

    assignment: Assignment
    #: What the office pays for it (freelancers); None for in-house staff.
    fee: Decimal | None


@dataclass
class OwnMonth:
    month: date
    rows: list[OwnRow]
    hours: Decimal
    lines: int
    #: None for in-house staff.
    fees: Decimal | None


def own_statement(profile: TranslatorProfile, year: int) -> list[OwnMonth]:
    """A translator's confirmed jobs of a year by month, with hours, lines and fees — the same
    figures the office's monthly report pays out."""
    first, following = datetime(year, 1, 1, tzinfo=BERLIN), datetime(year + 1, 1, 1, tzinfo=BERLIN)
    when = sa.func.coalesce(Assignment.starts_at, Assignment.deadline)
    jobs = db.session.scalars(
        sa.select(Assignment).join(Offer, Offer.assignment_id == Assignment.id)
        .where(Offer.profile_id == profile.id, Offer.state == OfferState.ACCEPTED,
               Assignment.confirmed_at.is_not(None), when >= first, when < following).order_by(when))
    freelance = profile.employment == Employment.FREELANCE.value
    months: dict[int, OwnMonth] = {}
    for job in jobs:
        number = (job.starts_at or job.deadline).astimezone(BERLIN).month
        month = months.setdefault(number, OwnMonth(date(year, number, 1), [], Decimal("0"), 0,
                                                   Decimal("0") if freelance else None))
        row = OwnRow(job, _fee(profile, job) if freelance else None)
        month.rows.append(row)
        month.hours += job.actual_hours or 0
        month.lines += job.lines or 0
        if freelance:
            month.fees += row.fee
    return [months[n] for n in sorted(months)]


def month_report(year: int, month: int) -> list[MonthRow]:
    """Confirmed assignments of a month per translator, in two queries."""
    first = datetime(year, month, 1, tzinfo=BERLIN)
    following = (first + timedelta(days=32)).replace(day=1)
    when = sa.func.coalesce(Assignment.starts_at, Assignment.deadline)
    rows = db.session.execute(
        sa.select(Offer.profile_id, Assignment).join(Assignment, Assignment.id == Offer.assignment_id)
        .where(Offer.state == OfferState.ACCEPTED, Assignment.confirmed_at.is_not(None), when >= first, when < following)
    ).all()
    profiles = {p.id: p for p in db.session.scalars(sa.select(TranslatorProfile).where(
        TranslatorProfile.id.in_({pid for pid, _a in rows})))}
    report: dict[int, MonthRow] = {}
    for profile_id, assignment in rows:
        profile = profiles[profile_id]
        freelance = profile.employment == Employment.FREELANCE.value
        row = report.setdefault(profile_id, MonthRow(profile, 0, Decimal("0"), 0, Decimal("0") if freelance else None))
        row.assignments += 1
        row.hours += assignment.actual_hours or 0
        row.lines += assignment.lines or 0
        if freelance:
            row.amount_due += _fee(profile, assignment)
    return sorted(report.values(), key=lambda r: r.profile.name)

