"""Who may do what with press notes: officers draft and send them for approval, managers approve,
return and withdraw. The public reads published notes through the feed only."""

from __future__ import annotations

from ..core.permissions import Permission, user_has

EDIT = Permission.NEWS_EDIT
APPROVE = Permission.NEWS_APPROVE


def can_read(user) -> bool:
    return user_has(user, EDIT) or user_has(user, APPROVE)


def can_edit(user) -> bool:
    return user_has(user, EDIT)


def can_approve(user) -> bool:
    return user_has(user, APPROVE)
