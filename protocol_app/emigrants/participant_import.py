"""Importing the historical participants (about 35,000 since 1969) from CSV or XLSX;
every row checked first, nothing stored unless the whole file is valid."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.tabular_import import (
    CellError,
    ImportColumn,
    ImportResult,
    RowError,
    parse_date,
    parse_int,
    parse_plain_text,
    parse_upload,
)
from ..core.time import LATEST_YEAR
from ..directory.models import Country
from ..extensions import db
from .matching import name_key
from .models import PROGRAMME_SINCE, HistoricalParticipant


def _country(codes: set[str]):
    def parse(text: str) -> str:
        code = text.strip().upper()
        if code not in codes:
            raise CellError(str(_l("Unknown country code “%(code)s” (ISO 3166, e.g. IL, US, GB).", code=text[:10])))
        return code

    return parse


def columns() -> list[ImportColumn]:
    codes = set(db.session.scalars(sa.select(Country.code)))
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("birth_name", "Geburtsname", parse=parse_plain_text(200), aliases=("Birth name",)),
        ImportColumn("birth_date", "Geburtsdatum", parse=parse_date, aliases=("Date of birth",)),
        ImportColumn("birth_year", "Geburtsjahr", parse=parse_int(1880, 2010), aliases=("Year of birth",)),
        ImportColumn("visit_year", "Besuchsjahr", parse=parse_int(PROGRAMME_SINCE, LATEST_YEAR), aliases=("Year of visit",)),
        ImportColumn("country_code", "Land", parse=_country(codes), aliases=("Country",)),
    ]


def check(filename: str, data: bytes) -> ImportResult:
    result = parse_upload(filename, data, columns())
    for row in result.rows:
        born, year = row.get("birth_date"), row.get("birth_year")
        if born is None and year is None:
            result.errors.append(RowError(row["_row"], "Geburtsjahr", str(
                _l("Please give the date or at least the year of birth."))))
        elif born is not None and year is not None and born.year != year:
            result.errors.append(RowError(row["_row"], "Geburtsjahr", str(
                _l("The year of birth does not match the date of birth."))))
    result.errors.sort(key=lambda error: error.row)
    return result


@transactional
def import_participants(filename: str, data: bytes, *, actor) -> ImportResult:
    """Store every row of a valid file; with any broken row, store nothing."""
    result = check(filename, data)
    if not result.ok:
        return result
    db.session.execute(sa.insert(HistoricalParticipant), [
        {"name": row["name"], "birth_name": row.get("birth_name"), "birth_date": row.get("birth_date"),
         "name_key": name_key(row["name"]), "birth_name_key": name_key(row.get("birth_name")),
         "birth_year": row.get("birth_year") or row["birth_date"].year, "visit_year": row.get("visit_year"),
         "country_code": row.get("country_code")} for row in result.rows])
    record_event("emigrants.participants_import", actor=actor, summary=f"{len(result.rows)} rows from {filename}")
    return result
