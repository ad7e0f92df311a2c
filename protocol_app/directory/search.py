"""The directory in the global search: contacts, and the missions, venues and hosts."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.permissions import Permission, user_has
from ..core.search import Hit, Query, find, rank, register_kind
from ..core.urls import path_for
from .models import Contact, Host, Mission, Venue

#: Who may look into the directory (its pages' readers).
READERS = (Permission.VISIT_READ, Permission.DIRECTORY_EDIT, Permission.EVENT_READ)


def _may_read(user) -> bool:
    return any(user_has(user, permission) for permission in READERS)


def _link(user, name: str, record_id: int, query: Query) -> str:
    """Editors open the entry; readers its list, filtered to what they searched."""
    if user_has(user, Permission.DIRECTORY_EDIT) and name == "contacts":
        return path_for("directory.contacts_edit", record_id=record_id)
    return path_for(f"directory.{name}_list", q=query.raw)


def search_contacts(user, query: Query, limit: int) -> list[Hit]:
    """Contacts by name or organisation."""
    if not _may_read(user):
        return []
    stmt = sa.select(Contact.id, Contact.name, Contact.function, Contact.organisation)
    return find(stmt, (Contact.name, Contact.organisation), query, limit, lambda row: Hit(
        title=row.name, link=_link(user, "contacts", row.id, query),
        detail=" · ".join(part for part in (row.function, row.organisation) if part)))


def search_directory(user, query: Query, limit: int) -> list[Hit]:
    """Missions, venues and hosts by name, one list."""
    if not _may_read(user):
        return []
    hits = []
    for name, model, label in (("missions", Mission, _l("Mission")), ("venues", Venue, _l("Venue")),
                               ("hosts", Host, _l("Host"))):
        hits += find(sa.select(model.id, model.name), (model.name,), query, limit, lambda row, n=name, lb=label: Hit(
            title=row.name, link=_link(user, n, row.id, query), detail=str(lb)))
    return rank(hits, query, limit) if hits else []


register_kind("contacts", _l("Contacts"), search_contacts, order=35)
register_kind("directory", _l("Directory"), search_directory, order=60)
