"""Assignments of the language service in the global search."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.languages import language_name
from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, by_reference, find, record_link, register_kind
from .models import REFERENCE_PREFIX, Assignment


def search_assignments(user, query: Query, limit: int) -> list[Hit]:
    """Assignments by reference or title, for those who book or follow them (translators find
    their own jobs in their inbox)."""
    if not (user_has(user, Permission.ASSIGNMENT_MANAGE) or user_has(user, Permission.ASSIGNMENT_READ)):
        return []
    link = record_link("translations.assignment", REFERENCE_PREFIX)

    def to_hit(row) -> Hit:
        ref, url = link(row.year, row.number)
        return Hit(title=row.title, link=url, detail=f"{ref} · {language_name(row.language)}")

    stmt = sa.select(Assignment.year, Assignment.number, Assignment.title, Assignment.language)
    return find(stmt, (Assignment.title,), query, limit, to_hit, exact=by_reference(Assignment, query))


register_kind("assignments", _l("Assignments"), search_assignments, order=50)
