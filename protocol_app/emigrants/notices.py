"""The notices of the emigrant programme in the office's words (`core.notifications.notices`).
They go to the team and the admins only and name an application by its reference — never the
person, their story or their health."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

_APPLICATION = {"de": {"reference": "EP-2027-0003"}, "en": {"reference": "EP-2027-0003"}}

INVITATION_UNANSWERED = notice_kind(
    "emigrants.invitation_unanswered", _l("Emigrant programme: an invitation unanswered for 30 days"),
    de=("{reference}: Handlungsbedarf im Emigrantenprogramm",
        "Antrag {reference}: seit 30 Tagen keine Antwort auf die Einladung."),
    en=("{reference}: the emigrant programme asks you to act",
        "Application {reference}: no answer to the invitation for 30 days."),
    examples=_APPLICATION)

TRAVEL_MISSING = notice_kind(
    "emigrants.travel_missing", _l("Emigrant programme: travel not fully booked three weeks ahead"),
    de=("{reference}: Handlungsbedarf im Emigrantenprogramm",
        "Antrag {reference}: Ankunft am {date}, Reise nicht vollständig gebucht."),
    en=("{reference}: the emigrant programme asks you to act",
        "Application {reference}: arrival on {date}, travel not fully booked."),
    described={"date": _l("the day of arrival")}, examples=_APPLICATION)

RETENTION_APPLIED = notice_kind(
    "emigrants.retention_applied", _l("Emigrant programme: retention periods applied (to the admins)"),
    de=("Emigrantenprogramm: Aufbewahrungsfristen heute angewandt",
        "Aufbewahrung: Heute wurden die Gesundheitsangaben von {health} Vorgängen und {cases} ganze Vorgänge gelöscht."),
    en=("Emigrant programme: retention periods applied today",
        "Retention: health notes of {health} cases and {cases} whole cases were erased today."),
    described={"health": _l("of how many cases the health notes were erased"),
               "cases": _l("how many whole cases were erased")},
    examples={"de": {"health": "2", "cases": "1"}, "en": {"health": "2", "cases": "1"}})

VOLUNTEER_ADDRESS_MISSING = notice_kind(
    "emigrants.volunteer_address_missing", _l("Emigrant programme: no address of the volunteer companion"),
    de=("{reference}: Handlungsbedarf im Emigrantenprogramm",
        "Antrag {reference}: Ankunft in drei Tagen, aber keine E-Mail-Adresse der ehrenamtlichen Begleitung "
        "für das Programm."),
    en=("{reference}: the emigrant programme asks you to act",
        "Application {reference}: arrival in three days, but no e-mail address of the volunteer companion "
        "for the programme."),
    examples=_APPLICATION)
