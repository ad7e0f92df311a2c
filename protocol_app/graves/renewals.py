"""Renewal batches: the terms ending in the next 18 months, reviewed grave by grave, submitted
to the Senate and decided for the whole batch at once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.time import add_months, add_years, now_utc, today_berlin
from ..extensions import db
from .models import RENEWAL_MONTHS, TERM_YEARS, HonoraryGrave, Proposal, RenewalBatch, RenewalEntry
from .services import record_senate_decision
from .workflow import BatchState, GraveStatus


def horizon(today: date | None = None) -> date:
    """The last term end the renewal list looks at (18 months ahead)."""
    return add_months(today or today_berlin(), RENEWAL_MONTHS)


def _in_open_batch() -> sa.Select:
    return (sa.select(RenewalEntry.grave_id).join(RenewalBatch)
            .where(RenewalBatch.state != BatchState.DECIDED.value))


def due_stmt(today: date | None = None) -> sa.Select:
    """Recognised graves with a term ending by the horizon and in no open batch, soonest first.

    The status does the work under concurrency: a grave put into a batch is "extension pending",
    and a second officer's batch, waiting for the first's row locks, re-reads the locked rows
    and so leaves them out (a subquery alone would still see the state before the first commit)."""
    return (sa.select(HonoraryGrave)
            .where(HonoraryGrave.status == GraveStatus.RECOGNISED.value, HonoraryGrave.term_ends_on.is_not(None),
                   HonoraryGrave.term_ends_on <= horizon(today), HonoraryGrave.id.not_in(_in_open_batch()))
            .order_by(HonoraryGrave.term_ends_on, HonoraryGrave.name, HonoraryGrave.id))


@transactional
def start_batch(*, actor, title: str | None = None) -> RenewalBatch:
    """A new batch of every grave now due (two officers at once: the second finds them taken)."""
    graves = db.session.scalars(due_stmt().with_for_update(of=HonoraryGrave)).all()
    if not graves:
        raise ValidationFailed(_l("No term ends in the next 18 months outside a batch: there is nothing to submit."))
    batch = RenewalBatch(title=title or str(_l("Extension of honorary graves, terms until %(day)s",
                                               day=graves[-1].term_ends_on.strftime("%d.%m.%Y"))),
                         first_term_end=graves[0].term_ends_on, state=BatchState.DRAFT.value)
    batch.entries = [RenewalEntry(grave=grave) for grave in graves]
    db.session.add(batch)
    db.session.flush()
    for grave in graves:
        workflow.apply(grave, "propose_renewal", actor=actor, comment=batch.title)
    workflow.start(batch, actor=actor)
    record_event("graves.batch_create", actor=actor, target=batch, summary=f"{len(graves)} graves")
    return batch


@transactional
def propose(entry: RenewalEntry, *, actor, proposal: str, reason: str, expected_version: int | None = None) -> None:
    """The office's proposal for one grave of a batch still being prepared."""
    batch = entry.batch
    check_version(batch, expected_version)
    if batch.state != BatchState.DRAFT.value:
        raise ValidationFailed(_l("The batch has been submitted; proposals can no longer change."))
    if proposal not in {p.value for p in Proposal}:
        raise ValidationFailed(_l("Please choose extend or end."), field="proposal")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Please give the reason for the proposal."), field="reason")
    before = [entry.proposal, entry.reason]
    entry.proposal, entry.reason = proposal, reason[:1000]
    batch.updated_at = now_utc()  # a change of the batch: another officer's form of it is now stale
    record_event("graves.batch_propose", actor=actor, target=batch,
                 summary=f"{entry.grave.name}: {proposal}", changes={"proposal": [before[0], proposal]})


def unproposed(batch: RenewalBatch) -> int:
    return sum(1 for e in batch.entries if not e.proposal or not (e.reason or "").strip())


def carry_out(batch: RenewalBatch, actor) -> None:
    """The decision for every grave of the batch: extended terms move on by 20 years from
    their end, the others end; each grave names the decision."""
    for entry in batch.entries:
        grave = entry.grave
        grave.decision_date = batch.decision_date
        grave.decision_reference = batch.decision_reference
        if entry.proposal == Proposal.EXTEND.value:
            grave.term_ends_on = add_years(grave.term_ends_on, TERM_YEARS)
            workflow.apply(grave, "extend", actor=actor, comment=batch.decision_reference)
        else:
            workflow.apply(grave, "end", actor=actor, comment=batch.decision_reference)


@transactional
def decide(batch: RenewalBatch, *, actor, decision_date: date | None, decision_reference: str,
           expected_version: int | None = None) -> None:
    """Record the Senate's decision of the whole batch (date and reference required)."""
    record_senate_decision(batch, decision_date, decision_reference, expected_version)
    workflow.apply(batch, "decide", actor=actor)


def submission_rows(batch: RenewalBatch) -> list[tuple]:
    """The Senate submission's table: grave by grave with the proposal and its reason."""
    return [(e.grave.name, e.grave.life_dates, e.grave.cemetery, e.grave.location or "", e.grave.district,
             e.grave.term_ends_on, str(e.proposal_label), e.reason or "") for e in batch.entries]
