"""The mails the events send their guests, in the office's own words (`core.mail_texts`):
the invitation, the reminder to reply and the confirmation of a place from the waiting list."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.i18n import format_clock, format_long_d
from ..core.mail_texts import MailKind, register_mail_kind, write_mail
from ..core.time import BERLIN
from .models import Event, Guest

SIGNATURE = {"de": "Senatskanzlei Berlin · Protokoll", "en": "Senate Chancellery of Berlin · Protocol"}

PLACEHOLDERS = {
    "salutation": _l("the guest's salutation, e.g. “Sehr geehrte Frau Botschafterin”"),
    "event_title": _l("the event's title"), "event_date": _l("its day, e.g. 20. Januar 2027"),
    "event_time": _l("its time, e.g. 18:00"), "venue": _l("its venue (empty if none is set)"),
    "dress_code": _l("its dress code (empty if none)"), "reply_by": _l("the reply date (empty if none)"),
    "reply_link": _l("the guest's own reply link"),
}
_EXAMPLES = {
    "de": {"salutation": "Sehr geehrte Frau Botschafterin", "event_title": "Empfang für das Diplomatische Korps",
           "event_date": "20. Januar 2027", "event_time": "18:00", "venue": "Berliner Rathaus, Festsaal",
           "dress_code": "Dunkler Anzug", "reply_by": "10. Januar 2027",
           "reply_link": "https://protokoll.berlin.de/events/reply/…"},
    "en": {"salutation": "Your Excellency", "event_title": "Reception for the Diplomatic Corps",
           "event_date": "20 January 2027", "event_time": "18:00", "venue": "Berliner Rathaus, Festsaal",
           "dress_code": "Dark suit", "reply_by": "10 January 2027",
           "reply_link": "https://protokoll.berlin.de/events/reply/…"},
}

INVITATION = register_mail_kind(MailKind("events.invitation", _l("Invitation to an event"), PLACEHOLDERS, {
    "de": ("Einladung: {event_title} am {event_date}",
           "{salutation},\n\nder Regierende Bürgermeister von Berlin gibt sich die Ehre, Sie zu folgender Veranstaltung "
           "einzuladen:\n\n  {event_title}\n  {event_date}, {event_time}\n  {venue}\n  Kleiderordnung: {dress_code}\n\n"
           "Bitte antworten Sie über Ihren persönlichen Link: {reply_link}\nBitte antworten Sie bis zum {reply_by}.\n\n"
           + SIGNATURE["de"]),
    "en": ("Invitation: {event_title} on {event_date}",
           "{salutation},\n\nThe Governing Mayor of Berlin has the honour to invite you to\n\n  {event_title}\n"
           "  {event_date}, {event_time}\n  {venue}\n  Dress code: {dress_code}\n\n"
           "Please reply through your personal link: {reply_link}\nPlease reply by {reply_by}.\n\n" + SIGNATURE["en"]),
}, _EXAMPLES))

REPLY_REMINDER = register_mail_kind(MailKind("events.reply_reminder", _l("Reminder to reply to an invitation"), PLACEHOLDERS, {
    "de": ("Erinnerung: Bitte antworten Sie bis {reply_by} – {event_title}",
           "{salutation},\n\nwir haben noch keine Antwort auf unsere Einladung zu folgender Veranstaltung erhalten:\n"
           "  {event_title}, {event_date}, {event_time}\nBitte antworten Sie bis zum {reply_by}.\n"
           "Bitte antworten Sie über Ihren persönlichen Link: {reply_link}\n\n" + SIGNATURE["de"]),
    "en": ("Reminder: please reply by {reply_by} – {event_title}",
           "{salutation},\n\nWe have not yet received your answer to the invitation to\n"
           "  {event_title}, {event_date}, {event_time}\nPlease reply by {reply_by}.\n"
           "Please reply through your personal link: {reply_link}\n\n" + SIGNATURE["en"]),
}, _EXAMPLES))

PLACE_CONFIRMED = register_mail_kind(MailKind("events.place_confirmed", _l("A place confirmed from the waiting list"),
                                              PLACEHOLDERS, {
    "de": ("Ihr Platz ist bestätigt: {event_title}",
           "{salutation},\n\nein Platz ist frei geworden: Wir freuen uns, Ihre Teilnahme an folgender Veranstaltung zu "
           "bestätigen:\n  {event_title}, {event_date}, {event_time}\n\n" + SIGNATURE["de"]),
    "en": ("Your place is confirmed: {event_title}",
           "{salutation},\n\nA place has become free: we are pleased to confirm your attendance at\n"
           "  {event_title}, {event_date}, {event_time}\n\n" + SIGNATURE["en"]),
}, _EXAMPLES))


def guest_mail(kind: MailKind, guest: Guest, event: Event, *, link: str | None = None):
    """The mail of `kind` to `guest` about `event`, in the guest's language."""
    language = guest.language or "de"
    with force_locale(language):
        starts = event.starts_at.astimezone(BERLIN)
        values = {"salutation": guest.salutation(), "event_title": event.title, "event_date": format_long_d(starts.date()),
                  "event_time": format_clock(event.starts_at), "venue": event.venue.name if event.venue else "",
                  "dress_code": str(event.dress_code_label) if event.dress_code != "none" else "",
                  "reply_by": format_long_d(event.reply_by) if event.reply_by else "", "reply_link": link or ""}
    return write_mail(kind.key, language, values)
