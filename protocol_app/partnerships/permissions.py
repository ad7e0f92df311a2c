"""Who may do what with the partnerships: officers keep the records, managers and viewers read.
The policies take the partner city (the record a partnership's pages stand on); no rule depends
on which one today, the signature keeps every domain's pages asking alike."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if

READ = Permission.PARTNERSHIPS_READ
EDIT = Permission.PARTNERSHIPS_EDIT


def can_read(user, city=None) -> bool:
    return user_has(user, READ)


def can_edit(user, city=None) -> bool:
    return user_has(user, EDIT)


def readable_filter(user):
    """The 18 partnerships for every reader."""
    return whole_list_if(can_read(user))
