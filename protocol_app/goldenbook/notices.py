"""The notices of the Golden Book in the office's words (`core.notifications.notices`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

SIGNING_TO_RECORD = notice_kind(
    "goldenbook.signing_to_record", _l("Golden Book: a signing to record"),
    de=("Eintragung von {name}: bitte erfassen",
        "{name} sollte sich am {date} eintragen ({book}). Bitte Band und Seite der Eintragung erfassen "
        "oder sie zurückziehen."),
    en=("Book entry of {name}: signing to record",
        "{name} was to sign the {book} on {date}. Record the volume and page of the entry, or withdraw it."),
    described={"name": _l("who was to sign"), "date": _l("the day of the signing"), "book": _l("the book")},
    examples={"de": {"book": "Goldenes Buch"}, "en": {"book": "Golden Book"}})
