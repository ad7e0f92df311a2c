"""The notices of events to the office's staff in the office's words
(`core.notifications.notices`); the guests' own mails are in `events.mail_texts`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

_EVENT = {"de": {"reference": "VA-2027-0004", "title": "Empfang für das Diplomatische Korps"},
          "en": {"reference": "VA-2027-0004", "title": "Reception for the Diplomatic Corps"}}

GUESTS_SILENT = notice_kind(
    "events.guests_silent", _l("Events: guests have not answered before the reply date"),
    de=("{reference}: Gäste ohne Antwort: {n}",
        "Gäste ohne Antwort zu {reference} „{title}“: {n}."),
    en=("{reference}: guests without an answer: {n}",
        "Guests of {reference} “{title}” without an answer: {n}."),
    described={"n": _l("how many guests have not answered")}, examples=_EVENT)

SOON_WITH_TASKS = notice_kind(
    "events.soon_with_tasks", _l("Events: an event within a week with open tasks"),
    de=("{reference}: in einer Woche, offene Aufgaben: {n}",
        "Die Veranstaltung {reference} „{title}“ findet innerhalb einer Woche statt; offene Aufgaben: {n}."),
    en=("{reference}: within a week, open tasks: {n}",
        "Event {reference} “{title}” takes place within a week; open tasks: {n}."),
    described={"n": _l("how many checklist tasks are open")}, examples=_EVENT)
