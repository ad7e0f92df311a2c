"""The audit log in words: what was done to which record, as an admin reads it — the stored
codes (`visit.update`, `emigrant_applications`, `signed_on`, `2027-03-01`) stay in the database
and in the filter's links, the page shows the kind of record with its reference, the step as
its process names it, each changed field by its form's label and each value as the reader's
language writes it."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from ...extensions import db
from ..enums import LabelledEnum
from ..i18n import format_d, format_dt
from ..references import format_reference

#: The kinds of record, by the prefix of an action and by their table.
RECORDS = {
    "visit": _l("Visit"), "visits": _l("Visit"), "visit_programme_items": _l("Programme item of a visit"),
    "visit_programme_item": _l("Programme item of a visit"),
    "delegation_members": _l("Delegation member"), "gifts": _l("Gift"), "visit_attachments": _l("Attachment"),
    "event": _l("Event"), "events": _l("Event"), "event_guests": _l("Guest"), "event_programme_items":
    _l("Programme item of an event"), "event_tables": _l("Table"), "seat_assignments": _l("Seat"),
    "event_attachments": _l("Attachment"), "occasion_templates": _l("Recurring occasion"),
    "guest": _l("Guest"), "guest_reply": _l("Guest"), "ceremony": _l("Award ceremony"),
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
    "checklist_templates": _l("Checklist template"), "tasks": _l("Task"), "task": _l("Task"),
    "letters": _l("Letters and certificates"), "letterheads": _l("Letterhead"), "letter_signatories": _l("Signatory"),
    "outbox": _l("Outbox"), "outbox_mails": _l("E-mail"), "reference_data": _l("Reference data"),
    "contacts": _l("Contact"), "missions": _l("Mission"), "venues": _l("Venue"), "hosts": _l("Host"),
    "partner_cities": _l("Partner city"), "address_forms": _l("Form of address"), "countries": _l("Country"),
    "book_entry": _l("Book entry"), "book_entries": _l("Book entry"), "book_settings": _l("Golden Book settings"),
    "graves": _l("Honorary grave"), "honorary_graves": _l("Honorary grave"), "grave_batch": _l("Renewal batch"),
"grave_suggestion": _l("Grave suggestion"),
    "grave_suggestions": _l("Grave suggestion"), "news_note": _l("Press note"), "news_notes": _l("Press note"),
    "partnership": _l("Partnership"), "partnerships": _l("Partnership"), "partnership.activity": _l("Partnership activity"),
    "partnership_activities": _l("Partnership activity"), "keys": _l("Keys"), "directory": _l("Directory"),
    "grave_renewal_batches": _l("Renewal batch"), "grave_renewal_entries": _l("Grave in a renewal batch"),
    "grave_suggestion_statements": _l("Statement"), "partnership_networks": _l("Network"),
    "recovery_codes": _l("Recovery codes"), "user_sessions": _l("Session"), "user_roles": _l("Role"),
    "notifications": _l("Notification"), "reminders": _l("Reminder"), "workflow_transitions": _l("Process step"),
    "reference_counters": _l("Reference counter"), "audit_events": _l("Audit event"), "audit_chain": _l("Audit chain"),
    "stored_files": _l("File"), "heartbeats": _l("Heartbeat"), "checklist_template_items": _l("Checklist template item"),
    "nomination_step_decisions": _l("Approval decision"), "translator_availability": _l("Availability"),
    "translator_languages": _l("Language of a translator"), "translator_absences": _l("Absence"),
    "emigrant_retention": _l("Retention"), "emigrant_budgets": _l("Budget"), "emigrant_documents": _l("Document"),
    "emigrant_priority_weights": _l("Priority weights"), "emigrant_participants": _l("Former participant"),
    "emigrant_programme_items": _l("Programme item of a stay"), "emigrant_duplicate_decisions": _l("Duplicate decision"),
    "emigrant_letters": _l("Letter"), "emigrant_travel": _l("Travel"), "emigrant_statistics": _l("Statistics"),
    "access_tokens": _l("Access token"), "mail_text": _l("Mail text"), "mail_texts": _l("Mail text"),
    "mail_text_versions": _l("Mail text"), "webhook": _l("Webhook"), "webhook_subscriptions": _l("Webhook"), "webhook_deliveries": _l("Webhook delivery"),
}

#: What was done, by the action's last part (a process step is named by its process instead).
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
    "task_add": _l("task added"), "task_update": _l("task changed"), "task_done": _l("task done"),
    "task_reopen": _l("task reopened"), "attachment_add": _l("attachment added"),
    "attachment_remove": _l("attachment removed"), "export": _l("exported"), "print": _l("printed"),
    "booklet": _l("booklet made"), "copied": _l("copied"), "delegation_add": _l("delegation member added"),
    "delegation_remove": _l("delegation member removed"), "gift_create": _l("gift recorded"),
    "gift_update": _l("gift changed"), "gift_delete": _l("gift deleted"), "programme_delete": _l("programme item removed"),
    "programme_create": _l("programme item added"), "programme_update": _l("programme item changed"),
    "duplicate_decision": _l("duplicate settled"), "health_erased": _l("health details erased"),
    "mailing_consent": _l("mailing consent changed"), "priority_override": _l("priority set by hand"),
    "programme_item": _l("programme item added"), "programme_item_remove": _l("programme item removed"),
    "stay_plan": _l("stay planned"), "travel_booking": _l("travel booked"),
    "volunteer_programme_sent": _l("programme sent to the volunteer"), "volunteer_read": _l("opened by the volunteer"),
    "source": _l("source text added"), "directory_access_ended": _l("directory access ended"),
    "step_add": _l("approval step added"), "step_remove": _l("approval step removed"), "order": _l("order set"),
    "item_add": _l("item added"), "item_delete": _l("item deleted"), "alumni_export": _l("alumni list exported"),
    "budget": _l("budget set"), "letter_template": _l("letter template changed"),
    "participants_import": _l("participants imported"), "weights": _l("weights set"), "embargo": _l("embargo set"),
    "guests_add_category": _l("guests added by category"), "guests_import": _l("guests imported"),
    "seat_move": _l("seat moved"), "seating_propose": _l("seating proposed"), "tables_set": _l("tables set"),
    "waiting_list_moved_up": _l("moved up from the waiting list"), "walk_in": _l("walk-in guest added"),
    "batch_create": _l("renewal batch started"), "batch_propose": _l("proposal recorded"),
    "import": _l("imported"), "suggestion_create": _l("suggestion recorded"),
    "suggestion_statement": _l("statement recorded"), "add": _l("added"), "corrected": _l("corrected"),
    "revoked": _l("revoked"), "rotate": _l("rotated"), "disclosure_add": _l("disclosure added"),
    "disclosure_erased": _l("disclosure erased"), "withdrawn_staffed": _l("withdrawn after staffing"),
    "document": _l("document changed"), "load": _l("loaded"), "absence_add": _l("absence added"),
    "absence_remove": _l("absence removed"), "language": _l("language added"), "language_remove": _l("language removed"),
    "terms": _l("terms changed"), "window_add": _l("availability added"), "window_remove": _l("availability removed"),
    "death_recorded": _l("death recorded"), "death_undone": _l("death record undone"),
    "dashboard_read": _l("shown on a start page"), "search_read": _l("found by the search"),
    "calendar_read": _l("shown in the calendar"), "feed_read": _l("sent in a calendar feed"),
    "provider_logout": _l("signed out at the Land's login"), "end": _l("ended"),
    "missions_import": _l("missions imported"), "contacts_import": _l("contacts imported"),
    "venues_import": _l("venues imported"), "missions_export": _l("missions exported"),
    "contacts_export": _l("contacts exported"), "venues_export": _l("venues exported"),
    "token_issue": _l("access token made"), "token_revoke": _l("access token revoked"),
    "api_read": _l("sent through the API"), "reset": _l("reset to the default"),
    "public_suggestion": _l("suggested on the public page"), "needs_read": _l("guests' needs shown"), "needs_erased": _l("guests' needs erased"),
}

#: The ways a confidential record can be shown (`record_read(how=…)`); each has its words above.
READ_WAYS = ("read", "list_read", "dashboard_read", "search_read", "calendar_read", "feed_read", "export", "print",
             "api_read", "needs_read")

#: Fields no form names (ids, states, moments the app sets).
FIELDS = {
    "state": _l("State"), "status": _l("Status"), "responsible_officer_id": _l("Responsible officer"),
    "deputy_officer_id": _l("Deputy"), "owner_id": _l("Owner"), "hosts": _l("Hosts"), "due_on": _l("Due on"),
    "title": _l("Title"), "photo": _l("Photo"), "book": _l("Book"), "signed_on": _l("Date of the signing"),
    "delegation_member": _l("Delegation member"), "is_active": _l("Active"), "roles": _l("Roles"),
    "already_in_register": _l("Already in the register"), "known_rows": _l("Rows already in the register"),
    "lead_days": _l("Lead time (days)"), "proposal": _l("Proposal"), "name": _l("Name"),
    "partnership_id": _l("Partnership"), "country_code": _l("Country"), "guest_country_code": _l("Country of the guest"),
}

#: Fields that hold a country's ISO code: shown by the country's name.
COUNTRY_FIELDS = {"country_code", "guest_country_code", "postal_country_code", "nationality"}

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def record_label(code: str | None) -> str:
    """The kind of record in words (its code when it has none yet)."""
    if not code:
        return ""
    label = RECORDS.get(code)
    return str(label) if label else code


@cache
def _mapped_classes() -> dict:
    """{table name: mapped class} of every record the app stores."""
    return {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers
            if getattr(mapper, "local_table", None) is not None}


@cache
def _workflows() -> dict:
    """{process name: (its table's class, its workflow)}."""
    return {cls.__workflow__.name: (cls, cls.__workflow__) for cls in _mapped_classes().values()
            if getattr(cls, "__workflow__", None) is not None}


def action_label(action: str) -> str:
    """"visit.update" → "Besuch: geändert", "book_entry.sign" → "Buch-Eintrag: Eingetragen" (the
    step as its process names it); an action without words keeps its code."""
    record, _dot, deed = action.rpartition(".")
    record_words = RECORDS.get(record) or RECORDS.get(record.rpartition(".")[2])
    flow = _workflows().get(record)
    step = next((t.label for t in flow[1].transitions if t.action == deed), None) if flow else None
    deed_words = step or DEEDS.get(deed)
    if record_words is None and flow is not None:
        record_words = RECORDS.get(flow[0].__tablename__)
    if record_words is None or deed_words is None:
        return action
    return f"{record_words}: {deed_words}"


@cache
def _form_labels() -> dict:
    """{field name: label} as the app's forms name their fields (the first form to name one)."""
    labels = {}
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for name, value in vars(form).items():
            if isinstance(value, UnboundField) and name not in labels:
                label = value.args[0] if value.args else value.kwargs.get("label")
                if label is not None:
                    labels[name] = label
    return labels


def field_label(field: str) -> str:
    """A changed field by the label of the form it is entered in ("signed_on" → "Datum der Eintragung")."""
    label = FIELDS.get(field) or _form_labels().get(field)
    if label is None and field.endswith("_id"):
        label = FIELDS.get(field[:-3]) or _form_labels().get(field[:-3])
    return str(label) if label is not None else field.replace("_", " ")


#: Fields that hold a code of some LabelledEnum (roles, kinds, modes …): their codes are shown by
#: label wherever one kind of value alone uses the code; elsewhere only codes with an underscore
#: are ("head_of_department"), so that a plain word a person typed is never "translated".
CODE_FIELDS = {"roles", "role", "kind", "mode", "direction", "book", "rank", "proposal", "position", "employment",
               "category", "level", "verdict", "outcome", "status", "reply_channel", "gender", "dress_code", "press",
               "interpreter_mode", "inviting_side", "suggester_kind", "owner_rule", "anchor"}


@cache
def _unambiguous_enum_labels() -> dict:
    """{code: label} of the codes only one kind of value uses ("awaiting_manager"), for fields
    that store a code the audit entry does not name the enum of."""
    seen: dict[str, set] = {}
    pending = list(LabelledEnum.__subclasses__())
    while pending:
        enum_class = pending.pop()
        pending.extend(enum_class.__subclasses__())
        for member in enum_class:
            seen.setdefault(member.value, set()).add(member.label)
    return {code: next(iter(labels)) for code, labels in seen.items() if len(labels) == 1}


def _state_labels(object_type: str | None) -> dict:
    cls = _mapped_classes().get(object_type or "")
    flow = getattr(cls, "__workflow__", None)
    return {state.value: state.label for state in flow.states} if flow else {}


def value_label(value, field: str | None = None, object_type: str | None = None) -> str:
    """A changed value as people write it: yes/no rather than True/False, a dash for nothing, a
    day or moment in the reader's form, a state by its name in the record's process."""
    if value is True:
        return str(_l("yes"))
    if value is False:
        return str(_l("no"))
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(value_label(item, field, object_type) for item in value)
    if isinstance(value, str):
        countries = _mapped_classes().get("countries")  # the reference table, found by its name
        if field in COUNTRY_FIELDS and len(value) == 2 and countries is not None:
            country = db.session.get(countries, value)
            return country.name if country else value
        states = _state_labels(object_type) if field in ("state", "status") else {}
        if value in states:
            return str(states[value])
        if _ISO_DAY.match(value):
            return format_d(date.fromisoformat(value))
        if _ISO_MOMENT.match(value):
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return format_dt(moment) if moment.tzinfo else format_d(moment.date())
        label = _unambiguous_enum_labels().get(value)
        if label is not None and (field in CODE_FIELDS or "_" in value):
            return str(label)
    return str(value)


def summary_in_words(event) -> str:
    """The entry's summary, unless it only repeats a step's states in codes ("planned -> signed"):
    its change of state says that in words."""
    summary = event.summary or ""
    if event.changes and "state" in event.changes and re.fullmatch(r"[a-z_]+ -> [a-z_]+", summary):
        return ""
    return summary


def changes_in_words(event) -> list[tuple[str, str | None, str]]:
    """(field, before, after) of an entry's changes in words; a value recorded without its
    before is (field, None, value); a change from nothing to nothing (an empty field saved) is left out."""
    lines = []
    for field, pair in (event.changes or {}).items():
        if isinstance(pair, list) and len(pair) == 2:
            before, after = (value_label(value, field, event.object_type) for value in pair)
            if before != after:
                lines.append((field_label(field), before, after))
        else:
            lines.append((field_label(field), None, value_label(pair, field, event.object_type)))
    return lines


def record_names(events) -> dict:
    """{event id: the record it names in words}: "Ehrungsvorgang N-2026-0011", "Geschenk #12 ·
    V-2027-0003" (a record that belongs to a visit by its visit's reference), "Besuch #4"."""
    references = _record_references(events)
    names = {}
    for event in events:
        label = record_label(event.object_type)
        reference, own = references.get((event.object_type, event.object_id), (None, False))
        if own:
            names[event.id] = f"{label} {reference}"
        elif event.object_id:
            names[event.id] = f"{label} #{event.object_id}" + (f" · {reference}" if reference else "")
        else:
            names[event.id] = label
    return names


def _record_references(events) -> dict:
    """{(object_type, object_id): (reference, whether it is the record's own)}; one query per
    kind of record."""
    wanted: dict[str, set] = {}
    for event in events:
        if event.object_type and event.object_id and event.object_id.isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    found = {}
    for object_type, ids in wanted.items():
        query = _reference_query(object_type)
        if query is None:
            continue
        stmt, key, prefix, own = query
        for row in db.session.execute(stmt.where(key.in_(ids))):
            found[(object_type, str(row[0]))] = (format_reference(prefix, row[1], row[2]), own)
    return found


def _reference_query(object_type: str):
    """(SELECT id, year, number; the id column to narrow it by; the prefix; whether the reference is
    the record's own) for a kind of record, None for one without a reference."""
    cls = _mapped_classes().get(object_type)
    if cls is None:
        return None
    if getattr(cls, "REFERENCE_PREFIX", None):
        return sa.select(cls.id, cls.year, cls.number), cls.id, cls.REFERENCE_PREFIX, True
    for column in cls.__table__.columns:
        for foreign_key in column.foreign_keys:
            parent = _mapped_classes().get(foreign_key.column.table.name)
            if parent is not None and getattr(parent, "REFERENCE_PREFIX", None):
                return (sa.select(cls.id, parent.year, parent.number).join(parent, column == parent.id), cls.id,
                        parent.REFERENCE_PREFIX, False)
    return None


def record_kinds(codes) -> list[tuple[str, str]]:
    """The record-type filter's options: (codes joined by commas, label), one per label, by label."""
    by_label: dict[str, list[str]] = {}
    for code in codes:
        by_label.setdefault(record_label(code), []).append(code)
    return sorted(((",".join(sorted(group)), label) for label, group in by_label.items()), key=lambda o: o[1].lower())
