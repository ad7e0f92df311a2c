"""The volunteer companion's copy of the programme.

Volunteers have no account. Three days before arrival a beat rule mails them a personal link
(hashed in the database, working until the day of departure); the mail carries the dates and
the link only — no name, no story, no health. The page behind the link shows what the
volunteer needs to meet and accompany the guest: names, arrival, hotel and the programme;
never the persecution history, the needs or the documents. Every opening is logged."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import DomainError, ValidationFailed
from ..core.i18n import format_long_d
from ..core.link_tokens import hash_token, new_token
from ..core.mail_texts import MailKind, register_mail_kind, write_mail
from ..core.notifications.services import queue_written
from ..core.reminders import remind_once, reminder_rule
from ..core.time import now_utc, today_berlin
from ..extensions import db
from . import notices
from .models import Application, StayPlan
from .reminders import tell_team
from .workflow import ApplicationState

#: The programme goes to the volunteer this many days before arrival.
NOTICE = timedelta(days=3)
#: States in which the guest is coming (or, for the link, is here).
COMING_STATES = (ApplicationState.CONFIRMED, ApplicationState.TRAVEL_BOOKED)
LINK_STATES = (*COMING_STATES, "visited")

VOLUNTEER_MAIL = register_mail_kind(MailKind("emigrants.volunteer", _l("Emigrant programme: the programme for the volunteer companion"), {
    "first_day": _l("the day of arrival"), "last_day": _l("the day of departure"),
    "programme_link": _l("the volunteer's own link to the programme")}, {
    "de": ("Begleitung im Emigrantenprogramm, {first_day} – {last_day}",
           "Guten Tag,\n\nvielen Dank, dass Sie vom {first_day} bis zum {last_day} einen Gast des Emigrantenprogramms "
           "begleiten.\nDas Programm der Woche steht für Sie bereit: {programme_link}\n\nDer Link gilt bis zum Abreisetag. "
           "Bitte geben Sie ihn nicht weiter.\n\nSenatskanzlei Berlin · Protokoll · Emigrantenprogramm"),
    "en": ("Accompaniment in the emigrant programme, {first_day} – {last_day}",
           "Good day,\n\nThank you for accompanying a guest of the emigrant programme from {first_day} to {last_day}.\n"
           "The programme of the week is ready for you: {programme_link}\n\nThe link works until the day of departure. "
           "Please do not pass it on.\n\nSenate Chancellery of Berlin · Protocol · Emigrant programme"),
}, {"de": {"first_day": "4. Mai 2027", "last_day": "11. Mai 2027", "programme_link": "https://protokoll.berlin.de/emigrants/volunteer/…"},
    "en": {"first_day": "4 May 2027", "last_day": "11 May 2027", "programme_link": "https://protokoll.berlin.de/emigrants/volunteer/…"}}))


def programme_link(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/emigrants/volunteer/{token}"


@transactional
def send_programme(application: Application, plan: StayPlan, *, actor=None) -> None:
    """Mail the volunteer a new link to the programme; an earlier link stops working."""
    if application.state not in COMING_STATES:
        # The link opens only for a guest who is coming; a link that opens nothing helps nobody.
        raise DomainError(_l("The programme goes to the volunteer once the guest has accepted the invitation."))
    if not plan.volunteer_email:
        raise ValidationFailed(_l("Please enter the volunteer companion's e-mail address first."),
                               field="volunteer_email")
    token, plan.volunteer_token_hash = new_token()
    plan.volunteer_sent_at = now_utc()
    with force_locale("de"):  # volunteers are Berliners; the page offers nothing else
        values = {"first_day": format_long_d(plan.arrives_on), "last_day": format_long_d(plan.departs_on),
                  "programme_link": programme_link(token)}
    queue_written(plan.volunteer_email, write_mail(VOLUNTEER_MAIL.key, "de", values), language="de")
    db.session.flush()
    record_event("application.volunteer_programme_sent", actor=actor, target=application)


def stay_for_token(token: str) -> tuple[Application, StayPlan] | None:
    """The case and stay of a volunteer link that still works, else None (no hint why)."""
    row = db.session.execute(sa.select(Application, StayPlan).join(StayPlan, StayPlan.application_id == Application.id)
                             .where(StayPlan.volunteer_token_hash == hash_token(token))).first()
    if row is None:
        return None
    application, plan = row
    if application.state not in LINK_STATES or today_berlin() > plan.departs_on:
        return None
    return application, plan


def log_volunteer_read(application: Application) -> None:
    record_event("application.volunteer_read", target=application)


@reminder_rule("emigrants-volunteer-programme")
def send_due_programmes() -> int:
    """Arrival in three days: the programme to the volunteer, or the team told that no address is known."""
    today = today_berlin()
    rows = db.session.execute(sa.select(Application, StayPlan).join(StayPlan, StayPlan.application_id == Application.id)
                              .where(Application.state.in_(COMING_STATES), StayPlan.arrives_on >= today,
                                     StayPlan.arrives_on <= today + NOTICE)).all()
    to_send, missing = [], []
    for application, plan in rows:
        key = f"emigrants-volunteer-programme:{application.id}:{plan.arrives_on}"
        if plan.volunteer_email:
            # Once per address: a volunteer named later still gets it, and the key holds no address.
            if plan.volunteer_sent_at is None:
                to_send.append((f"{key}:{hash_token(plan.volunteer_email)[:16]}", None, application,
                                (application, plan)))
        else:
            missing.append((f"{key}:missing", application, {}))
    sent = remind_once("emigrants-volunteer-programme", to_send)
    for application, plan in sent:
        send_programme(application, plan)
    return len(sent) + tell_team(notices.VOLUNTEER_ADDRESS_MISSING, missing)
