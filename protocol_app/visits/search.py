"""Visits in the global search: by reference, title or guest of honour."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_read
from ..core.i18n import format_d
from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, find_records, register_kind
from . import permissions
from .models import Visit


def search_visits(user, query: Query, limit: int) -> list[Hit]:
    """The visits `user` may read (confidential ones for those cleared) matching the query;
    confidential ones shown are logged by reference, as the list logs them."""
    if not user_has(user, Permission.VISIT_READ):
        return []
    confidential: set[str] = set()  # references of the confidential visits found

    def detail(row, reference: str) -> str:
        if row.is_confidential:
            confidential.add(reference)
        return f"{reference} · {row.guest_name} · {format_d(row.arrival_at)}"

    stmt = sa.select(Visit.year, Visit.number, Visit.title, Visit.guest_name, Visit.arrival_at,
                     Visit.is_confidential).where(permissions.readable_filter(user))
    hits = find_records(Visit, "visits.detail", stmt, (Visit.title, Visit.guest_name), query, limit, detail)
    shown = {hit.link.rsplit("/", 1)[-1] for hit in hits} & confidential
    if shown:
        record_read(user, scope="visit", references=sorted(shown), how="search_read")
    return hits


register_kind("visits", _l("Visits"), search_visits, order=10)
