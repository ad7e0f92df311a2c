"""Pages of the honorary graves (a package: the register with its import and public list, the
renewal batches for the Senate, the suggestions to recognise a grave); the front door every
page uses — a grave, a batch and a suggestion each have their loaders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...core.front_door import FrontDoor, RecordLoader
from ...core.navigation import register_nav
from ...extensions import db
from .. import permissions
from ..models import GraveSuggestion, HonoraryGrave, RenewalBatch
from ..permissions import READ

door = FrontDoor("graves", __name__, url_prefix="/graves", find=lambda grave_id: db.session.get(HonoraryGrave, grave_id),
                 can_read=permissions.can_read, can_edit=permissions.can_edit)
bp = door.blueprint
register_nav("graves.index", _l("Honorary graves"), READ, order=55, menu="registers")

#: The renewal batches and the suggestions are the office's work: not for viewers (404).
batches = RecordLoader(find=lambda batch_id: db.session.get(RenewalBatch, batch_id),
                       can_read=permissions.can_read_work, can_edit=permissions.can_edit)
suggestions = RecordLoader(find=lambda suggestion_id: db.session.get(GraveSuggestion, suggestion_id),
                           can_read=permissions.can_read_work, can_edit=permissions.can_edit)

from . import batch_pages, register_pages, suggestion_pages  # noqa: E402,F401  (routes on this blueprint)
