"""The notices of the press notes in the office's words (`core.notifications.notices`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

NOTE_WAITING = notice_kind(
    "news.note_waiting", _l("Press notes: a note waits for approval"),
    de=("Pressemeldung wartet: {title}", "Die Pressemeldung „{title}“ wartet auf Ihre Freigabe."),
    en=("Press note waiting: {title}", "The press note “{title}” is waiting for your approval."),
    described={"title": _l("the press note's German title")},
    examples={"de": {"title": "35 Jahre Städtepartnerschaft mit Paris"},
              "en": {"title": "35 Jahre Städtepartnerschaft mit Paris"}})
