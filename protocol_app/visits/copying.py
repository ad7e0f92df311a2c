"""Next year's recurring delegation: a visit copied with its programme, delegation and
checklist, every date moved by the same span. The copy is a new request; nothing of the
original (its state, gifts, attachments, bookings) changes."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.checklists import services as checklists
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.time import BERLIN, now_utc, today_berlin
from ..extensions import db
from ..programme import ITEM_FIELDS
from . import services
from .models import DelegationMember, Visit
from .services import SCOPE, VISIT_FIELDS, VISIT_ITEM_FIELDS

#: Copied items that overlap another booking keep this note, so the officer looks again.
COPY_NOTE = "Übernommen aus {reference}; Überschneidung bitte prüfen"


@transactional
def copy_visit(visit: Visit, *, actor, arrival_at: datetime) -> Visit:
    """Copy the visit to a new arrival; programme items, delegation and open tasks move with it.

    Programme items go through the double-booking check: an overlap is kept with a note
    instead of refusing the copy, and shows on the new visit as every accepted overlap does.
    """
    if arrival_at <= now_utc():
        raise ValidationFailed(_l("The copy's arrival must lie in the future."), field="arrival_at")
    shift = arrival_at - visit.arrival_at
    values = {key: getattr(visit, key) for key in VISIT_FIELDS}
    values["arrival_at"], values["departure_at"] = visit.arrival_at + shift, visit.departure_at + shift
    copy = services.create_visit(actor=actor, values=values, host_ids=[h.id for h in visit.hosts])
    for member in visit.delegation:
        db.session.add(DelegationMember(visit_id=copy.id, name=member.name, function=member.function,
                                        precedence=member.precedence, form_of_address=member.form_of_address))
    note = COPY_NOTE.format(reference=visit.reference)
    for item in visit.programme:
        item_values = {key: getattr(item, key) for key in (*ITEM_FIELDS, *VISIT_ITEM_FIELDS)}
        item_values["starts_at"], item_values["ends_at"] = item.starts_at + shift, item.ends_at + shift
        services.save_programme_item(copy, None, actor=actor, values=item_values,
                                     host_ids=[h.id for h in item.hosts], conflict_reason=note)
    today = today_berlin()
    for task in checklists.tasks_of(SCOPE, visit.id):
        due = (datetime.combine(task.due_on, datetime.min.time(), BERLIN) + shift).date()
        checklists.add_task(scope=SCOPE, subject_id=copy.id, title=task.title, due_on=max(due, today),
                            owner_id=task.owner_id, actor=actor)
    db.session.flush()
    record_event("visit.copied", actor=actor, target=copy, summary=f"from {visit.reference}")
    return copy
