"""Pages of the press notes (a package: the office's notes, the public feed and list); the front
door every office page uses. The public blueprint needs no login and has no door: it serves
published notes only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...core.front_door import FrontDoor
from ...core.navigation import register_nav
from ...extensions import db
from .. import permissions
from ..models import NewsNote
from ..permissions import APPROVE, EDIT

door = FrontDoor("news", __name__, url_prefix="/news", find=lambda note_id: db.session.get(NewsNote, note_id),
                 can_read=permissions.can_read, can_edit=permissions.can_edit)
bp = door.blueprint
register_nav("news.index", _l("Press notes"), EDIT, APPROVE, order=57, menu="registers")

from . import notes, public  # noqa: E402,F401  (routes on these blueprints)
