"""Suggestions to recognise a grave: recorded, statements collected, decided by the Senate."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.time import (
    add_years,
    now_utc,
    require_life_dates,
    today_berlin,
)
from ..extensions import db
from .models import DISTRICTS, TERM_YEARS, GraveSuggestion, HonoraryGrave, SuggestionStatement
from .services import five_years_rule, record_senate_decision
from .workflow import GraveStatus, SuggestionState


@transactional
def record_suggestion(values: dict, *, actor) -> GraveSuggestion:
    """A new suggestion as received (the district and the dates checked)."""
    if values.get("district") not in DISTRICTS:
        raise ValidationFailed(_l("Please choose one of Berlin's twelve districts."), field="district")
    require_life_dates(values.get("born_on"), values.get("died_on"))
    suggestion = GraveSuggestion(state=SuggestionState.RECEIVED.value, **values)
    return workflow.begin(suggestion, actor=actor, audit_action="graves.suggestion_create", summary=suggestion.name)


@transactional
def add_statement(suggestion: GraveSuggestion, *, actor, by_council: bool, author: str, received_on: date | None,
                  summary: str, expected_version: int | None = None) -> SuggestionStatement:
    """A statement received: the departments' while they are asked, the council's while it is."""
    check_version(suggestion, expected_version)
    wanted = SuggestionState.COUNCIL.value if by_council else SuggestionState.DEPARTMENTS.value
    if suggestion.state != wanted:
        raise ValidationFailed(_l("This statement is not asked for at this step."))
    if not (summary or "").strip():
        raise ValidationFailed(_l("Please summarise the statement."), field="summary")
    author = (author or "").strip()
    if not by_council and not author:
        raise ValidationFailed(_l("Please name the Senate department."), field="author")
    statement = SuggestionStatement(by_council=by_council, author=author or str(_l("Rat der Bürgermeister")),
                                    received_on=received_on or today_berlin(), summary=summary.strip())
    suggestion.statements.append(statement)
    suggestion.updated_at = now_utc()  # a change of the suggestion: an older form of it is now stale
    db.session.flush()
    record_event("graves.suggestion_statement", actor=actor, target=suggestion, summary=statement.author)
    return statement


def is_undecided(suggestion: GraveSuggestion) -> bool:
    """Whether the Senate has yet to decide on the suggestion."""
    return suggestion.state in (SuggestionState.RECEIVED.value, SuggestionState.DEPARTMENTS.value,
                                SuggestionState.COUNCIL.value)


def statement_asked(suggestion: GraveSuggestion) -> str | None:
    """Whose statement the suggestion's step asks for: "departments", "council", or None."""
    return {SuggestionState.DEPARTMENTS.value: "departments",
            SuggestionState.COUNCIL.value: "council"}.get(suggestion.state)


def five_years_problem(suggestion: GraveSuggestion):
    """The five-years rule on the day of the decision (or today)."""
    return five_years_rule(suggestion.died_on, suggestion.decision_date or today_berlin())


@transactional
def decide(suggestion: GraveSuggestion, action: str, *, actor, decision_date: date | None, decision_reference: str,
           comment: str | None = None, expected_version: int | None = None) -> None:
    """The Senate's decision: recognised (the grave enters the register) or not."""
    record_senate_decision(suggestion, decision_date, decision_reference, expected_version)
    workflow.apply(suggestion, action, actor=actor, comment=comment)


def enter_register(suggestion: GraveSuggestion, actor) -> None:
    """The recognised grave as a register entry: 20 years from the decision, honorary citizens without limit."""
    since = suggestion.decision_date or today_berlin()
    grave = HonoraryGrave(
        name=suggestion.name, born_on=suggestion.born_on, died_on=suggestion.died_on,
        honoured_for=suggestion.honoured_for, cemetery=suggestion.cemetery, location=suggestion.location,
        district=suggestion.district, honorary_citizen=suggestion.honorary_citizen, recognised_since=since,
        term_ends_on=None if suggestion.honorary_citizen else add_years(since, TERM_YEARS),
        decision_date=suggestion.decision_date, decision_reference=suggestion.decision_reference,
        status=GraveStatus.RECOGNISED.value)
    db.session.add(grave)
    db.session.flush()
    suggestion.grave_id = grave.id
    record_event("graves.create", actor=actor, target=grave, summary="recognised by the Senate")
