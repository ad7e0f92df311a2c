"""What the administration is shown and reminded of: the start-page card with users and
the outbox, and a notification for every mail that could not be delivered."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..auth.services import users_with_role
from ..core.dashboard import register_card
from ..core.heartbeats import latest
from ..core.notifications.models import MailStatus, OutboxMail
from ..core.notifications.services import notify_in_app, outbox_backlog
from ..core.permissions import Permission, Role
from ..core.reminders.services import remind_once, reminder_rule
from ..core.time import now_utc
from ..extensions import db


def _admin_card(user) -> dict:
    backlog = outbox_backlog()
    return {
        "active_users": db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.is_active_account.is_(True))
        ),
        "outbox_pending": backlog.get("pending", 0) + backlog.get("sending", 0),
        "outbox_failed": backlog.get("failed", 0) + backlog.get("uncertain", 0),
        "blocked_users": db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.locked_until > now_utc())
        ),
        "last_backup": latest().get("backup"),
    }


register_card("admin", "core/card_admin.html", Permission.ADMIN_USERS, _admin_card, 20)


@reminder_rule("outbox-failed")
def remind_admins_of_failed_mail() -> int:
    """Tell every admin, once per mail, that an e-mail could not be delivered (or its delivery is unconfirmed)."""
    failed = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.status.in_([MailStatus.FAILED.value, MailStatus.UNCERTAIN.value]))
    ).all()
    admins = users_with_role(Role.ADMIN)
    created = remind_once("outbox-failed", [(f"outbox-failed:{mail.id}:user:{admin.id}", admin, mail, admin)
                                            for mail in failed for admin in admins])
    for admin in created:
        notify_in_app(admin, lambda: _l("An e-mail could not be delivered; see the health page."), link="/admin/outbox")
    return len(created)
