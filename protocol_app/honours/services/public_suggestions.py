"""A citizen suggests someone for an honour through the public page: the suggestion becomes a
new case in its first step, confidential from then on like every case, with the suggester's
addresses kept in the case (and erased with it); the suggester gets a confirmation with the
case's reference, in the words the office keeps for it."""

from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ...core import workflow
from ...core.db import transactional
from ...core.errors import ValidationFailed
from ...core.forms import checked_plain_text
from ...core.i18n import format_long_d
from ...core.mail_texts import MailKind, register_mail_kind, write_mail
from ...core.notifications.services import queue_written
from ...core.record_parts import attach_file
from ...core.references import next_number
from ...core.time import now_utc
from ...extensions import db
from ..models import REFERENCE_PREFIX, AwardType, Gender, Nomination, SuggesterKind
from .cases import NOMINATION_PARTS, _validate, today

#: Supporting letters one suggestion may bring.
MAX_LETTERS = 3

RECEIVED = register_mail_kind(MailKind("honours.suggestion_received", _l("Honours: confirmation of a citizen's suggestion"), {
    "suggester_name": _l("the name of who suggested"), "award": _l("the honour suggested"),
    "reference": _l("the case's reference, e.g. N-2027-0012"), "received_on": _l("the day it arrived")}, {
    "de": ("Ihr Vorschlag ist eingegangen: {reference}",
           "Guten Tag {suggester_name},\n\nIhr Vorschlag zur Auszeichnung mit „{award}“ ist am {received_on} bei uns "
           "eingegangen. "
           "Er hat das Aktenzeichen {reference}; bitte nennen Sie es, wenn Sie uns schreiben.\n\n"
           "Wir prüfen jeden Vorschlag sorgfältig und vertraulich. Bitte haben Sie Verständnis, dass wir über den "
           "Stand der Prüfung keine Auskunft geben.\n\nSenatskanzlei Berlin · Protokoll"),
    "en": ("Your suggestion has arrived: {reference}",
           "Dear {suggester_name},\n\nYour suggestion for the award “{award}” arrived on {received_on}. Its reference is "
           "{reference}; please quote it when you write to us.\n\nWe consider every suggestion carefully and in "
           "confidence. Please understand that we cannot tell you how it stands.\n\n"
           "Senate Chancellery of Berlin · Protocol"),
}, {"de": {"suggester_name": "Erika Muster", "award": "Verdienstorden des Landes Berlin", "reference": "N-2027-0012",
           "received_on": "4. Mai 2027"},
    "en": {"suggester_name": "Erika Muster", "award": "Verdienstorden des Landes Berlin", "reference": "N-2027-0012",
           "received_on": "4 May 2027"}}))

#: The honours anyone may suggest someone for (the others are proposed by office holders).
PUBLIC_AWARDS = ("Verdienstorden des Landes Berlin", "Ernst-Reuter-Plakette")


def public_award_choices() -> list[tuple[int, str]]:
    """The active honours of `PUBLIC_AWARDS`, for the public page's list."""
    rows = db.session.execute(sa.select(AwardType.id, AwardType.name).where(
        AwardType.is_active.is_(True), AwardType.name.in_(PUBLIC_AWARDS)).order_by(AwardType.name.desc()))
    return [(award_id, name) for award_id, name in rows]


PUBLIC_FIELDS = ("award_type_id", "nominee_name", "address", "occupation", "justification", "suggested_by",
                 "suggester_address", "suggester_email")


@transactional
def receive_public_suggestion(values: dict, *, proof_id: str, letters=(), language: str = "de") -> Nomination:
    """Record a citizen's suggestion as a new draft case, with its letters; mail the suggester
    the reference. A proof of work counts once."""
    values = {key: values.get(key) for key in PUBLIC_FIELDS}
    checked = {"award_type_id": values["award_type_id"]}
    for name, limit, required in (("nominee_name", 200, True), ("address", 500, False), ("occupation", 200, False),
                                  ("justification", 5000, True), ("suggested_by", 200, True),
                                  ("suggester_address", 500, True)):
        checked[name] = checked_plain_text(values[name], field=name, limit=limit, required=required)
    try:
        checked["suggester_email"] = validate_email((values["suggester_email"] or "").strip()[:254],
                                                    check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed(_l("Please enter a valid e-mail address."), field="suggester_email") from exc
    award_type = _validate(checked)
    if award_type.name not in PUBLIC_AWARDS:
        raise ValidationFailed(_l("Please choose an award."), field="award_type_id")
    if len(letters) > MAX_LETTERS:
        raise ValidationFailed(_l("At most %(n)s letters, please.", n=MAX_LETTERS), field="letters")
    if db.session.scalar(sa.select(Nomination.id).where(Nomination.public_proof == proof_id)):
        raise ValidationFailed(_l("This form has been sent already."), field="altcha")
    year = today().year
    case = Nomination(state="draft", year=year, number=next_number(REFERENCE_PREFIX, year),
                      award_date=award_type.next_award_date(today()), step_entered_at=now_utc(),
                      gender=Gender.UNKNOWN.value, suggester_kind=SuggesterKind.PERSON.value,
                      received_online_at=now_utc(), public_proof=proof_id, **checked)
    workflow.begin(case, actor=None, audit_action="nomination.public_suggestion", summary=case.reference)
    for filename, data in letters:
        try:
            attach_file(NOMINATION_PARTS, case, actor=None, filename=filename, data=data,
                        description=str(_l("Supporting letter")))
        except ValidationFailed as exc:  # the upload's own reason, on the form's field of letters
            raise ValidationFailed(exc.message, field="letters") from exc
    language = language if language in ("de", "en") else "de"
    with force_locale(language):
        received_on = format_long_d(today())
    queue_written(checked["suggester_email"], write_mail(RECEIVED.key, language, {
        "suggester_name": checked["suggested_by"], "award": award_type.name, "reference": case.reference,
        "received_on": received_on}), language=language)
    return case
