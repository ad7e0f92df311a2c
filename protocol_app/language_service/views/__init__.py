"""Sprachendienst pages (a package: assignments, the translators' own pages, delivery and
reports); the front door every page uses. Officers book assignments and offer them to ranked
candidates; translators keep their own profile and answer their own offers (and see nothing
else: another's offer is 404, as if it did not exist)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...core.front_door import FrontDoor, RecordLoader
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from ...extensions import db
from .. import permissions
from ..models import Assignment, Offer, TranslatorProfile

MANAGE, OWN = Permission.ASSIGNMENT_MANAGE, Permission.ASSIGNMENT_ANSWER_OWN

door = FrontDoor("translations", __name__, url_prefix="/translations",
                 find=lambda reference: find_by_reference(Assignment, reference),
                 can_read=permissions.can_read, can_edit=permissions.can_edit)
bp = door.blueprint
#: A translator's profile as the office keeps it (terms, rates): its officers only.
profiles = RecordLoader(find=lambda profile_id: db.session.get(TranslatorProfile, profile_id),
                        can_read=lambda user, _profile: permissions.can_manage(user),
                        can_edit=lambda user, _profile: permissions.can_manage(user))
own_offers = RecordLoader(find=lambda offer_id: db.session.get(Offer, offer_id),
                          can_read=permissions.owns_offer, can_edit=permissions.owns_offer)

register_nav("translations.index", _l("Language service"), Permission.ASSIGNMENT_READ, order=25)
register_nav("translations.my_offers", _l("My assignments"), OWN, order=26)
register_nav("translations.my_hours", _l("My hours"), Permission.REPORTS_OWN_HOURS, order=27)

from . import assignment_pages, delivery_pages, translator_pages  # noqa: E402,F401  (routes on this blueprint)
