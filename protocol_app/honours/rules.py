"""The rules of an award, checked by the service and shown to the manager before deciding:
each a pass/fail line with its reason. The cap is also enforced under a row lock when an
approval is recorded (`services.record_decision`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.i18n import format_d
from ..core.time import BERLIN
from ..extensions import db
from .models import AwardType, Holder, Nomination, living_holders_clause
from .workflow import APPROVED_STATES, PENDING_STATES


@dataclass(frozen=True)
class RuleResult:
    key: str
    #: True passed, False failed; None: not switched on for this award type.
    passed: bool | None
    message: object


def _years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


@dataclass(frozen=True)
class CapStatus:
    cap: int | None
    living: int
    approved: int
    pending: int

    @property
    def taken(self) -> int:
        return self.living + self.approved

    @property
    def room(self) -> int | None:
        return None if self.cap is None else self.cap - self.taken


def cap_status(award_type: AwardType, award_date: date | None) -> CapStatus:
    """Living holders, cases approved for `award_date` (not yet holders) and pending cases."""
    living = db.session.scalar(sa.select(sa.func.count(Holder.id)).where(
        Holder.award_type_id == award_type.id, living_holders_clause()))
    approved_filter = [Nomination.award_type_id == award_type.id, Nomination.state.in_(APPROVED_STATES)]
    if award_date is not None:
        approved_filter.append(Nomination.award_date == award_date)
    approved = db.session.scalar(sa.select(sa.func.count(Nomination.id)).where(*approved_filter))
    pending = db.session.scalar(sa.select(sa.func.count(Nomination.id)).where(
        Nomination.award_type_id == award_type.id, Nomination.state.in_(PENDING_STATES)))
    return CapStatus(award_type.cap_living, living, approved, pending)


def cap_rule(case: Nomination) -> RuleResult:
    award_type = case.award_type
    if award_type.cap_living is None:
        return RuleResult("cap", None, _l("No cap of living holders for this award."))
    status = cap_status(award_type, case.award_date)
    counted = status.taken + (0 if case.state in APPROVED_STATES else 1)
    if counted > award_type.cap_living:
        return RuleResult("cap", False, _l(
            "Cap reached: %(living)s living holders and %(approved)s cases approved for this award date; "
            "approving this case would make %(counted)s of at most %(cap)s.",
            living=status.living, approved=status.approved, counted=counted, cap=award_type.cap_living))
    return RuleResult("cap", True, _l(
        "Within the cap: %(counted)s of at most %(cap)s (living holders and approved cases, this one included).",
        counted=counted, cap=award_type.cap_living))


def check_rules(case: Nomination, today: date) -> list[RuleResult]:
    """Every rule of the case's award type, as pass/fail lines with their reasons."""
    award_type = case.award_type
    results = []

    if case.died_on is None:
        results.append(RuleResult("alive", True, _l("The nominee is alive.")))
    elif award_type.posthumous_allowed:
        results.append(RuleResult("alive", True, _l("The nominee has died; this award may be given posthumously.")))
    else:
        results.append(RuleResult("alive", False, _l("The nominee has died; this award is not given posthumously.")))

    if award_type.once_only:
        holds = db.session.scalar(sa.select(Holder.awarded_on).where(
            Holder.award_type_id == award_type.id, Holder.revoked_on.is_(None),
            sa.func.lower(Holder.name) == case.nominee_name.strip().lower(),
            sa.or_(Holder.birth_date.is_(None), case.birth_date is None, Holder.birth_date == case.birth_date),
        ).limit(1))
        results.append(RuleResult("not_held", False, _l("The nominee holds this award already (since %(date)s).",
                                                         date=format_d(holds)))
                       if holds else RuleResult("not_held", True, _l("The nominee does not hold this award yet.")))
    else:
        results.append(RuleResult("not_held", None, _l("This award may be given more than once.")))

    if award_type.min_age is None:
        results.append(RuleResult("min_age", None, _l("No minimum age for this award.")))
    elif case.birth_date is None:
        results.append(RuleResult("min_age", False, _l("The date of birth is missing; the minimum age of %(age)s "
                                                        "cannot be checked.", age=award_type.min_age)))
    else:
        on = case.award_date or today
        age = _years_between(case.birth_date, on)
        results.append(RuleResult("min_age", age >= award_type.min_age, _l(
            "Age on %(date)s: %(age)s (at least %(min)s required).", date=format_d(on), age=age,
            min=award_type.min_age)))

    if award_type.merits_recency_years is None:
        results.append(RuleResult("recency", None, _l("Merits may be of any date for this award.")))
    else:
        dates = [m.last_date for m in case.merits if m.last_date]
        limit = award_type.merits_recency_years
        recent = [d for d in dates if _years_between(d, today) < limit]
        if recent:
            results.append(RuleResult("recency", True, _l("Merits dated within the last %(n)s years (latest %(date)s).",
                                                           n=limit, date=format_d(max(recent)))))
        else:
            results.append(RuleResult("recency", False, _l("No merit dated within the last %(n)s years.", n=limit)))

    missing = [s.from_whom for s in case.statements if s.received_on is None]
    if missing:
        results.append(RuleResult("statements", False, _l("Statements outstanding: %(names)s.",
                                                           names=", ".join(missing))))
    else:
        results.append(RuleResult("statements", True, _l("All statements requested have been received (%(n)s).",
                                                          n=len(case.statements))))

    results.append(cap_rule(case))

    deadline = award_type.deadline_for(case.award_date)
    if deadline is None:
        results.append(RuleResult("deadline", None, _l("No nomination deadline for this award.")))
    else:
        submitted = case.submitted_at.astimezone(BERLIN).date() if case.submitted_at else today
        results.append(RuleResult("deadline", submitted <= deadline, _l(
            "Nomination deadline for %(award)s: %(deadline)s; submitted %(submitted)s.",
            award=format_d(case.award_date), deadline=format_d(deadline),
            submitted=format_d(submitted))))
    return results


def failed(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if r.passed is False]
