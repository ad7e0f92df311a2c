"""The notices of visits in the office's words (`core.notifications.notices`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

_TASKS = {"de": {"tasks": "„Hotelkontingent bestätigen“ (fällig am 02.03.2027)"},
          "en": {"tasks": "“Confirm the hotel rooms” (due 2 Mar 2027)"}}

STARTS_SOON = notice_kind(
    "visits.starts_soon", _l("Visits: a visit starts in seven days or tomorrow"),
    de=("{reference}: Der Besuch beginnt am {date}",
        "Besuch {reference} „{title}“ beginnt am {date}; offene Aufgaben der Checkliste: {n}."),
    en=("{reference}: the visit starts on {date}",
        "Visit {reference} “{title}” starts on {date}; open checklist tasks: {n}."),
    described={"date": _l("the day of arrival"), "n": _l("how many checklist tasks are open")})

TASKS_OVERDUE = notice_kind(
    "visits.tasks_overdue", _l("Visits: checklist tasks overdue (to whom they are assigned)"),
    de=("{reference}: {n} Checklistenaufgaben überfällig", "Überfällig für den Besuch {reference}: {tasks}."),
    en=("{reference}: {n} checklist tasks overdue", "Overdue for visit {reference}: {tasks}."),
    described={"n": _l("how many tasks are overdue"), "tasks": _l("the overdue tasks with their due days")},
    examples=_TASKS)

TASKS_ESCALATED = notice_kind(
    "visits.tasks_escalated", _l("Visits: checklist tasks overdue for two days (to the responsible officer)"),
    de=("{reference}: Eskalation, {n} Checklistenaufgaben überfällig",
        "Eskalation: seit mehr als zwei Tagen überfällig für den Besuch {reference}: {tasks}."),
    en=("{reference}: escalation, {n} checklist tasks overdue",
        "Escalation: overdue for visit {reference} for more than two days: {tasks}."),
    described={"n": _l("how many tasks are overdue"), "tasks": _l("the overdue tasks with their due days")},
    examples=_TASKS)

REQUEST_WAITING = notice_kind(
    "visits.request_waiting", _l("Visits: a request has waited a week for a decision"),
    de=("{reference}: Anfrage wartet auf Entscheidung",
        "Die Besuchsanfrage {reference} „{title}“ wartet seit mehr als einer Woche."),
    en=("{reference}: request waiting for a decision",
        "Visit request {reference} “{title}” has been waiting for more than a week."))
