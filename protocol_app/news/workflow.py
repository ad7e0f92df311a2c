"""The life cycle of a press note.

An officer drafts the note from a visit or event that took place and sends it for review; a
manager approves it (it is published at once) or returns it with a reason. A published note can
be withdrawn (it disappears from the feed and the list) and, revised, go through review again.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.enums import LabelledEnum
from ..core.permissions import Permission
from ..core.workflow import Workflow, transition


class NoteState(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    IN_REVIEW = "in_review", _l("In review")
    PUBLISHED = "published", _l("Published")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


def complete(note, actor):
    """Guard: the public reads the note in both languages, and a photo only with its credit."""
    from .services import missing_parts  # the rules read the models, which import this table

    missing = missing_parts(note)
    if missing:
        return _l("Still missing: %(parts)s.", parts=", ".join(str(m) for m in missing))
    return None


def publishable(note, actor):
    """Guard: complete, and its visit or event may still be told to the public."""
    from .services import source_refusal

    return complete(note, actor) or source_refusal(note.source_scope, note.source_id)


def stamp_publication(note, actor):
    """Effect: the feed dates the note from its approval, and the neighbour systems subscribed
    to it hear of the publication (webhooks)."""
    from ..core.time import now_utc
    from .services import tell_published  # the services read the models, which import this table

    note.published_at = now_utc()
    tell_published(note)


NOTE_WORKFLOW = Workflow("news_note", NoteState, [
    transition("draft", "submit", "in_review", permission=Permission.NEWS_EDIT, label=_l("Send for approval"),
               guard=complete),
    transition("in_review", "return", "draft", permission=Permission.NEWS_APPROVE, label=_l("Return for changes"),
               requires_comment=True),
    transition("in_review", "approve", "published", permission=Permission.NEWS_APPROVE,
               label=_l("Approve and publish"), guard=publishable, effect=stamp_publication),
    transition("published", "withdraw", "withdrawn", permission=(Permission.NEWS_APPROVE, Permission.NEWS_EDIT),
               label=_l("Withdraw from the website"), requires_comment=True),
    transition("withdrawn", "revise", "draft", permission=Permission.NEWS_EDIT, label=_l("Revise")),
])
