"""Assignments of the language service in the global search."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.languages import language_name
from ..core.permissions import Permission, user_has
from ..core.references import format_reference, parse_reference
from ..core.search import Hit, Query, find, register_kind
from ..core.urls import path_for
from .models import REFERENCE_PREFIX, Assignment


def search_assignments(user, query: Query, limit: int) -> list[Hit]:
    """Assignments by reference or title, for those who book or follow them (translators find
    their own jobs in their inbox)."""
    if not (user_has(user, Permission.ASSIGNMENT_MANAGE) or user_has(user, Permission.ASSIGNMENT_READ)):
        return []
    reference = parse_reference(REFERENCE_PREFIX, query.raw.upper())
    exact = sa.and_(Assignment.year == reference[0], Assignment.number == reference[1]) if reference else None
    link = path_for("translations.assignment", reference="REFERENCE")

    def to_hit(row) -> Hit:
        ref = format_reference(REFERENCE_PREFIX, row.year, row.number)
        return Hit(title=row.title, link=link.replace("REFERENCE", ref), detail=f"{ref} · {language_name(row.language)}")

    stmt = sa.select(Assignment.year, Assignment.number, Assignment.title, Assignment.language)
    return find(stmt, (Assignment.title,), query, limit, to_hit, exact=exact)


register_kind("assignments", _l("Assignments"), search_assignments, order=50)
