"""What the visits tell a partnership's page: the partner city's visits the reader may see, their
gifts and their book entries."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..core.permissions import Permission, user_has
from ..core.time import BERLIN
from ..core.urls import path_for
from ..extensions import db
from ..goldenbook import services as golden_book
from ..partnerships.history import HistoryLine, register_history_source
from . import permissions
from .models import Visit
from .services import SCOPE


def visit_lines(partner_city_id: int, reader) -> list[HistoryLine]:
    """The partner city's visits to Berlin with their gifts and book entries."""
    if not user_has(reader, Permission.VISIT_READ):
        return []
    visits = db.session.scalars(sa.select(Visit).options(selectinload(Visit.gifts)).where(
        Visit.partner_city_id == partner_city_id, permissions.readable_filter(reader))
        .order_by(Visit.arrival_at.desc())).all()
    lines = []
    for visit in visits:
        url = path_for("visits.detail", reference=visit.reference)
        day = visit.arrival_at.astimezone(BERLIN).date()
        lines.append(HistoryLine(day, _("Visit to Berlin"), f"{visit.reference} {visit.title}", url,
                                 f"{visit.guest_name} · {visit.state_label}", "visit"))
        lines += [HistoryLine(day, _("Gift"), gift.description, url,
                              f"{gift.direction_label}: {gift.giver} → {gift.recipient}", "gift")
                  for gift in visit.gifts]
    lines += golden_book.history_lines(SCOPE, [v.id for v in visits], reader=reader)
    return lines


register_history_source(visit_lines)
