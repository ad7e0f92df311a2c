"""The notices of the Sprachendienst in the office's words (`core.notifications.notices`): to
translators about their offers and assignments, to officers about answers and staffing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

_DESCRIBED = {"reference": _l("the assignment's reference"), "title": _l("what the assignment is"),
              "name": _l("the translator's name"), "reason": _l("the reason given")}
_EXAMPLES = {"de": {"reference": "S-2027-0031", "title": "Dolmetschen Französisch, Empfang im Roten Rathaus",
                    "name": "Claire Dubois", "reason": "Der Empfang entfällt."},
             "en": {"reference": "S-2027-0031", "title": "French interpreting, reception at the Rotes Rathaus",
                    "name": "Claire Dubois", "reason": "The reception has been called off."}}


def _kind(key, label, *, de, en, **described):
    return notice_kind(key, label, de=de, en=en, described=_DESCRIBED | described, examples=_EXAMPLES)


OFFER = _kind(
    "language_service.offer", _l("Sprachendienst: an assignment offered to a translator"),
    de=("{reference}: neues Angebot, bitte antworten",
        "Neues Angebot {reference}: {title}. Bitte nehmen Sie an oder lehnen Sie ab."),
    en=("{reference}: new offer, please answer", "New offer {reference}: {title}. Please accept or decline."))

OFFER_ACCEPTED = _kind(
    "language_service.offer_accepted", _l("Sprachendienst: a translator accepted an offer"),
    de=("{reference}: ein Angebot wurde angenommen", "{name} hat {reference} angenommen."),
    en=("{reference}: an offer was accepted", "{name} accepted {reference}."))

OFFER_DECLINED = _kind(
    "language_service.offer_declined", _l("Sprachendienst: a translator declined an offer"),
    de=("{reference}: ein Angebot wurde abgelehnt", "{name} hat {reference} abgelehnt."),
    en=("{reference}: an offer was declined", "{name} declined {reference}."))

HANDED_BACK = _kind(
    "language_service.handed_back", _l("Sprachendienst: a translator handed an assignment back"),
    de=("{reference}: zurückgegeben, neu zu besetzen", "{name} hat {reference} zurückgegeben: {reason}"),
    en=("{reference}: handed back, to be staffed again", "{name} handed back {reference}: {reason}"))

OFFER_WITHDRAWN = _kind(
    "language_service.offer_withdrawn", _l("Sprachendienst: an offer withdrawn, enough have accepted"),
    de=("{reference}: Angebot zurückgezogen",
        "Das Angebot {reference} wurde zurückgezogen: Es haben genug Dolmetscherinnen und Dolmetscher zugesagt. "
        "Vielen Dank."),
    en=("{reference}: offer withdrawn",
        "Offer {reference} has been withdrawn: enough interpreters have accepted. Thank you."))

INTERPRETING_REQUESTED = _kind(
    "language_service.interpreting_requested", _l("Sprachendienst: another team asks for interpreting"),
    de=("{reference}: Dolmetschen angefragt", "{team} bittet um eine Dolmetschung: {reference}."),
    en=("{reference}: interpreting requested", "{team} asks for interpreting: {reference}."),
    team=_l("the team asking, e.g. the emigrant programme"))

ASSIGNMENT_CHANGED = _kind(
    "language_service.assignment_changed", _l("Sprachendienst: an assignment's time or place changed"),
    de=("{reference}: geändert, bitte prüfen",
        "Der Einsatz {reference} wurde geändert: {when}, {place}. Bitte prüfen Sie ihn."),
    en=("{reference}: changed, please check", "Assignment {reference} has changed: {when}, {place}. Please check it."),
    when=_l("its new time"), place=_l("its place (— if none)"))

ASSIGNMENT_CANCELLED = _kind(
    "language_service.assignment_cancelled", _l("Sprachendienst: an assignment cancelled"),
    de=("{reference}: abgesagt", "Der Einsatz {reference} wurde abgesagt: {reason}"),
    en=("{reference}: cancelled", "Assignment {reference} has been cancelled: {reason}"))

TRANSLATION_DELIVERED = _kind(
    "language_service.translation_delivered", _l("Sprachendienst: a translation delivered"),
    de=("{reference}: Übersetzung geliefert", "Die Übersetzung {reference} wurde abgeliefert."),
    en=("{reference}: translation delivered", "The translation {reference} has been delivered."))

OFFER_UNANSWERED = _kind(
    "language_service.offer_unanswered", _l("Sprachendienst: an offer unanswered for two days (to the translator)"),
    de=("{reference}: Ihre Antwort auf das Angebot steht aus", "Bitte beantworten Sie das Angebot {reference}: {title}."),
    en=("{reference}: your answer to the offer is due", "Please answer the offer {reference}: {title}."))

OFFER_ESCALATED = _kind(
    "language_service.offer_escalated", _l("Sprachendienst: an offer unanswered for three days (to the officer)"),
    de=("{reference}: ein Angebot ist unbeantwortet", "{name} hat das Angebot {reference} seit drei Tagen nicht beantwortet."),
    en=("{reference}: an offer has not been answered", "{name} has not answered the offer {reference} for three days."))

UNDERSTAFFED = _kind(
    "language_service.understaffed", _l("Sprachendienst: an assignment not fully staffed five days ahead"),
    de=("{reference}: in fünf Tagen nicht vollständig besetzt",
        "Einsatz {reference} ({title}) in höchstens fünf Tagen ist nicht vollständig besetzt."),
    en=("{reference}: not fully staffed in five days",
        "Assignment {reference} ({title}) in five days or less is not fully staffed."))

TRANSLATION_DUE = _kind(
    "language_service.translation_due", _l("Sprachendienst: a translation due in two days"),
    de=("{reference}: Übersetzung fällig am {deadline}", "Die Übersetzung {reference} ist fällig am {deadline}."),
    en=("{reference}: the translation is due {deadline}", "The translation {reference} is due on {deadline}."),
    deadline=_l("its deadline"))
