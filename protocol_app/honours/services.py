"""Rules of honours: recording a case and its parts, moving it through its approval
chain under the four-eyes rule, recording the Senate's decision within the cap, and
the register of holders.

Every function takes the acting user, runs in one SAVEPOINT and is audited. Audit
entries name the case by reference and list changed fields, never the nominee's data.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.forms import officer_choices
from ..core import workflow
from ..core.audit import changes_of, record_event
from ..core.db import check_version, transactional
from ..core.errors import DomainError, NotAllowed, ValidationFailed
from ..core.permissions import Permission
from ..core.record_parts import RecordParts
from ..core.references import next_number
from ..core.time import now_utc, today_berlin
from ..directory.models import Country
from ..extensions import db
from . import rules
from .models import (
    REFERENCE_PREFIX,
    ApprovalStep,
    AwardType,
    DisclosureNote,
    Gender,
    Holder,
    Merit,
    Nomination,
    NominationAttachment,
    Statement,
    StepDecision,
    StepOutcome,
    SuggesterKind,
)
from .workflow import EDITABLE_STATES, GUARDS, PENDING_STATES, require_editable

SCOPE = "nomination"

CASE_FIELDS = ("award_type_id", "nominee_name", "nominee_birth_name", "birth_date", "birth_place", "nationality",
               "address", "occupation", "gender", "died_on", "suggested_by", "suggester_kind",
               "suggester_entitlement", "justification", "existing_honours")
#: Personal data of the nominee: the audit log says that they changed, not what they are.

def today() -> date:
    return today_berlin()


#: Fields whose values the audit log may hold: none of them names or describes a person.
AUDIT_VALUE_FIELDS = frozenset({"award_type_id", "award_date", "year", "number", "state", "step_position",
                                "suggester_kind", "created_by_id", "reviewed_by_id"})


def _audit_changes(case: Nomination) -> dict:
    """Which fields changed — their values only where they name nobody (admins read the log,
    and have no access to honours: not the nominee, not the suggester, not the justification)."""
    return {key: (value if key in AUDIT_VALUE_FIELDS else ["…", "…"]) for key, value in changes_of(case).items()}


def _validate(values: dict) -> AwardType:
    award_type = db.session.get(AwardType, values.get("award_type_id") or 0)
    if award_type is None or not award_type.is_active:
        raise ValidationFailed(_l("Please choose an award."), field="award_type_id")
    if not (values.get("nominee_name") or "").strip():
        raise ValidationFailed(_l("Please enter the nominee's name."), field="nominee_name")
    if not (values.get("suggested_by") or "").strip():
        raise ValidationFailed(_l("Please enter who suggested the nomination."), field="suggested_by")
    born, died = values.get("birth_date"), values.get("died_on")
    if born and born > today():
        raise ValidationFailed(_l("The date of birth lies in the future."), field="birth_date")
    if died and died > today():
        raise ValidationFailed(_l("The date of death lies in the future."), field="died_on")
    if born and died and died < born:
        raise ValidationFailed(_l("The date of death lies before the date of birth."), field="died_on")
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
    db.session.add(case)
    db.session.flush()
    record_event("nomination.create", actor=actor, target=case, summary=case.reference, changes=_audit_changes(case))
    return case


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


def _record_death(person, died_on: date, *, actor, audit_action: str) -> None:
    """Set the date of death of a nominee or a holder (between birth and today), audited."""
    if died_on > today() or (person.birth_date and died_on < person.birth_date):
        raise ValidationFailed(_l("Please enter a date of death between the birth and today."), field="died_on")
    person.died_on = died_on
    db.session.flush()
    record_event(audit_action, actor=actor, target=person)


@transactional
def record_death(case: Nomination, died_on: date, *, actor) -> None:
    """A nominee died during the procedure (the rule check then shows it)."""
    _record_death(case, died_on, actor=actor, audit_action="nomination.death_recorded")


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
    if requested_on > today():
        raise ValidationFailed(_l("The request date lies in the future."), field="requested_on")
    statement = Statement(nomination=case, from_whom=from_whom.strip(), requested_on=requested_on)
    db.session.add(statement)
    db.session.flush()
    record_event("nomination.statement_request", actor=actor, target=case, summary=statement.from_whom)
    return statement


@transactional
def receive_statement(statement: Statement, *, actor, received_on: date, filename=None, data=None) -> None:
    """Record that a statement came in, with its document if there is one."""
    from ..core.files import store_upload

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


# --- the approval chain -------------------------------------------------------------------


def involvement(case: Nomination, actor) -> object | None:
    """Why `actor` may not decide a step of this case (four-eyes rule), or None."""
    if actor.id in {case.created_by_id, case.reviewed_by_id, case.suggested_by_user_id}:
        return _l("Four-eyes rule: you created, suggested or reviewed this case, so you cannot decide it.")
    other_steps = {d.position for d in case.decisions
                   if d.decided_by_id == actor.id and d.outcome == StepOutcome.APPROVED.value
                   and d.position != case.step_position}
    if other_steps:
        return _l("Four-eyes rule: you have approved another step of this case already.")
    return None


def _may_decide_step(case: Nomination, actor) -> object | None:
    step = case.current_step
    if step is None:
        return _l("This case waits in no approval step.")
    if step.role not in actor.roles:
        return _l("Your role does not decide the step “%(step)s”.", step=step.name)
    return involvement(case, actor)


def _is_last(case: Nomination) -> bool:
    return case.step_position == len(case.award_type.steps)


GUARDS.update({
    "forward": lambda case, actor: None if case.award_type.steps else _l("This award has no approval steps."),
    "approve_step": lambda case, actor: (_l("This is the last step.") if _is_last(case)
                                         else _may_decide_step(case, actor)),
    "approve_last_step": lambda case, actor: (_may_decide_step(case, actor) if _is_last(case)
                                              else _l("This is not the last step.")),
    "return_step": lambda case, actor: (_may_decide_step(case, actor) if (case.step_position or 0) > 1
                                         else _l("This is the first step.")),
    "return_to_review": lambda case, actor: (_may_decide_step(case, actor) if case.step_position == 1
                                             else _l("This is not the first step.")),
    "record_approval": lambda case, actor: None,
})


def _step_decision(case: Nomination, outcome: StepOutcome, actor, comment) -> None:
    step = case.current_step
    db.session.add(StepDecision(nomination=case, position=step.position, step_name=step.name, outcome=outcome.value,
                                decided_by_id=actor.id, decided_at=now_utc(), comment=comment or None))


def _apply(case, action, *, actor, comment=None, expected_version=None):
    entry = workflow.apply(case, action, actor=actor, comment=comment, expected_version=expected_version)
    case.step_entered_at = now_utc()
    db.session.flush()
    return entry


@transactional
def submit(case: Nomination, *, actor, expected_version=None) -> None:
    """Hand the prepared case over for review."""
    _apply(case, "submit", actor=actor, expected_version=expected_version)
    case.submitted_at = case.submitted_at or now_utc()
    db.session.flush()


@transactional
def start_review(case: Nomination, *, actor, expected_version=None) -> None:
    """An officer takes the case for review (and may then not decide it)."""
    _apply(case, "start_review", actor=actor, expected_version=expected_version)
    case.reviewed_by_id = actor.id
    db.session.flush()


@transactional
def forward(case: Nomination, *, actor, expected_version=None) -> None:
    """Review done: the case goes to the first approval step."""
    _apply(case, "forward", actor=actor, expected_version=expected_version)  # the effect: step 1
    db.session.flush()


@transactional
def approve_step(case: Nomination, *, actor, comment=None, expected_version=None) -> None:
    """Approve the current step; refused while a rule of the award fails."""
    if case.state != "in_approval":
        raise DomainError(_l("This step is not possible in the current state."))
    reason = _may_decide_step(case, actor)
    if reason is not None:
        raise NotAllowed(reason)
    broken = rules.failed(rules.check_rules(case, today()))
    if broken:
        raise DomainError(_l("The case cannot be approved: %(reasons)s",
                             reasons=" ".join(str(r.message) for r in broken)))
    _step_decision(case, StepOutcome.APPROVED, actor, comment)
    last = _is_last(case)
    _apply(case, "approve_last_step" if last else "approve_step", actor=actor, comment=comment,
           expected_version=expected_version)
    db.session.flush()


@transactional
def return_step(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    """Send the case back one step, with the reason."""
    if case.state != "in_approval":
        raise DomainError(_l("This step is not possible in the current state."))
    if not (comment or "").strip():
        raise DomainError(_l("Please give a reason for this step."), field="comment")
    first = case.step_position == 1
    reason = _may_decide_step(case, actor)
    if reason is not None:
        raise NotAllowed(reason)
    _step_decision(case, StepOutcome.RETURNED, actor, comment)
    _apply(case, "return_to_review" if first else "return_step", actor=actor, comment=comment,
           expected_version=expected_version)
    db.session.flush()


@transactional
def return_to_draft(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    """The reviewer sends the case back to its author."""
    _apply(case, "return_to_draft", actor=actor, comment=comment, expected_version=expected_version)


def _lock_award_type(award_type: AwardType) -> None:
    """Serialise decisions on one award type so that two approvals cannot both take the last place."""
    db.session.execute(sa.select(AwardType.id).where(AwardType.id == award_type.id).with_for_update())


@transactional
def record_decision(case: Nomination, *, actor, approved: bool, decision_date: date | None,
                    decision_reference: str | None, comment=None, expected_version=None) -> None:
    """Record the Senate's decision; an approval must fit under the cap of living holders."""
    if decision_date is not None and decision_date > today():
        raise ValidationFailed(_l("The date of the Senate's decision lies in the future."), field="decision_date")
    if approved:
        if decision_date is None or not (decision_reference or "").strip():
            raise ValidationFailed(_l("Please enter the date and reference of the Senate's decision."),
                                   field="decision_date")
        _lock_award_type(case.award_type)
        db.session.expire(case)  # read the case and the counts after the lock
        cap = rules.cap_rule(case)
        if cap.passed is False:
            raise DomainError(cap.message)
        _apply(case, "record_approval", actor=actor, comment=comment, expected_version=expected_version)
    else:
        _apply(case, "record_rejection", actor=actor, comment=comment, expected_version=expected_version)
    case.senate_decision_date = decision_date
    case.senate_decision_reference = (decision_reference or "").strip() or None
    db.session.flush()


@transactional
def schedule_ceremony(case: Nomination, *, actor, expected_version=None) -> None:
    _apply(case, "schedule_ceremony", actor=actor, expected_version=expected_version)


@transactional
def mark_awarded(case: Nomination, *, actor, awarded_on: date | None = None, expected_version=None) -> Holder:
    """The award was presented: the case becomes an entry of the register of holders."""
    awarded_on = awarded_on or case.award_date or today()
    if awarded_on > today():
        raise ValidationFailed(_l("The award date lies in the future."), field="awarded_on")
    _apply(case, "mark_awarded", actor=actor, expected_version=expected_version)
    holder = add_holder(case.award_type, actor=actor, name=case.nominee_name, birth_date=case.birth_date,
                        gender=case.gender, awarded_on=awarded_on, nomination=case)
    return holder


@transactional
def withdraw(case: Nomination, *, actor, comment: str, expected_version=None) -> None:
    _apply(case, "withdraw", actor=actor, comment=comment, expected_version=expected_version)
    db.session.flush()


# --- register of holders ------------------------------------------------------------------


def _next_holder_number(award_type: AwardType) -> int:
    _lock_award_type(award_type)
    return (db.session.scalar(sa.select(sa.func.max(Holder.number)).where(
        Holder.award_type_id == award_type.id)) or 0) + 1


@transactional
def add_holder(award_type: AwardType, *, actor, name: str, awarded_on: date, birth_date=None, gender="u",
               died_on=None, nomination=None, number: int | None = None) -> Holder:
    """Add an entry to the register (from an awarded case or an import of earlier holders)."""
    holder = Holder(award_type_id=award_type.id, nomination_id=nomination.id if nomination else None,
                    number=number or _next_holder_number(award_type), name=name.strip(), birth_date=birth_date,
                    gender=gender or "u", awarded_on=awarded_on, died_on=died_on)
    db.session.add(holder)
    db.session.flush()
    record_event("holder.add", actor=actor, target=holder, summary=f"{award_type.name} #{holder.number}")
    return holder


@transactional
def record_holder_death(holder: Holder, died_on: date, *, actor) -> None:
    """A holder died: the living count drops."""
    _record_death(holder, died_on, actor=actor, audit_action="holder.death_recorded")


@transactional
def revoke(holder: Holder, *, actor, revoked_on: date, reason: str) -> None:
    """Revoke an award (it no longer counts), with reason and date."""
    if not (reason or "").strip():
        raise ValidationFailed(_l("Please give the reason for the revocation."), field="reason")
    if revoked_on > today() or revoked_on < holder.awarded_on:
        raise ValidationFailed(_l("The revocation date must lie between the award and today."), field="revoked_on")
    holder.revoked_on, holder.revoked_reason = revoked_on, reason.strip()
    db.session.flush()
    record_event("holder.revoked", actor=actor, target=holder)  # the reason stays in the register


def editable(case: Nomination) -> bool:
    return case.state in EDITABLE_STATES


# --- the approval chain of an award type (admins) ----------------------------------------

#: Roles that may decide a step (the others never see a case).
DECIDING_ROLES = ("manager", "officer")


@transactional
def add_step(award_type: AwardType, *, name: str, role: str, actor) -> ApprovalStep:
    """Append a decision step to the award's approval chain."""
    if role not in DECIDING_ROLES:
        raise ValidationFailed(_l("Only heads of unit/department or protocol officers can decide a step."),
                               field="role")
    step = ApprovalStep(award_type=award_type, position=len(award_type.steps) + 1, name=name.strip(), role=role)
    db.session.add(step)
    db.session.flush()
    record_event("award_type.step_add", actor=actor, target=award_type, summary=f"{step.position}: {step.name}")
    return step


@transactional
def remove_last_step(award_type: AwardType, *, actor) -> None:
    """Remove the chain's last step, unless a case waits in it."""
    if not award_type.steps:
        raise DomainError(_l("This award has no approval steps."))
    step = award_type.steps[-1]
    waiting = db.session.scalar(sa.select(sa.func.count(Nomination.id)).where(
        Nomination.award_type_id == award_type.id, Nomination.state == "in_approval",
        Nomination.step_position >= step.position))
    if waiting:
        raise DomainError(_l("%(n)s cases wait in this step; it cannot be removed now.", n=waiting))
    if len(award_type.steps) == 1:
        raise DomainError(_l("An award needs at least one approval step."))
    award_type.steps.remove(step)
    db.session.flush()
    record_event("award_type.step_remove", actor=actor, target=award_type, summary=f"{step.position}: {step.name}")


def waiting_for(user):
    """A query of the cases waiting in a step `user` may decide (role and four-eyes rule), oldest first."""
    roles = [getattr(role, "value", role) for role in user.roles]
    approved_elsewhere = sa.exists().where(
        StepDecision.nomination_id == Nomination.id, StepDecision.decided_by_id == user.id,
        StepDecision.outcome == StepOutcome.APPROVED.value, StepDecision.position != Nomination.step_position)
    return (
        sa.select(Nomination)
        .join(ApprovalStep, sa.and_(ApprovalStep.award_type_id == Nomination.award_type_id,
                                    ApprovalStep.position == Nomination.step_position))
        .where(Nomination.state == "in_approval", ApprovalStep.role.in_(roles),
               *[sa.func.coalesce(column, 0) != user.id
                 for column in (Nomination.created_by_id, Nomination.reviewed_by_id, Nomination.suggested_by_user_id)],
               ~approved_elsewhere)
        .order_by(Nomination.step_entered_at, Nomination.id)
    )
