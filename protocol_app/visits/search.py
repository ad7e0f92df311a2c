"""Visits in the global search: by reference, title or guest of honour."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_read
from ..core.i18n import format_d
from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, by_reference, find, record_link, register_kind
from . import permissions
from .models import REFERENCE_PREFIX, Visit


def search_visits(user, query: Query, limit: int) -> list[Hit]:
    """The visits `user` may read (confidential ones for those cleared) matching the query;
    confidential ones shown are logged by reference, as the list logs them."""
    if not user_has(user, Permission.VISIT_READ):
        return []
    link = record_link("visits.detail", REFERENCE_PREFIX)
    confidential: dict[str, str] = {}  # link → reference of the confidential visits found

    def to_hit(row) -> Hit:
        ref, url = link(row.year, row.number)
        hit = Hit(title=row.title, link=url, detail=f"{ref} · {row.guest_name} · {format_d(row.arrival_at)}")
        if row.is_confidential:
            confidential[hit.link] = ref
        return hit

    stmt = sa.select(Visit.year, Visit.number, Visit.title, Visit.guest_name, Visit.arrival_at,
                     Visit.is_confidential).where(permissions.readable_filter(user))
    hits = find(stmt, (Visit.title, Visit.guest_name), query, limit, to_hit, exact=by_reference(Visit, query))
    shown = {confidential[hit.link] for hit in hits if hit.link in confidential}
    if shown:
        record_read(user, scope="visit", references=sorted(shown), how="search_read")
    return hits


register_kind("visits", _l("Visits"), search_visits, order=10)
