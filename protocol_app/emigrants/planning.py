"""Planning an invited applicant's week: dates, hotel, travel of guest and companion, the
volunteer companion and transfers — with the costs against the year's budget. A plan that
would exceed the budget needs a reason, and the warning is shown until it has one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from ..core.audit import record_event
from ..core.db import advisory_lock, transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import format_d
from ..core.time import BERLIN, EARLIEST_YEAR, LATEST_YEAR, is_time_zone, today_berlin
from ..extensions import db
from .models import Application, StayPlan, StayProgrammeItem, TravelBooking
from .settings_models import YearBudget
from .workflow import ApplicationState

#: A visit lasts a week.
USUAL_LENGTH = timedelta(days=7)
PLANNABLE_STATES = (ApplicationState.INVITED, ApplicationState.CONFIRMED, ApplicationState.TRAVEL_BOOKED)
#: Cases whose stay costs the year's budget: planned or taken place. A withdrawn or rejected
#: guest's planned costs are released.
COMMITTING_STATES = (*PLANNABLE_STATES, ApplicationState.VISITED, ApplicationState.CLOSED)
#: Cases whose stay took place: what they booked has been spent.
SPENT_STATES = (ApplicationState.VISITED, ApplicationState.CLOSED)


@dataclass(frozen=True)
class BudgetStatus:
    year: int
    budget: Decimal | None
    #: Costs of every stay of the year still planned or taken place.
    committed: Decimal
    #: Costs of stays that took place.
    spent: Decimal

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed


def _stay_costs(year: int, states) -> Decimal:
    stays = sa.select(StayPlan.application_id, StayPlan.hotel_cost).join(Application).where(
        sa.extract("year", StayPlan.arrives_on) == year, Application.state.in_(states))
    rows = db.session.execute(stays).all()
    ids = [application_id for application_id, _cost in rows]
    travel = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(TravelBooking.cost), 0)).where(
        TravelBooking.application_id.in_(ids))) if ids else 0
    return sum((cost or Decimal("0") for _id, cost in rows), Decimal("0")) + Decimal(str(travel or 0))


def budget_status(year: int) -> BudgetStatus:
    budget = db.session.get(YearBudget, year)
    return BudgetStatus(year, budget.amount if budget else None, _stay_costs(year, COMMITTING_STATES),
                        _stay_costs(year, SPENT_STATES))


def plan_of(application: Application) -> StayPlan | None:
    return db.session.scalar(sa.select(StayPlan).where(StayPlan.application_id == application.id))


def bookings_of(application: Application) -> list[TravelBooking]:
    return list(db.session.scalars(sa.select(TravelBooking).where(
        TravelBooking.application_id == application.id).order_by(TravelBooking.departs_at)))


def has_arrived(application: Application, actor=None) -> object | None:
    """Guard of "visit took place": not before the guest's arrival day."""
    plan = plan_of(application)
    if plan is None or plan.arrives_on > today_berlin():
        return _l("The visit can be marked as taken place from the arrival day on.")
    return None


def require_plannable(application: Application) -> None:
    """The week can be planned (stay, travel, programme) from the invitation until the travel is booked."""
    if application.state not in PLANNABLE_STATES:
        raise DomainError(_l("Only an invited applicant's visit can be planned."))


def check_companion_born_before(companion_birth_date: date | None, departs_on: date) -> None:
    """A companion cannot be born after the stay they come along to has ended."""
    if companion_birth_date and companion_birth_date > departs_on:
        raise ValidationFailed(_l(
            "The companion's date of birth (%(born)s) lies after the return date (%(back)s); please correct "
            "the date of birth in the application.", born=format_d(companion_birth_date),
            back=format_d(departs_on)), field="companion_birth_date")


def _items_outside(application: Application, arrives_on: date, departs_on: date) -> int:
    items = db.session.scalars(sa.select(StayProgrammeItem).where(StayProgrammeItem.application_id == application.id))
    return sum(1 for item in items if not (arrives_on <= item.starts_at.astimezone(BERLIN).date()
                                           and item.ends_at.astimezone(BERLIN).date() <= departs_on))


def _check_budget(application: Application, plan: StayPlan, extra: Decimal, reason: str | None) -> None:
    # Costs are booked against a year's budget one at a time, so two plans cannot both take its rest.
    advisory_lock(f"emigrant-budget:{plan.arrives_on.year}")
    status = budget_status(plan.arrives_on.year)
    if status.budget is not None and status.committed + extra > status.budget:
        if not (reason or plan.overrun_reason or "").strip():
            raise ValidationFailed(_l(
                "This would exceed the budget of %(year)s (%(budget)s EUR, %(committed)s EUR committed). "
                "Please give the reason for accepting the costs.", year=status.year, budget=status.budget,
                committed=status.committed + extra), field="overrun_reason")
        plan.overrun_reason = (reason or plan.overrun_reason).strip()[:500]


@transactional
def save_plan(application: Application, *, actor, arrives_on: date, departs_on: date | None = None, hotel=None,
              room_type=None, half_board: bool = True, hotel_cost: Decimal | None = None, volunteer=None,
              transfers=None, overrun_reason: str | None = None, volunteer_email: str | None = None) -> StayPlan:
    """Record or change the stay; a week by default."""
    require_plannable(application)
    departs_on = departs_on or arrives_on + USUAL_LENGTH
    if departs_on <= arrives_on:
        raise ValidationFailed(_l("The departure must be after the arrival."), field="departs_on")
    if hotel_cost is not None and hotel_cost < 0:
        raise ValidationFailed(_l("Costs cannot be negative."), field="hotel_cost")
    check_companion_born_before(application.companion_birth_date, departs_on)
    outside = _items_outside(application, arrives_on, departs_on)
    if outside:
        raise ValidationFailed(lazy_ngettext("%(n)s programme item would lie outside the new dates; please move it first.",
                                             "%(n)s programme items would lie outside the new dates; please move "
                                             "them first.", outside, n=outside), field="arrives_on")
    plan = plan_of(application) or StayPlan(application_id=application.id)
    volunteer_email = (volunteer_email or "").strip() or None
    if volunteer_email != plan.volunteer_email:
        # A new address must not open the link sent to the old one.
        plan.volunteer_email, plan.volunteer_token_hash, plan.volunteer_sent_at = volunteer_email, None, None
    old_cost = plan.hotel_cost or Decimal("0")
    plan.arrives_on, plan.departs_on, plan.hotel, plan.room_type = arrives_on, departs_on, hotel, room_type
    plan.half_board, plan.volunteer, plan.transfers = half_board, volunteer, transfers
    _check_budget(application, plan, (hotel_cost or Decimal("0")) - old_cost, overrun_reason)
    plan.hotel_cost = hotel_cost
    db.session.add(plan)
    db.session.flush()
    record_event("application.stay_plan", actor=actor, target=application, summary=f"{arrives_on} - {departs_on}")
    return plan


@transactional
def add_booking(application: Application, *, actor, traveller: str, mode: str, carrier: str, number=None,
                departs_at: datetime, arrives_at: datetime, booking_code=None, cost: Decimal,
                overrun_reason: str | None = None, departs_tz: str = "Europe/Berlin",
                arrives_tz: str = "Europe/Berlin") -> TravelBooking:
    """A flight or train for the guest or the companion, counted against the budget. The times
    are those of the ticket — local at the place of departure and of arrival (naive, read in
    `departs_tz` / `arrives_tz`) — or aware; they are shown in those zones."""
    for field, zone in (("departs_tz", departs_tz), ("arrives_tz", arrives_tz)):
        if not is_time_zone(zone):
            raise ValidationFailed(_l("Please choose the time zone from the list."), field=field)
    if departs_at.tzinfo is None:
        departs_at = departs_at.replace(tzinfo=ZoneInfo(departs_tz)).astimezone(UTC)
    if arrives_at.tzinfo is None:
        arrives_at = arrives_at.replace(tzinfo=ZoneInfo(arrives_tz)).astimezone(UTC)
    plan = plan_of(application)
    if plan is None:
        raise DomainError(_l("Please plan the dates of the stay first."))
    if traveller not in ("guest", "companion") or mode not in ("flight", "train"):
        raise ValidationFailed(_l("Please choose who travels and how."))
    if traveller == "companion" and not application.companion_name:
        raise ValidationFailed(_l("This applicant travels without a companion."))
    if arrives_at <= departs_at:
        raise ValidationFailed(_l("The arrival must be after the departure."), field="arrives_at")
    if cost is None or cost < 0:
        raise ValidationFailed(_l("Costs cannot be negative."), field="cost")
    _check_budget(application, plan, cost, overrun_reason)
    booking = TravelBooking(application_id=application.id, traveller=traveller, mode=mode, carrier=carrier.strip(),
                            number=number, departs_at=departs_at, arrives_at=arrives_at, booking_code=booking_code,
                            cost=cost, departs_tz=departs_tz, arrives_tz=arrives_tz)
    db.session.add(booking)
    db.session.flush()
    record_event("application.travel_booking", actor=actor, target=application, summary=f"{traveller} {mode}")
    return booking


@transactional
def set_budget(year: int, amount: Decimal, *, actor) -> YearBudget:
    """Admins set the year's budget."""
    if amount < 0 or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationFailed(_l("Please give a year and an amount of 0 or more."))
    budget = db.session.get(YearBudget, year) or YearBudget(year=year)
    budget.amount = amount
    db.session.add(budget)
    db.session.flush()
    record_event("emigrants.budget", actor=actor, summary=f"{year}: {amount}")
    return budget
