"""The registers of holders: importing the holders from before the app (all or nothing)
and the quota of each award type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.tabular_import import (
    CellError,
    ImportColumn,
    ImportResult,
    RowError,
    parse_choice,
    parse_date,
    parse_int,
    parse_plain_text,
    parse_upload,
)
from ..extensions import db
from . import rules, services
from .models import AwardType, Gender, Holder

GENDER_NAMES = {"w": "f", "weiblich": "f", "f": "f", "female": "f", "m": "m", "männlich": "m", "male": "m",
                "d": "d", "divers": "d", "diverse": "d", "k.a.": "u", "keine angabe": "u", "u": "u"}


def _past_date(text: str) -> date:
    value = parse_date(text)
    if value > services.today():
        raise CellError(str(_l("The date lies in the future.")))
    return value


def columns() -> list[ImportColumn]:
    """The import's columns (built per request: the messages are in the user's language)."""
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("awarded_on", "Verliehen am", required=True, parse=_past_date, aliases=("Awarded on",)),
        ImportColumn("number", "Nummer", parse=parse_int(1, 1_000_000), aliases=("Number",)),
        ImportColumn("birth_date", "Geburtsdatum", parse=_past_date, aliases=("Date of birth",)),
        ImportColumn("gender", "Geschlecht", parse=parse_choice(GENDER_NAMES, str(_l("gender"))), aliases=("Gender",)),
        ImportColumn("died_on", "Verstorben am", parse=_past_date, aliases=("Died on",)),
    ]

EXAMPLE_ROW = ["Prof. Dr. Erika Beispiel", "01.10.2005", 812, "12.03.1941", "w", ""]


def check_import(award_type: AwardType, filename: str, data: bytes) -> ImportResult:
    """Check an upload of earlier holders row by row; store nothing."""
    result = parse_upload(filename, data, columns())
    taken = set(db.session.scalars(sa.select(Holder.number).where(Holder.award_type_id == award_type.id)))
    seen: dict[int, int] = {}
    for row in result.rows:
        number = row.get("number")
        if number is not None:
            if number in taken:
                result.errors.append(RowError(row["_row"], "Nummer", str(
                    _l("Number %(n)s is taken in the register already.", n=number))))
            elif number in seen:
                result.errors.append(RowError(row["_row"], "Nummer", str(
                    _l("Number %(n)s appears in row %(row)s already.", n=number, row=seen[number]))))
            seen.setdefault(number, row["_row"])
        born, died = row.get("birth_date"), row.get("died_on")
        if born and died and died < born:
            result.errors.append(RowError(row["_row"], "Verstorben am", str(
                _l("The date of death lies before the date of birth."))))
    result.errors.sort(key=lambda error: error.row)
    return result


@transactional
def import_holders(award_type: AwardType, filename: str, data: bytes, *, actor) -> ImportResult:
    """Add every row of a valid file to the register; with any broken row, store nothing."""
    result = check_import(award_type, filename, data)
    if not result.ok:
        return result
    for row in sorted(result.rows, key=lambda r: (r.get("number") is None, r.get("number") or 0)):
        services.add_holder(award_type, actor=actor, name=row["name"], awarded_on=row["awarded_on"],
                            birth_date=row.get("birth_date"), gender=row.get("gender") or "u",
                            died_on=row.get("died_on"), number=row.get("number"))
    record_event("holder.import", actor=actor, target=award_type, summary=f"{len(result.rows)} from {filename}")
    return result


@dataclass(frozen=True)
class Quota:
    award_type: AwardType
    award_date: date | None
    cap: rules.CapStatus
    #: Holders awarded in the last ten years, by gender value.
    gender_counts: dict[str, int]

    @property
    def women_share(self) -> float | None:
        total = sum(self.gender_counts.values())
        return None if not total else self.gender_counts.get("f", 0) / total


def quotas(today: date) -> list[Quota]:
    """The quota dashboard: every award type with its counts, in a fixed number of queries per type."""
    since = date(today.year - 10, today.month, min(today.day, 28))
    result = []
    for award_type in db.session.scalars(sa.select(AwardType).order_by(AwardType.name)):
        award_date = award_type.next_award_date(today)
        counts = dict(db.session.execute(
            sa.select(Holder.gender, sa.func.count()).where(Holder.award_type_id == award_type.id,
                                                            Holder.awarded_on >= since).group_by(Holder.gender)
        ).all())
        result.append(Quota(award_type, award_date, rules.cap_status(award_type, award_date),
                            {g.value: counts.get(g.value, 0) for g in Gender}))
    return result
