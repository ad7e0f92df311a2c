"""The life cycle of a book entry.

An entry is planned when a programme item is flagged "Golden Book" (or recorded by hand
ahead of a visit or event); it is signed once the guest has signed and the volume and page are
recorded. A planned entry is withdrawn when its visit is cancelled or its item loses the flag,
and planned again when the flag returns. Entries recorded after the signing begin as signed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.i18n import format_d
from ..core.permissions import Permission
from ..core.time import today_berlin
from ..core.workflow import Workflow, transition


class EntryState(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    SIGNED = "signed", _l("Signed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


def signed_and_placed(entry, actor):
    """Guard: the day of the signing has come, and the entry names where it stands in the book."""
    if entry.signed_on > today_berlin():
        return _l("The signing is planned for %(day)s: it can be recorded from that day on.",
                  day=format_d(entry.signed_on))
    if not entry.volume or not entry.page:
        return _l("Record the volume and page of the entry first.")
    return None


def drop_open_task(entry, actor):
    """Effect: the calligrapher need not prepare a page nobody will sign."""
    # planning reads the models, which import this table
    from .planning import drop_calligrapher_task

    drop_calligrapher_task(entry, actor)


def close_task(entry, actor):
    """Effect: a signed page was prepared; its task is done."""
    from .planning import finish_calligrapher_task

    finish_calligrapher_task(entry, actor)


ENTRY_WORKFLOW = Workflow("book_entry", EntryState, [
    transition("planned", "sign", "signed", permission=Permission.GOLDEN_BOOK_EDIT, label=_l("Signed"),
               guard=signed_and_placed, effect=close_task),
    # Whoever may cancel a visit withdraws its planned entry with it (a manager may cancel one).
    transition("planned", "withdraw", "withdrawn", permission=(Permission.GOLDEN_BOOK_EDIT, Permission.VISIT_TRANSITION),
               label=_l("Withdraw"),
               requires_comment=True, effect=drop_open_task),
    transition("withdrawn", "replan", "planned", permission=(Permission.GOLDEN_BOOK_EDIT, Permission.VISIT_EDIT),
               label=_l("Plan again")),
])
