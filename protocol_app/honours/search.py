"""Honours cases in the global search: only for the honours roles, every case shown logged."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_read
from ..core.search import Hit, Query, find_records, register_kind
from . import permissions
from .models import AwardType, Nomination


def search_cases(user, query: Query, limit: int) -> list[Hit]:
    """Nominations by reference or nominee, for those who may read honours cases; the
    references shown are logged as a list read is (who saw which case, not its content)."""
    if not permissions.can_read(user):
        return []
    stmt = (sa.select(Nomination.year, Nomination.number, Nomination.nominee_name, AwardType.name.label("award"))
            .join(AwardType, Nomination.award_type_id == AwardType.id))
    hits = find_records(Nomination, "honours.detail", stmt, (Nomination.nominee_name,), query, limit,
                        lambda row, ref: f"{ref} · {row.award}")
    if hits:
        record_read(user, scope="nomination", references=[h.link.rsplit("/", 1)[-1] for h in hits],
                    how="search_read")
    return hits


register_kind("honours", _l("Honours cases"), search_cases, order=40)
