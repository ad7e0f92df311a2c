"""Reminder rules of the core itself (domain rules live in their packages)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ..notifications.models import MailStatus, OutboxMail
from ..notifications.services import notify
from .services import create_once, reminder_rule


@reminder_rule("outbox-failed")
def remind_admins_of_failed_mail() -> int:
    """Tell every admin, once per mail, that an e-mail could not be delivered (or its delivery is unconfirmed)."""
    from ...auth.services import users_with_role
    from ..permissions import Role

    failed = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.status.in_([MailStatus.FAILED.value, MailStatus.UNCERTAIN.value]))
    ).all()
    created = 0
    admins = users_with_role(Role.ADMIN)
    for mail in failed:
        for admin in admins:
            if create_once(
                f"outbox-failed:{mail.id}:user:{admin.id}",
                rule="outbox-failed",
                recipient=admin,
                target=mail,
            ):
                notify(
                    admin,
                    lambda: _l("An e-mail could not be delivered; see the health page."),
                    link="/admin/outbox",
                    mail=False,
                )
                created += 1
    return created
