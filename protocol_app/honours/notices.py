"""The notices of honours in the office's words (`core.notifications.notices`). They name a case
by its reference only: the nominee's name never goes into a notice or a mail (DESIGN.md §6)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

STEP_WAITING = notice_kind(
    "honours.step_waiting", _l("Honours: a case waits for an approval step"),
    de=("{reference}: wartet auf Ihren Genehmigungsschritt",
        "Vorgang {reference} wartet seit {days} Tagen auf Ihren Schritt „{step}“."),
    en=("{reference}: waiting for your approval step",
        "Case {reference} has been waiting for your step “{step}” for {days} days."),
    described={"step": _l("the approval step, e.g. “Senatskanzlei”"), "days": _l("for how many days")},
    examples={"de": {"reference": "E-2027-0012", "step": "Chef der Senatskanzlei", "days": "16"},
              "en": {"reference": "E-2027-0012", "step": "Head of the Senate Chancellery", "days": "16"}})

STATEMENT_OVERDUE = notice_kind(
    "honours.statement_overdue", _l("Honours: a statement has not arrived"),
    de=("{reference}: eine Stellungnahme steht aus",
        "Die Stellungnahme von {source} zu Vorgang {reference}, angefordert am {date}, ist nicht eingegangen."),
    en=("{reference}: a statement is overdue",
        "The statement from {source} for case {reference}, requested on {date}, has not arrived."),
    described={"source": _l("who was asked for the statement"), "date": _l("the day it was requested")},
    examples={"de": {"reference": "E-2027-0012", "source": "Bezirksamt Pankow"},
              "en": {"reference": "E-2027-0012", "source": "Bezirksamt Pankow"}})

DEADLINE = notice_kind(
    "honours.deadline", _l("Honours: the nomination deadline of an award comes near"),
    de=("{award}: Vorschlagsfrist {date}",
        "Die Vorschlagsfrist für {award} endet am {date}. Noch nicht weitergeleitete Vorgänge: {cases}."),
    en=("{award}: nomination deadline {date}",
        "The nomination deadline for {award} is {date}. Cases not yet forwarded: {cases}."),
    described={"award": _l("the award"), "date": _l("the deadline"),
               "cases": _l("the references of the cases not yet forwarded (— if none)")},
    examples={"de": {"award": "Verdienstorden des Landes Berlin", "cases": "E-2027-0012, E-2027-0015"},
              "en": {"award": "Verdienstorden des Landes Berlin", "cases": "E-2027-0012, E-2027-0015"}})
