"""The audit log in words: what was done to which kind of record, as an admin reads it — the
stored codes (`visit.update`, `emigrant_applications`) stay in the database and in the filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The kinds of record, by the prefix of an action and by their table.
RECORDS = {
    "visit": _l("Visit"), "visits": _l("Visit"), "visit_programme_items": _l("Programme item of a visit"),
    "delegation_members": _l("Delegation member"), "gifts": _l("Gift"), "visit_attachments": _l("Attachment"),
    "event": _l("Event"), "events": _l("Event"), "event_guests": _l("Guest"), "event_programme_items":
    _l("Programme item of an event"), "event_tables": _l("Table"), "seat_assignments": _l("Seat"),
    "event_attachments": _l("Attachment"), "occasion_templates": _l("Recurring occasion"),
    "guest": _l("Guest"), "ceremony": _l("Award ceremony"),
    "nomination": _l("Honours case"), "nominations": _l("Honours case"), "nomination_merits": _l("Merit"),
    "nomination_statements": _l("Statement"), "nomination_disclosures": _l("Disclosure"),
    "nomination_attachments": _l("Attachment"), "award_type": _l("Award"), "award_types": _l("Award"),
    "approval_steps": _l("Approval step"), "holder": _l("Holder of an award"), "award_holders": _l("Holder of an award"),
    "application": _l("Emigrant programme application"), "emigrant_applications":
    _l("Emigrant programme application"), "emigrants": _l("Emigrant programme"),
    "emigrant_letter_templates": _l("Letter template"), "emigrant_stays": _l("Stay"),
    "assignment": _l("Assignment"), "assignments": _l("Assignment"), "offer": _l("Offer"),
    "assignment_offers": _l("Offer"), "translator": _l("Translator"), "translator_profiles": _l("Translator"),
    "user": _l("User"), "users": _l("User"), "auth": _l("Sign-in"), "calendar": _l("Calendar feed"),
    "calendar_feed_tokens": _l("Calendar feed"), "checklist_template": _l("Checklist template"),
    "checklist_templates": _l("Checklist template"), "tasks": _l("Task"), "letters": _l("Letters and certificates"),
    "letterheads": _l("Letterhead"), "letter_signatories": _l("Signatory"), "outbox": _l("Outbox"),
    "outbox_mails": _l("E-mail"), "reference_data": _l("Reference data"), "contacts": _l("Contact"),
    "missions": _l("Mission"), "venues": _l("Venue"), "hosts": _l("Host"), "partner_cities": _l("Partner city"),
    "address_forms": _l("Form of address"), "countries": _l("Country"),
    "book_entry": _l("Book entry"), "book_entries": _l("Book entry"), "book_settings": _l("Golden Book settings"),
}

#: What was done, by the action's second part.
DEEDS = {
    "create": _l("created"), "update": _l("changed"), "read": _l("opened"), "delete": _l("deleted"),
    "login": _l("signed in"), "login_failed": _l("sign-in failed"), "login_refused": _l("sign-in refused"),
    "logout": _l("signed out"), "password_change": _l("password changed"), "password_reset": _l("password reset"),
    "unlock": _l("login block lifted"), "activate": _l("activated"), "deactivate": _l("deactivated"),
    "set_locale": _l("language changed"), "transition": _l("step taken"), "guest_add": _l("guest added"),
    "guest_remove": _l("guest removed"), "invitations_send": _l("invitations sent"), "reply": _l("reply recorded"),
    "interpreting_requested": _l("interpreting requested"), "list_read": _l("list opened"),
    "access_refused": _l("access refused"), "letter": _l("letter made"), "letter_read": _l("letter opened"),
    "document_add": _l("document added"), "document_read": _l("document opened"),
    "document_remove": _l("document removed"), "erased": _l("erased"), "subject_access": _l("data export for the person"),
    "resend": _l("sent again"), "signatory": _l("signatory named"), "letterhead": _l("letterhead changed"),
    "feed_issue": _l("feed link issued"), "feed_revoke": _l("feed link revoked"), "checkin": _l("arrival ticked"),
    "merit_add": _l("merit added"), "merit_remove": _l("merit removed"), "statement_request": _l("statement requested"),
    "statement_received": _l("statement received"), "retention": _l("retention applied"),
    "delivered": _l("delivered"), "received": _l("received"), "confirmed": _l("confirmed"),
    "second_factor": _l("second factor given"), "second_factor_failed": _l("wrong second-factor code"),
    "second_factor_enrolled": _l("second factor set up"), "second_factor_reset": _l("second factor reset"),
    "plan": _l("planned"), "sign": _l("signed"), "withdraw": _l("withdrawn"), "replan": _l("planned again"),
    "photo": _l("photo changed"), "photo_remove": _l("photo removed"), "task_remove": _l("task removed"),
}


def record_label(code: str | None) -> str:
    """The kind of record in words (its code when it has none yet)."""
    if not code:
        return ""
    label = RECORDS.get(code)
    return str(label) if label else code


def action_label(action: str) -> str:
    """"visit.update" → "Besuch: geändert"; an action without words keeps its code."""
    record, _dot, deed = action.partition(".")
    record_words, deed_words = RECORDS.get(record), DEEDS.get(deed)
    if record_words is None or deed_words is None:
        return f"{record_label(record)}: {DEEDS[deed]}" if deed in DEEDS else action
    return f"{record_words}: {deed_words}"


def value_label(value) -> str:
    """A changed value as people write it: yes/no rather than True/False, a dash for nothing."""
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    if value is None or value == "":
        return "—"
    return str(value)
