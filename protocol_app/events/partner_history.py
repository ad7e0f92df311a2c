"""What the events tell a partnership's page: the events held for the partnership and their
book entries."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core.permissions import Permission, user_has
from ..core.time import BERLIN
from ..core.urls import path_for
from ..extensions import db
from ..goldenbook import services as golden_book
from ..partnerships.history import HistoryLine, register_history_source
from .models import Event
from .services import SCOPE


def event_lines(partner_city_id: int, reader) -> list[HistoryLine]:
    """The events of the partnership (jubilees, city days) with their book entries."""
    if not user_has(reader, Permission.EVENT_READ):
        return []
    events = db.session.scalars(sa.select(Event).where(Event.partner_city_id == partner_city_id)
                                .order_by(Event.starts_at.desc())).all()
    lines = [HistoryLine(event.starts_at.astimezone(BERLIN).date(), _("Event"), f"{event.reference} {event.title}",
                         path_for("events.detail", reference=event.reference), str(event.state_label), "event")
             for event in events]
    lines += golden_book.history_lines(SCOPE, [e.id for e in events], reader=reader)
    return lines


register_history_source(event_lines)
