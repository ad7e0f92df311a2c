"""The register's rules: recording and changing a grave, the import of the existing list, the
public list."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.crud import save_record
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.i18n import format_d
from ..core.search.folding import fold
from ..core.tabular_import import (
    CellError,
    ImportColumn,
    ImportResult,
    RowError,
    parse_date,
    parse_plain_text,
    parse_upload,
)
from ..core.time import add_years, require_life_dates, require_not_after_today
from ..extensions import db
from .models import DISTRICTS, TERM_YEARS, YEARS_AFTER_DEATH, HonoraryGrave
from .workflow import GraveStatus

#: The columns of the public list (name, life dates, cemetery, location): nothing else leaves the office.
PUBLIC_COLUMNS = (_l("Name"), _l("Born"), _l("Died"), _l("Cemetery"), _l("Grave location"), _l("District"))


def record_senate_decision(record, decision_date: date | None, decision_reference: str | None,
                           expected_version: int | None) -> None:
    """Note the Senate's decision (a renewal batch, a suggestion) on `record`: its date — not in
    the future — and its reference are both required; a form older than the record is refused."""
    if decision_date is None:
        raise ValidationFailed(_l("Please give the date of the Senate's decision."), field="decision_date")
    require_not_after_today(decision_date, field="decision_date",
                            message=_l("The date of the Senate's decision lies in the future."))
    if not (decision_reference or "").strip():
        raise ValidationFailed(_l("Please give the reference of the Senate's decision."), field="decision_reference")
    check_version(record, expected_version)
    record.decision_date, record.decision_reference = decision_date, decision_reference.strip()[:100]


def five_years_rule(died_on: date | None, recognised_since: date | None) -> str | None:
    """Why a recognition on `recognised_since` would break the five-years rule, or None."""
    if died_on is None or recognised_since is None:
        return None
    if recognised_since < add_years(died_on, YEARS_AFTER_DEATH):
        return str(_l("Recognition is possible no earlier than five years after death (from %(day)s).",
                      day=format_d(add_years(died_on, YEARS_AFTER_DEATH))))
    return None


def _checked(values: dict) -> dict:
    """The values of a grave, completed (a term of 20 years unless an honorary citizen) and checked."""
    values = dict(values)
    if values.get("district") not in DISTRICTS:
        raise ValidationFailed(_l("Please choose one of Berlin's twelve districts."), field="district")
    require_life_dates(values.get("born_on"), values.get("died_on"))
    require_not_after_today(values.get("recognised_since"), field="recognised_since",
                            message=_l("The recognition cannot begin after today."))
    require_not_after_today(values.get("decision_date"), field="decision_date",
                            message=_l("The date of the Senate's decision lies in the future."))
    problem = five_years_rule(values.get("died_on"), values.get("recognised_since"))
    if problem:
        raise ValidationFailed(problem, field="recognised_since")
    if values.get("honorary_citizen"):
        values["term_ends_on"] = None
    elif values.get("recognised_since") and not values.get("term_ends_on"):
        values["term_ends_on"] = add_years(values["recognised_since"], TERM_YEARS)
    if values.get("term_ends_on") and values.get("recognised_since") and values["term_ends_on"] <= values["recognised_since"]:
        raise ValidationFailed(_l("The term must end after the recognition."), field="term_ends_on")
    return values


@transactional
def save_grave(grave: HonoraryGrave | None, values: dict, *, actor, expected_version: int | None = None) -> HonoraryGrave:
    """Record a new grave or change one (a form of an older version is refused), audited."""
    values = _checked(values)
    return save_record(grave or HonoraryGrave(status=GraveStatus.RECOGNISED.value), values, actor=actor,
                       audit_name="graves", expected_version=expected_version)


def _district(text: str) -> str:
    for district in DISTRICTS:
        if district.lower() == text.strip().lower():
            return district
    raise CellError(str(_l("Unknown district “%(name)s” (one of Berlin's twelve, e.g. Mitte, Pankow).",
                           name=text[:40])))


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("ja", "yes", "j", "y", "x", "1", "true"):
        return True
    if value in ("nein", "no", "n", "0", "false"):
        return False
    raise CellError(str(_l("Please write “ja” or “nein”.")))


def import_columns() -> list[ImportColumn]:
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("born_on", "Geboren", parse=parse_date, aliases=("Born", "Geburtsdatum")),
        ImportColumn("died_on", "Gestorben", parse=parse_date, aliases=("Died", "Sterbedatum")),
        ImportColumn("honoured_for", "Gewürdigt für", parse=parse_plain_text(500), aliases=("Honoured for",)),
        ImportColumn("cemetery", "Friedhof", required=True, parse=parse_plain_text(200), aliases=("Cemetery",)),
        ImportColumn("location", "Grablage", parse=parse_plain_text(100), aliases=("Grave location",)),
        ImportColumn("district", "Bezirk", required=True, parse=_district, aliases=("District",)),
        ImportColumn("recognised_since", "Anerkannt seit", required=True, parse=parse_date, aliases=("Recognised since",)),
        ImportColumn("term_ends_on", "Frist bis", parse=parse_date, aliases=("Term ends",)),
        ImportColumn("honorary_citizen", "Ehrenbürger", parse=_yes_no, aliases=("Honorary citizen",)),
        ImportColumn("decision_reference", "Senatsbeschluss", parse=parse_plain_text(100), aliases=("Senate decision",)),
    ]


#: The example row of the downloadable template.
EXAMPLE_ROW = ["Hildegard Knef", "28.12.1925", "01.02.2002", "Schauspielerin, Sängerin und Autorin",
               "Waldfriedhof Zehlendorf", "Abt. 22", "Steglitz-Zehlendorf", "01.03.2007", "", "nein", ""]


def check_import(filename: str, data: bytes) -> ImportResult:
    """Every row of the file checked as the form checks a grave; nothing stored."""
    result = parse_upload(filename, data, import_columns())
    for row in result.rows:
        if any(error.row == row["_row"] for error in result.errors):
            continue
        try:
            # The completed values (the term of 20 years) stay with the row for the import.
            row.update(_checked({k: v for k, v in row.items() if k != "_row"}))
        except ValidationFailed as exc:
            result.errors.append(RowError(row["_row"], _column_of(exc.field), str(exc.message)))
    result.errors.sort(key=lambda error: error.row)
    return result


def _column_of(field: str | None) -> str:
    return next((c.shown_name for c in import_columns() if c.key == field), field or "")


#: What an import does with rows the register holds already: ask first, leave them out, or add them again.
KNOWN_ROWS = ("ask", "skip", "add")


def _register_key(name, born_on, died_on, cemetery) -> tuple:
    """The same person's grave: name and cemetery folded ("Friedhof Heerstraße" as "friedhof heerstrasse"), the dates."""
    return fold(name), born_on, died_on, fold(cemetery)


@transactional
def import_graves(filename: str, data: bytes, *, actor, known: str = "ask") -> ImportResult:
    """Store every row of a valid file; with any broken row, store nothing (each named). Rows
    the register holds already (person, dates and cemetery) are named and nothing is stored
    until the office says whether to leave them out (`known="skip"`) or add them (`"add"`)."""
    if known not in KNOWN_ROWS:
        raise ValidationFailed(_l("Please choose what to do with the graves already in the register."))
    result = check_import(filename, data)
    if not result.ok:
        return result
    present = {_register_key(*row) for row in db.session.execute(sa.select(
        HonoraryGrave.name, HonoraryGrave.born_on, HonoraryGrave.died_on, HonoraryGrave.cemetery))}
    is_known = [_register_key(r["name"], r["born_on"], r["died_on"], r["cemetery"]) in present for r in result.rows]
    result.already_there = [(row["_row"], row["name"]) for row, known_row in zip(result.rows, is_known, strict=True) if known_row]
    if result.already_there and known == "ask":
        return result
    new_rows = [row for row, known_row in zip(result.rows, is_known, strict=True) if known == "add" or not known_row]
    for row in new_rows:
        db.session.add(HonoraryGrave(status=GraveStatus.RECOGNISED.value, **{k: v for k, v in row.items() if k != "_row"}))
    db.session.flush()
    result.stored = len(new_rows)
    record_event("graves.import", actor=actor, object_type="honorary_graves",
                 summary=f"{len(new_rows)} graves from {filename}",
                 changes={"already_in_register": [None, len(result.already_there)], "known_rows": [None, known]}
                 if result.already_there else None)
    return result


def public_rows() -> list[tuple]:
    """The public list: recognised graves, by name."""
    graves = db.session.execute(sa.select(
        HonoraryGrave.name, HonoraryGrave.born_on, HonoraryGrave.died_on, HonoraryGrave.cemetery,
        HonoraryGrave.location, HonoraryGrave.district)
        .where(HonoraryGrave.status != GraveStatus.ENDED.value).order_by(HonoraryGrave.name, HonoraryGrave.id)).all()
    return [tuple(g) for g in graves]
