"""The register of holders: entries from awarded cases and imports, corrections, deaths
(and their correction), revocations."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...core.audit import changes_of, record_event
from ...core.db import transactional
from ...core.errors import ValidationFailed
from ...extensions import db
from ..models import AwardType, Gender, Holder
from .cases import record_death_of, today, undo_death_of

#: Register fields whose values the audit log may hold (the others name or describe the person).
HOLDER_VALUE_FIELDS = frozenset({"awarded_on", "gender", "number"})


def lock_award_type(award_type: AwardType) -> None:
    """Serialise decisions on one award type so that two approvals cannot both take the last place."""
    db.session.execute(sa.select(AwardType.id).where(AwardType.id == award_type.id).with_for_update())


def _next_holder_number(award_type: AwardType) -> int:
    lock_award_type(award_type)
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
def correct_holder(holder: Holder, *, actor, name: str, birth_date, gender: str, awarded_on, reason: str) -> list[str]:
    """Correct a register entry (a misspelt name, a wrong date) with the reason; the audit log
    names the fields that changed. Returns them."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Please give the reason for the correction."), field="reason")
    if not (name or "").strip():
        raise ValidationFailed(_l("Please enter the name."), field="name")
    if gender not in {g.value for g in Gender}:
        raise ValidationFailed(_l("Please choose a gender from the list."), field="gender")
    if awarded_on is None or awarded_on > today():
        raise ValidationFailed(_l("Please enter an award date that is not in the future."), field="awarded_on")
    if birth_date is not None and birth_date >= awarded_on:
        raise ValidationFailed(_l("The date of birth must lie before the award."), field="birth_date")
    if birth_date is not None and holder.died_on is not None and birth_date > holder.died_on:
        raise ValidationFailed(_l("The date of birth must lie before the date of death."), field="birth_date")
    holder.name, holder.birth_date, holder.gender, holder.awarded_on = name.strip(), birth_date, gender, awarded_on
    changes = changes_of(holder, values_of=HOLDER_VALUE_FIELDS)
    if not changes:
        return []
    db.session.flush()
    record_event("holder.corrected", actor=actor, target=holder, summary=reason[:200], changes=changes)
    return list(changes)


@transactional
def undo_holder_death(holder: Holder, *, actor, reason: str) -> None:
    """The death was recorded by mistake: the holder counts as living again."""
    undo_death_of(holder, actor=actor, reason=reason, audit_action="holder.death_undone")


@transactional
def record_holder_death(holder: Holder, died_on: date, *, actor) -> None:
    """A holder died: the living count drops."""
    record_death_of(holder, died_on, actor=actor, audit_action="holder.death_recorded")


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

