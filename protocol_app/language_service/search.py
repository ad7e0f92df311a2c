"""Assignments of the language service in the global search."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.languages import language_name
from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, find_records, register_kind
from .models import Assignment


def search_assignments(user, query: Query, limit: int) -> list[Hit]:
    """Assignments by reference or title, for those who book or follow them (translators find
    their own jobs in their inbox)."""
    if not (user_has(user, Permission.ASSIGNMENT_MANAGE) or user_has(user, Permission.ASSIGNMENT_READ)):
        return []
    return find_records(Assignment, "translations.assignment",
                        sa.select(Assignment.year, Assignment.number, Assignment.title, Assignment.language),
                        (Assignment.title,), query, limit, lambda row, ref: f"{ref} · {language_name(row.language)}")


register_kind("assignments", _l("Assignments"), search_assignments, order=50)
