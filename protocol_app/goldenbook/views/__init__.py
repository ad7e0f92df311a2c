"""Pages of the books (a package: the year's lists, an entry with its steps and photo, the admin's
setting of the calligrapher's lead time); the front door every page uses."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.front_door import FrontDoor
from ...core.listing import choice_arg
from ...core.navigation import register_nav
from ...core.time import today_berlin
from ...extensions import db
from .. import permissions, services
from ..eligibility import Book
from ..models import BookEntry
from ..permissions import READ, SETTINGS
from ..workflow import EntryState

# A viewer learns nothing of planned entries, nor of a confidential visit's, not even that they
# exist (404); every route that loads an entry of a confidential occasion logs the read.
door = FrontDoor("goldenbook", __name__, url_prefix="/golden-book", find=lambda entry_id: db.session.get(BookEntry, entry_id),
                 can_read=permissions.can_read, can_edit=permissions.can_edit,
                 after_read=lambda entry: services.log_read(current_user, entry))
bp = door.blueprint
register_nav("goldenbook.index", _l("Golden Book"), READ, order=56, menu="registers")
register_nav("goldenbook.settings", _l("Golden Book"), SETTINGS, order=94, menu="admin")


def _filters() -> dict:
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        year = today_berlin().year
    if not 1900 <= year <= 2200:
        year = today_berlin().year
    return {"year": year, "book": choice_arg("book", Book), "state": choice_arg("state", EntryState)}


def _filtered_stmt(filters: dict):
    return services.list_stmt(**filters, reader=current_user)


from . import entries, lists  # noqa: E402,F401  (routes on this blueprint)
