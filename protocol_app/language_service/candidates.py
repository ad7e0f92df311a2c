"""Who can take an assignment, ranked, with the reasons: language and mode, the weekly
availability, absences, other bookings (with travel time between venues) and a fair share
of this month's work. Runs in a fixed number of queries, however many translators there are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.time import BERLIN
from ..extensions import db
from .models import Assignment, Offer, ServiceMode, TranslatorProfile
from .workflow import BINDING_STATES

#: Time to get from one venue to another between two bookings.
TRAVEL_BUFFER = timedelta(minutes=45)
LEVEL_ORDER = {"A": 0, "B": 1, "C": 2}


@dataclass
class Candidate:
    profile: TranslatorProfile
    level: str
    this_month: int
    reasons: list = field(default_factory=list)


@dataclass
class Excluded:
    profile: TranslatorProfile
    reasons: list = field(default_factory=list)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


def _within_windows(profile: TranslatorProfile, starts: datetime, ends: datetime) -> object | None:
    """The window that covers the assignment, or None."""
    start, end = _local(starts), _local(ends)
    if start.date() != end.date():
        return None
    return next((w for w in profile.windows
                 if w.weekday == start.weekday() and w.starts <= start.time() and end.time() <= w.ends), None)


def _bookings(assignment: Assignment) -> dict[int, list[Assignment]]:
    """Other assignments each translator is offered or booked for around this one's time."""
    if assignment.starts_at is None:
        return {}
    rows = db.session.execute(
        sa.select(Offer.profile_id, Assignment)
        .join(Assignment, Assignment.id == Offer.assignment_id)
        .where(Offer.state.in_(BINDING_STATES), Assignment.id != assignment.id, Assignment.is_cancelled.is_(False),
               Assignment.starts_at < assignment.ends_at + TRAVEL_BUFFER,
               Assignment.ends_at > assignment.starts_at - TRAVEL_BUFFER)
    ).all()
    booked: dict[int, list[Assignment]] = {}
    for profile_id, other in rows:
        booked.setdefault(profile_id, []).append(other)
    return booked


def _clashes(assignment: Assignment, other: Assignment) -> bool:
    """Overlapping, or too close to travel between different venues."""
    if other.starts_at < assignment.ends_at and other.ends_at > assignment.starts_at:
        return True
    same_place = other.venue_id is not None and other.venue_id == assignment.venue_id
    return not same_place


def _month_counts(assignment: Assignment) -> Counter:
    """Accepted assignments per translator in the assignment's month."""
    moment = _local(assignment.starts_at or assignment.deadline)
    first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    when = sa.func.coalesce(Assignment.starts_at, Assignment.deadline)
    rows = db.session.execute(
        sa.select(Offer.profile_id, sa.func.count())
        .join(Assignment, Assignment.id == Offer.assignment_id)
        .where(Offer.state == "accepted", when >= first, when < following)
        .group_by(Offer.profile_id)
    ).all()
    return Counter(dict(rows))


def rank(assignment: Assignment) -> tuple[list[Candidate], list[Excluded]]:
    """The translators who can take `assignment`, best first, and those who cannot, with why."""
    profiles = db.session.scalars(sa.select(TranslatorProfile).order_by(TranslatorProfile.id)).all()
    asked = set(db.session.scalars(sa.select(Offer.profile_id).where(Offer.assignment_id == assignment.id)))
    bookings = _bookings(assignment)
    month = _month_counts(assignment)
    first_day = _local(assignment.starts_at or assignment.deadline).date()
    last_day = _local(assignment.ends_at or assignment.deadline).date()
    ranked, excluded = [], []
    for profile in profiles:
        reasons = []
        level = profile.level_of(assignment.language)
        if not profile.is_active:
            reasons.append(_l("not active"))
        if profile.id in asked:
            reasons.append(_l("already asked for this assignment"))
        if level is None:
            reasons.append(_l("does not work in this language"))
        if assignment.mode not in profile.mode_values:
            reasons.append(_l("does not work in this mode (%(mode)s)", mode=ServiceMode(assignment.mode).label))
        absent = next((a for a in profile.absences if a.starts_on <= last_day and a.ends_on >= first_day), None)
        if absent:
            reasons.append(_l("absent %(start)s–%(end)s (%(kind)s)", start=absent.starts_on.strftime("%d.%m."),
                              end=absent.ends_on.strftime("%d.%m.%Y"), kind=absent.kind_label))
        window = None
        if assignment.starts_at is not None:
            window = _within_windows(profile, assignment.starts_at, assignment.ends_at)
            if window is None:
                reasons.append(_l("not available at this time of the week"))
            clash = next((o for o in bookings.get(profile.id, []) if _clashes(assignment, o)), None)
            if clash:
                reasons.append(_l("booked for %(reference)s at %(time)s", reference=clash.reference,
                                  time=_local(clash.starts_at).strftime("%H:%M")))
        if reasons:
            excluded.append(Excluded(profile, reasons))
            continue
        why = [_l("%(language)s as %(level)s language", language=assignment.language, level=level)]
        if window is not None:
            why.append(_l("available %(start)s–%(end)s", start=window.starts.strftime("%H:%M"),
                          end=window.ends.strftime("%H:%M")))
        why.append(_l("%(n)s assignments this month", n=month.get(profile.id, 0)))
        ranked.append(Candidate(profile, level, month.get(profile.id, 0), why))
    ranked.sort(key=lambda c: (LEVEL_ORDER[c.level], c.this_month, c.profile.name))
    return ranked, excluded
