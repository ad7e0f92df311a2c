"""Who can take an assignment, ranked, with the reasons: language and mode, the weekly
availability, absences, other bookings (with travel time between venues) and a fair share
of this month's work. Runs in a fixed number of queries, however many translators there are."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.orm import joinedload, noload

from ..auth.models import User
from ..core.i18n import format_d
from ..core.time import BERLIN
from ..extensions import db
from .models import (
    Absence,
    AbsenceKind,
    Assignment,
    AvailabilityWindow,
    LanguageSkill,
    Offer,
    ServiceMode,
    TranslatorProfile,
)
from .workflow import BINDING_STATES, AssignmentState, OfferState

#: Time to get from one venue to another between two bookings.
TRAVEL_BUFFER = timedelta(minutes=45)
#: Interpreting assignments are booked by the day at most (a longer one would be split).
LONGEST_ASSIGNMENT = timedelta(hours=24)
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


def _within_windows(windows, starts: datetime, ends: datetime):
    """The (weekday, from, until) window that covers the assignment, or None."""
    start, end = _local(starts), _local(ends)
    if start.date() != end.date():
        return None
    return next((w for w in windows if w[0] == start.weekday() and w[1] <= start.time() and end.time() <= w[2]),
                None)


def _profile_parts(first_day, last_day):
    """Languages, weekly windows and the absences touching the days, per profile, as plain rows.

    Three flat queries instead of relationship loading: with hundreds of translators the
    ORM's per-row bookkeeping, not the database, was the cost.
    """
    languages: dict[int, dict[str, str]] = defaultdict(dict)
    for profile_id, language, level in db.session.execute(
            sa.select(LanguageSkill.profile_id, LanguageSkill.language, LanguageSkill.level)):
        languages[profile_id][language] = level
    windows: dict[int, list] = defaultdict(list)
    for profile_id, weekday, starts, ends in db.session.execute(
            sa.select(AvailabilityWindow.profile_id, AvailabilityWindow.weekday, AvailabilityWindow.starts,
                      AvailabilityWindow.ends)):
        windows[profile_id].append((weekday, starts, ends))
    absences: dict[int, list] = defaultdict(list)
    for profile_id, starts_on, ends_on, kind in db.session.execute(
            sa.select(Absence.profile_id, Absence.starts_on, Absence.ends_on, Absence.kind)
            .where(Absence.starts_on <= last_day, Absence.ends_on >= first_day)):
        absences[profile_id].append((starts_on, ends_on, kind))
    return languages, windows, absences


def _bookings(assignment: Assignment) -> dict[int, list[Assignment]]:
    """Other assignments each translator is offered or booked for around this one's time."""
    if assignment.starts_at is None:
        return {}
    rows = db.session.execute(
        sa.select(Offer.profile_id, Assignment)
        .join(Assignment, Assignment.id == Offer.assignment_id)
        .where(Offer.state.in_(BINDING_STATES), Assignment.id != assignment.id, Assignment.state != AssignmentState.CANCELLED.value,
               Assignment.starts_at < assignment.ends_at + TRAVEL_BUFFER,
               # A lower bound on the start too, so the index on starts_at serves the range.
               Assignment.starts_at > assignment.starts_at - TRAVEL_BUFFER - LONGEST_ASSIGNMENT,
               Assignment.ends_at > assignment.starts_at - TRAVEL_BUFFER)
        .options(noload(Assignment.venue), noload(Assignment.officer))
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
    # Two indexed ranges rather than one COALESCE, which no index can serve.
    in_month = sa.or_(sa.and_(Assignment.starts_at >= first, Assignment.starts_at < following),
                      sa.and_(Assignment.deadline >= first, Assignment.deadline < following))
    rows = db.session.execute(
        sa.select(Offer.profile_id, sa.func.count())
        .join(Assignment, Assignment.id == Offer.assignment_id)
        .where(Offer.state == OfferState.ACCEPTED, in_month)
        .group_by(Offer.profile_id)
    ).all()
    return Counter(dict(rows))


def rank(assignment: Assignment) -> tuple[list[Candidate], list[Excluded]]:
    """The translators who can take `assignment`, best first, and those who cannot, with why."""
    profiles = db.session.scalars(
        sa.select(TranslatorProfile).order_by(TranslatorProfile.id)
        .options(noload(TranslatorProfile.languages), noload(TranslatorProfile.windows),
                 noload(TranslatorProfile.absences), joinedload(TranslatorProfile.user).lazyload(User.role_rows))
    ).all()
    asked = set(db.session.scalars(sa.select(Offer.profile_id).where(Offer.assignment_id == assignment.id)))
    bookings = _bookings(assignment)
    month = _month_counts(assignment)
    first_day = _local(assignment.starts_at or assignment.deadline).date()
    last_day = _local(assignment.ends_at or assignment.deadline).date()
    languages, windows, absences = _profile_parts(first_day, last_day)
    ranked, excluded = [], []
    for profile in profiles:
        reasons = []
        level = languages[profile.id].get(assignment.language)
        if not profile.is_active:
            reasons.append(_l("not active"))
        if profile.id in asked:
            reasons.append(_l("already asked for this assignment"))
        if level is None:
            reasons.append(_l("does not work in this language"))
        if assignment.mode not in profile.mode_values:
            reasons.append(_l("does not work in this mode (%(mode)s)", mode=ServiceMode(assignment.mode).label))
        for starts_on, ends_on, kind in absences[profile.id][:1]:
            reasons.append(_l("absent %(start)s–%(end)s (%(kind)s)", start=format_d(starts_on),
                              end=format_d(ends_on), kind=AbsenceKind(kind).label))
        window = None
        if assignment.starts_at is not None:
            window = _within_windows(windows[profile.id], assignment.starts_at, assignment.ends_at)
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
            why.append(_l("available %(start)s–%(end)s", start=window[1].strftime("%H:%M"),
                          end=window[2].strftime("%H:%M")))
        why.append(lazy_ngettext("%(n)s assignment this month", "%(n)s assignments this month", month.get(profile.id, 0),
                                 n=month.get(profile.id, 0)))
        ranked.append(Candidate(profile, level, month.get(profile.id, 0), why))
    ranked.sort(key=lambda c: (LEVEL_ORDER[c.level], c.this_month, c.profile.name))
    return ranked, excluded
