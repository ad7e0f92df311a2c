"""The notices of the honorary graves in the office's words (`core.notifications.notices`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.notifications.notices import notice_kind

TERM_ENDING = notice_kind(
    "graves.term_ending", _l("Honorary graves: a grave's term ends soon"),
    de=("Ehrengrab {name}: Frist endet bald",
        "Die Ehrengrabstätte von {name}: Ihre Frist endet am {date} (in höchstens {months} Monaten). "
        "Bitte in eine Sammelvorlage aufnehmen."),
    en=("Honorary grave {name}: term ends soon",
        "The honorary grave of {name}: its term ends on {date} (in {months} months or less). "
        "Put it into a renewal batch."),
    described={"name": _l("whose grave it is"), "date": _l("the day its term ends"),
               "months": _l("the months before the end at which the office is told")},
    examples={"de": {"name": "Marlene Dietrich", "months": "12"}, "en": {"name": "Marlene Dietrich", "months": "12"}})

BATCH_UNDECIDED = notice_kind(
    "graves.batch_undecided", _l("Honorary graves: a renewal batch awaits the Senate's decision"),
    de=("Ehrengrabstätten: eine Sammelvorlage wartet auf den Senatsbeschluss",
        "Die Sammelvorlage „{title}“ hat noch keinen Senatsbeschluss; ihre erste Frist endet am {date}."),
    en=("Honorary graves: a renewal batch awaits its decision",
        "The renewal batch “{title}” has no Senate decision yet; its first term ends on {date}."),
    described={"title": _l("the batch's title"), "date": _l("the first term of the batch to end")},
    examples={"de": {"title": "Verlängerungen 2027/I"}, "en": {"title": "Renewals 2027/I"}})
