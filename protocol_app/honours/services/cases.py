"""Recording a case and its parts (merits, statements, disclosures), audited without the
nominee's data."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...auth.forms import officer_choices
from ...core import workflow
from ...core.audit import changes_of, record_event
from ...core.db import check_version, transactional
from ...core.errors import DomainError, ValidationFailed
from ...core.permissions import Permission
from ...core.record_parts import RecordParts
from ...core.references import next_number
from ...core.time import now_utc, require_life_dates, require_not_after_today, today_berlin
from ...directory.models import Country
from ...extensions import db
from ..models import (
    REFERENCE_PREFIX,
    AwardType,
    DisclosureNote,
    Gender,
    Merit,
    Nomination,
    NominationAttachment,
    Statement,
    SuggesterKind,
)
from ..workflow import EDITABLE_STATES, PENDING_STATES, require_editable

SCOPE = "nomination"

CASE_FIELDS = ("award_type_id", "nominee_name", "nominee_birth_name", "birth_date", "birth_place", "nationality",
               "address", "occupation", "gender", "died_on", "suggested_by", "suggester_kind",
               "suggester_entitlement", "justification", "existing_honours")
def today() -> date:
    return today_berlin()


#: Fields whose values the audit log may hold: none of them names or describes a person.
AUDIT_VALUE_FIELDS = frozenset({"award_type_id", "award_date", "year", "number", "state", "step_position",
                                "suggester_kind", "created_by_id", "reviewed_by_id"})


def _audit_changes(case: Nomination) -> dict:
    """Which fields changed — their values only where they name nobody (admins read the log,
    and have no access to honours: not the nominee, not the suggester, not the justification)."""
    return changes_of(case, values_of=AUDIT_VALUE_FIELDS)


def _validate(values: dict) -> AwardType:
    award_type = db.session.get(AwardType, values.get("award_type_id") or 0)
    if award_type is None or not award_type.is_active:
        raise ValidationFailed(_l("Please choose an award."), field="award_type_id")
    if not (values.get("nominee_name") or "").strip():
        raise ValidationFailed(_l("Please enter the nominee's name."), field="nominee_name")
    if not (values.get("suggested_by") or "").strip():
        raise ValidationFailed(_l("Please enter who suggested the nomination."), field="suggested_by")
    require_life_dates(values.get("birth_date"), values.get("died_on"), born_field="birth_date")
    if values.get("nationality") and db.session.get(Country, values["nationality"]) is None:
        raise ValidationFailed(_l("Unknown country."), field="nationality")
    if values.get("gender", "u") not in {g.value for g in Gender}:
        raise ValidationFailed(_l("Please choose a gender for the statistics."), field="gender")
    if values.get("suggester_kind", "person") not in {k.value for k in SuggesterKind}:
        raise ValidationFailed(_l("Please say whether a person or an institution suggested it."),
                               field="suggester_kind")
    return award_type


@transactional
def create_case(*, actor, values: dict) -> Nomination:
    """Record a suggestion as a new draft case for the coming award date of its type."""
    values = {key: values.get(key) for key in CASE_FIELDS}
    award_type = _validate(values)
    values["gender"] = values.get("gender") or Gender.UNKNOWN.value
    values["suggester_kind"] = values.get("suggester_kind") or SuggesterKind.PERSON.value
    year = today().year
    case = Nomination(state="draft", year=year, number=next_number(REFERENCE_PREFIX, year),
                      award_date=award_type.next_award_date(today()), created_by_id=actor.id,
                      step_entered_at=now_utc(), **values)
    return workflow.begin(case, actor=actor, audit_action="nomination.create", summary=case.reference)


@transactional
def update_case(case: Nomination, *, actor, values: dict, expected_version=None) -> None:
    """Change the case while it is still being prepared."""
    check_version(case, expected_version)
    require_editable(case)
    values = {key: values.get(key) for key in CASE_FIELDS}
    award_type = _validate(values)
    for key, value in values.items():
        setattr(case, key, value)
    if case.award_type_id != award_type.id or "award_type_id" in changes_of(case):
        case.award_date = award_type.next_award_date(today())
    changes = _audit_changes(case)
    db.session.flush()
    if changes:
        record_event("nomination.update", actor=actor, target=case, changes=changes)


def record_death_of(person, died_on: date, *, actor, audit_action: str) -> None:
    """Set the date of death of a nominee or a holder (between birth and today), audited."""
    if died_on > today() or (person.birth_date and died_on < person.birth_date):
        raise ValidationFailed(_l("Please enter a date of death between the birth and today."), field="died_on")
    person.died_on = died_on
    db.session.flush()
    record_event(audit_action, actor=actor, target=person)


def undo_death_of(person, *, actor, reason: str, audit_action: str) -> None:
    """Take back a date of death entered by mistake (with the reason), audited."""
    reason = (reason or "").strip()
    if person.died_on is None:
        raise DomainError(_l("No date of death is recorded."))
    if not reason:
        raise ValidationFailed(_l("Please give the reason for taking the date of death back."), field="reason")
    person.died_on = None
    db.session.flush()
    record_event(audit_action, actor=actor, target=person, summary=reason[:200])


@transactional
def undo_death(case: Nomination, *, actor, reason: str) -> None:
    """The death was recorded by mistake: the case is as before (the rule check with it)."""
    undo_death_of(case, actor=actor, reason=reason, audit_action="nomination.death_undone")


@transactional
def record_death(case: Nomination, died_on: date, *, actor) -> None:
    """A nominee died during the procedure (the rule check then shows it)."""
    record_death_of(case, died_on, actor=actor, audit_action="nomination.death_recorded")


def log_read(case: Nomination, actor) -> None:
    """Every read of a case is logged (the cases are confidential)."""
    record_event("nomination.read", actor=actor, target=case)


# --- parts of a case ----------------------------------------------------------------------


@transactional
def add_merit(case: Nomination, *, actor, description: str, date_from=None, date_to=None) -> Merit:
    require_editable(case)
    if date_from and date_to and date_to < date_from:
        raise ValidationFailed(_l("The end of the period lies before its start."), field="date_to")
    if (date_from and date_from > today()) or (date_to and date_to > today()):
        raise ValidationFailed(_l("Merits cannot lie in the future."), field="date_from")
    merit = Merit(nomination=case, description=description.strip(), date_from=date_from, date_to=date_to)
    db.session.add(merit)
    db.session.flush()
    record_event("nomination.merit_add", actor=actor, target=case)
    return merit


@transactional
def remove_merit(merit: Merit, *, actor) -> None:
    require_editable(merit.nomination)
    record_event("nomination.merit_remove", actor=actor, target=merit.nomination)
    db.session.delete(merit)
    db.session.flush()


@transactional
def request_statement(case: Nomination, *, actor, from_whom: str, requested_on: date) -> Statement:
    """Note that a statement was asked for (the reminder rule chases it after 21 days)."""
    if case.state not in PENDING_STATES:
        raise DomainError(_l("The case is decided; no more statements are collected."))
    require_not_after_today(requested_on, field="requested_on", message=_l("The request date lies in the future."))
    statement = Statement(nomination=case, from_whom=from_whom.strip(), requested_on=requested_on)
    db.session.add(statement)
    db.session.flush()
    record_event("nomination.statement_request", actor=actor, target=case, summary=statement.from_whom)
    return statement


@transactional
def receive_statement(statement: Statement, *, actor, received_on: date, filename=None, data=None) -> None:
    """Record that a statement came in, with its document if there is one."""
    from ...core.files import store_upload

    if received_on > today() or received_on < statement.requested_on:
        raise ValidationFailed(_l("The receipt date must lie between the request and today."),
                               field="received_on")
    statement.received_on = received_on
    if data:
        statement.file = store_upload(filename or "stellungnahme.pdf", data, actor=actor)
    db.session.flush()
    record_event("nomination.statement_received", actor=actor, target=statement.nomination,
                 summary=statement.from_whom)


@transactional
def add_disclosure(case: Nomination, *, actor, text: str, delete_on: date) -> DisclosureNote:
    """Keep a disclosure (e.g. the criminal-record check) until its deletion date."""
    if delete_on <= today():
        raise ValidationFailed(_l("The deletion date must lie in the future."), field="delete_on")
    note = DisclosureNote(nomination=case, text=text.strip(), delete_on=delete_on)
    db.session.add(note)
    db.session.flush()
    record_event("nomination.disclosure_add", actor=actor, target=case, summary=f"delete on {delete_on}")
    return note


@transactional
def erase_due_disclosures(day: date) -> int:
    """Erase disclosure notes whose deletion date has come (real deletion), each audited."""
    due = db.session.scalars(sa.select(DisclosureNote).where(DisclosureNote.delete_on <= day)).all()
    for note in due:
        record_event("nomination.disclosure_erased", target=note.nomination, summary=f"due {note.delete_on}")
        db.session.delete(note)
    db.session.flush()
    return len(due)


NOMINATION_PARTS = RecordParts(
    scope=SCOPE, attachment_model=NominationAttachment, parent_key="nomination_id",
    dates=lambda case: (today(), case.award_date or today()),
    owners=lambda case: {"responsible": case.created_by_id, "deputy": case.reviewed_by_id or case.created_by_id},
    require_open=require_editable, read_permission=Permission.HONOURS_READ,
    edit_permission=Permission.HONOURS_PREPARE,
    owner_choices=officer_choices,
)




def editable(case: Nomination) -> bool:
    return case.state in EDITABLE_STATES

