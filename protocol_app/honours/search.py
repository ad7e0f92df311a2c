"""Honours cases in the global search: only for the honours roles, every case shown logged."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_read
from ..core.references import format_reference, parse_reference
from ..core.search import Hit, Query, find, register_kind
from ..core.urls import path_for
from . import permissions
from .models import REFERENCE_PREFIX, AwardType, Nomination


def search_cases(user, query: Query, limit: int) -> list[Hit]:
    """Nominations by reference or nominee, for those who may read honours cases; the
    references shown are logged as a list read is (who saw which case, not its content)."""
    if not permissions.can_read(user):
        return []
    reference = parse_reference(REFERENCE_PREFIX, query.raw.upper())
    exact = sa.and_(Nomination.year == reference[0], Nomination.number == reference[1]) if reference else None
    link = path_for("honours.detail", reference="REFERENCE")

    def to_hit(row) -> Hit:
        ref = format_reference(REFERENCE_PREFIX, row.year, row.number)
        return Hit(title=row.nominee_name, link=link.replace("REFERENCE", ref), detail=f"{ref} · {row.award}")

    stmt = (sa.select(Nomination.year, Nomination.number, Nomination.nominee_name, AwardType.name.label("award"))
            .join(AwardType, Nomination.award_type_id == AwardType.id))
    hits = find(stmt, (Nomination.nominee_name,), query, limit, to_hit, exact=exact)
    if hits:
        record_read(user, scope="nomination", references=[h.link.rsplit("/", 1)[-1] for h in hits],
                    how="search_read")
    return hits


register_kind("honours", _l("Honours cases"), search_cases, order=40)
