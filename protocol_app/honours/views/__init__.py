"""Honours pages (a package: the cases with the manager's desk, the ceremony, the registers of
holders; the award types); the front door every page uses. Only officers and managers see
anything here; every case read is logged."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core import record_parts
from ...core.audit import record_read
from ...core.crud import Column, CrudSpec, register_crud
from ...core.front_door import FrontDoor, RecordLoader
from ...core.navigation import register_nav
from ...core.permissions import Permission
from ...core.references import find_by_reference
from ...extensions import db
from .. import permissions, services
from ..forms import AwardTypeForm
from ..models import AwardType, Holder, Nomination

READ, PREPARE, DECIDE = Permission.HONOURS_READ, Permission.HONOURS_PREPARE, Permission.HONOURS_DECIDE

# Every route that loads a case logs the read.
door = FrontDoor("honours", __name__, url_prefix="/honours",
                 find=lambda reference: find_by_reference(Nomination, reference),
                 can_read=permissions.can_read, can_edit=permissions.can_edit,
                 after_read=lambda case: services.log_read(case, current_user))
bp = door.blueprint
#: An award (its register of holders, its approval chain, its ceremonies) and a register entry:
#: read by the honours desk, kept by its officers (the chain by admins, its page says).
award_types = RecordLoader(find=lambda award_type_id: db.session.get(AwardType, award_type_id),
                           can_read=permissions.can_read_award, can_edit=lambda user, _award: permissions.can_prepare(user))
register_entries = RecordLoader(find=lambda holder_id: db.session.get(Holder, holder_id),
                                 can_read=permissions.can_read, can_edit=lambda user, _holder: permissions.can_prepare(user))
register_nav("honours.index", _l("Honours"), Permission.HONOURS_READ, order=20)


def log_cases_shown(cases, how: str = "list_read") -> None:
    """Lists, desks, exports and booklets log which cases they showed (references only)."""
    record_read(current_user, scope="nomination", references=[c.reference for c in cases], how=how)


def _detail(case: Nomination, anchor: str | None = None):
    return redirect(url_for("honours.detail", reference=case.reference, _anchor=anchor))


record_parts.register_record_parts(bp, services.NOMINATION_PARTS, load=door.load, load_editable=door.load_for_change)

register_crud(bp, CrudSpec(
    "award-types", AwardType, AwardTypeForm, _l("Awards"), _l("Award"),
    [Column("name", _l("Name"), AwardType.name), Column("cap_living", _l("Cap of living holders")),
     Column("proposer", _l("Who formally proposes")), Column("is_active", _l("Active"))],
    (AwardType.name,), "name", (READ, Permission.ADMIN_REFERENCE), (Permission.ADMIN_REFERENCE,),
    record_template="honours/_award_type_parts.html",
))

from . import case_pages, ceremony_pages, register_pages  # noqa: E402,F401  (routes on this blueprint)
