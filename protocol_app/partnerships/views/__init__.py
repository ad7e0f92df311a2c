"""Pages of the partnerships (a package); the front door every page uses. A partnership's pages
stand on its partner city (the directory's record), which the door loads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...core.front_door import FrontDoor
from ...core.navigation import register_nav
from ...directory.models import PartnerCity
from ...extensions import db
from .. import permissions
from ..permissions import READ

door = FrontDoor("partnerships", __name__, url_prefix="/partnerships",
                 find=lambda city_id: db.session.get(PartnerCity, city_id),
                 can_read=permissions.can_read, can_edit=permissions.can_edit)
bp = door.blueprint
register_nav("partnerships.index", _l("City partnerships"), READ, order=54, menu="registers")

from . import pages  # noqa: E402,F401  (routes on this blueprint)
