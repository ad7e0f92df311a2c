"""The manager's start-page card: the Senate decisions on honorary graves to record."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.permissions import Permission
from ..core.work_cards import CARD_LENGTH, WorkItem, register_work_card
from ..extensions import db
from .models import GraveSuggestion, RenewalBatch
from .workflow import BatchState, SuggestionState


def decisions_to_record(user) -> list[WorkItem]:
    """Renewal batches before the Senate and suggestions the council has spoken on."""
    batches = db.session.scalars(sa.select(RenewalBatch).where(RenewalBatch.state == BatchState.SUBMITTED.value)
                                 .order_by(RenewalBatch.updated_at).limit(CARD_LENGTH))
    suggestions = db.session.scalars(
        sa.select(GraveSuggestion).where(GraveSuggestion.state == SuggestionState.COUNCIL.value)
        .order_by(GraveSuggestion.updated_at).limit(CARD_LENGTH))
    return ([WorkItem(batch.title, url_for("graves.batch", batch_id=batch.id), note=_("Renewal batch"))
             for batch in batches]
            + [WorkItem(s.name, url_for("graves.suggestion", suggestion_id=s.id), note=_("Suggested honorary grave"))
               for s in suggestions])


register_work_card("graves-decisions", title=_l("Senate decisions on honorary graves"),
                   empty=_l("No decision on honorary graves to record."), permission=Permission.GRAVES_DECIDE,
                   items=decisions_to_record, more=lambda: url_for("graves.renewals"), order=4)
