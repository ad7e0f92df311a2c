"""The directory in and out: missions, contacts and venues imported from the office's
spreadsheets (XLSX or CSV, through the shared import), contacts given out as vCard 4.0 for
Outlook and phones, and every list as XLSX or CSV.

An import is checked whole first; a file with any broken row stores nothing and lists every
error. Rows already in the directory (the same mission of a country, the same person at the same
address or organisation, the same venue) are left out, so a list can be imported again after it
grew without doubling anyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
import vobject
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..core.audit import record_event
from ..core.db import transactional
from ..core.errors import ValidationFailed
from ..core.letters import check_postal_address
from ..core.tabular_import import (
    CellError,
    ImportColumn,
    ImportResult,
    RowError,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_plain_text,
    parse_upload,
)
from ..extensions import db
from .models import AddressForm, Contact, Country, GuestCategory, Mission, MissionKind, Venue


def _country_names() -> dict[str, str]:
    """Every way a file may name a country: its code, its German and its English name."""
    names = {}
    for code, name_de, name_en in db.session.execute(sa.select(Country.code, Country.name_de, Country.name_en)):
        names.update({code: code, name_de: code, name_en: code})
    return names


def _labels(enum) -> dict[str, str]:
    """An enum's values and the names the app shows for them, in German and English."""
    names = {member.value: member.value for member in enum}
    for language in ("de", "en"):
        with force_locale(language):
            names.update({str(member.label): member.value for member in enum})
    return names


def _postal_address(text: str) -> str:
    """A postal address in one cell, its lines separated by line breaks or by " / "."""
    try:
        return check_postal_address(text.replace(" / ", "\n"))
    except ValidationFailed as exc:  # says how many lines fit the envelope's window
        raise CellError(str(exc.message)) from exc


def _missions_by_name() -> dict[str, str]:
    return {name: str(mid) for mid, name in db.session.execute(sa.select(Mission.id, Mission.name))}


def _address_forms() -> dict[str, str]:
    return {name: str(fid) for fid, name in db.session.execute(sa.select(AddressForm.id, AddressForm.name))}


def mission_columns() -> list[ImportColumn]:
    return [
        ImportColumn("country_code", "Staat", required=True, parse=parse_choice(_country_names(), str(_l("country"))),
                     aliases=("Country",)),
        ImportColumn("kind", "Art", parse=parse_choice(_labels(MissionKind), str(_l("kind of mission"))),
                     aliases=("Kind",)),
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("address", "Anschrift", parse=parse_plain_text(300), aliases=("Address",)),
        ImportColumn("head_of_mission", "Missionschef/in", parse=parse_plain_text(200), aliases=("Head of mission",)),
        ImportColumn("head_title", "Amtsbezeichnung", parse=parse_plain_text(100), aliases=("Title",)),
        ImportColumn("phone", "Telefon", parse=parse_plain_text(50), aliases=("Phone",)),
        ImportColumn("email", "E-Mail", parse=parse_email, aliases=("Email",)),
    ]


def contact_columns() -> list[ImportColumn]:
    countries = _country_names()
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(200)),
        ImportColumn("address_form_id", "Anrede", parse=parse_choice(_address_forms(), str(_l("form of address"))),
                     aliases=("Form of address",)),
        ImportColumn("function", "Funktion", parse=parse_plain_text(200), aliases=("Function",)),
        ImportColumn("organisation", "Organisation", parse=parse_plain_text(200)),
        ImportColumn("mission_id", "Vertretung", parse=parse_choice(_missions_by_name(), str(_l("mission"))),
                     aliases=("Mission",)),
        ImportColumn("email", "E-Mail", parse=parse_email, aliases=("Email",)),
        ImportColumn("phone", "Telefon", parse=parse_plain_text(50), aliases=("Phone",)),
        ImportColumn("language", "Sprache", parse=parse_choice({"de": "de", "en": "en", "Deutsch": "de",
                                                                "Englisch": "en", "English": "en"},
                                                               str(_l("language"))), aliases=("Language",)),
        ImportColumn("category", "Kategorie", parse=parse_choice(_labels(GuestCategory), str(_l("guest category"))),
                     aliases=("Category",)),
        ImportColumn("rank", "Rang", parse=parse_int(1, 9999), aliases=("Rank",)),
        ImportColumn("in_office_since", "Im Amt seit", parse=parse_date, aliases=("In office since",)),
        ImportColumn("postal_address", "Postanschrift", parse=_postal_address, aliases=("Postal address",)),
        ImportColumn("postal_country_code", "Land der Anschrift",
                     parse=parse_choice(countries, str(_l("country"))), aliases=("Country of the address",)),
    ]


def venue_columns() -> list[ImportColumn]:
    return [
        ImportColumn("name", "Name", required=True, parse=parse_plain_text(160)),
        ImportColumn("building", "Gebäude", parse=parse_plain_text(160), aliases=("Building",)),
        ImportColumn("address", "Anschrift", parse=parse_plain_text(300), aliases=("Address",)),
        ImportColumn("capacity", "Kapazität", parse=parse_int(1, 100000), aliases=("Capacity",)),
    ]


def _folded(*parts) -> tuple:
    return tuple((part or "").strip().lower() for part in parts)


@dataclass(frozen=True)
class Table:
    """One list of the directory as it comes in and goes out."""

    name: str
    model: type
    columns: Callable[[], list[ImportColumn]]
    #: Who a row is (from the fields `identity_keys`), to find it twice in the file or in the
    #: directory already.
    identity_keys: tuple[str, ...]
    identity: Callable[[dict], tuple]
    #: The template's example row (a file that still holds it imports without it).
    example: list
    defaults: dict


TABLES = {
    "missions": Table("missions", Mission, mission_columns, ("country_code", "name"),
                      lambda row: _folded(row.get("country_code"), row.get("name")),
                      ["FR", "Botschaft", "Botschaft von Beispielland", "Beispielplatz 1, 10117 Berlin",
                       "S. E. Beispiel", "Botschafter", "+49 30 590039000", "info@example.org"],
                      {"kind": MissionKind.EMBASSY.value}),
    "contacts": Table("contacts", Contact, contact_columns, ("name", "email", "organisation"),
                      lambda row: _folded(row.get("name"), row.get("email") or row.get("organisation")),
                      ["Dr. Erika Beispiel", "", "Generalkonsulin", "Generalkonsulat Beispielland", "", "erika.beispiel@example.org",
                       "+49 30 1234567", "de", "Diplomatisches Korps", 120, "01.09.2024",
                       "Beispielstraße 1 / 10117 Berlin", "DE"],
                      {"language": "de", "rank": 500}),
    "venues": Table("venues", Venue, venue_columns, ("name",), lambda row: _folded(row.get("name")),
                    ["Beispielsaal", "Rotes Rathaus", "Rathausstraße 15, 10178 Berlin", 120], {}),
}


def _known(table: Table) -> set[tuple]:
    fields = [getattr(table.model, key) for key in table.identity_keys]
    return {table.identity(dict(zip(table.identity_keys, row, strict=True)))
            for row in db.session.execute(sa.select(*fields))}


def check(table: Table, filename: str, data: bytes) -> ImportResult:
    """Parse and check an upload; store nothing. A row twice in the file is an error; a row the
    directory holds already goes to `already_there`."""
    columns = table.columns()  # each reads the directory's lists: once per upload
    result = parse_upload(filename, data, columns)
    example = table.identity(dict(zip([c.key for c in columns], table.example, strict=True)))
    result.rows = [row for row in result.rows if table.identity(row) != example]
    result.errors = [error for error in result.errors if error.row in {row["_row"] for row in result.rows}]
    known, seen = _known(table), {}
    for row in result.rows:
        key = table.identity(row)
        if key in seen:
            result.errors.append(RowError(row["_row"], "Name", str(
                _l("The same entry appears in row %(row)s already.", row=seen[key]))))
        elif key in known:
            result.already_there.append((row["_row"], row.get("name") or ""))
        seen.setdefault(key, row["_row"])
    result.errors.sort(key=lambda error: error.row)
    return result


@transactional
def import_table(table: Table, filename: str, data: bytes, *, actor) -> ImportResult:
    """Add every new row of a valid file to the directory; with any broken row, store nothing."""
    result = check(table, filename, data)
    if not result.ok:
        return result
    there = {number for number, _name in result.already_there}
    new = [row for row in result.rows if row["_row"] not in there]
    for row in new:
        values = {key: value for key, value in row.items() if key != "_row" and value is not None}
        for key in ("mission_id", "address_form_id"):
            if key in values:
                values[key] = int(values[key])
        db.session.add(table.model(**{**table.defaults, **values}))
    db.session.flush()
    result.stored = len(new)
    record_event(f"directory.{table.name}_import", actor=actor, object_type=table.name,
                 summary=f"{len(new)} new of {len(result.rows)} rows from {filename}"[:200])
    return result


# --- out ---------------------------------------------------------------------------------

_POSTCODE_TOWN = re.compile(r"^(?P<code>[0-9A-Z][0-9A-Z -]{2,9}?)\s+(?P<town>\D.*)$")


def _address(contact: Contact) -> vobject.vcard.Address | None:
    """The postal address as vCard parts: the last line "10117 Berlin" gives postcode and town,
    the lines before it the street; an address of another shape stays whole in the street."""
    lines = (contact.postal_address or "").splitlines()
    if not lines:
        return None
    country = contact.postal_country.name if contact.postal_country else ""
    match = _POSTCODE_TOWN.match(lines[-1].strip())
    if match and len(lines) > 1:
        return vobject.vcard.Address(street="\n".join(lines[:-1]), city=match["town"], code=match["code"],
                                     country=country)
    return vobject.vcard.Address(street="\n".join(lines), country=country)


def _card(contact: Contact) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = f"urn:protokoll:contact:{contact.id}"
    card.add("kind").value = "individual"
    card.add("fn").value = contact.name
    # The directory keeps one name field ("Dr. Erika Beispiel"): the last word is the surname,
    # what stands before it the given names and titles — enough for sorting in an address book.
    *given, family = contact.name.split() or [""]
    card.add("n").value = vobject.vcard.Name(family=family, given=" ".join(given))
    if contact.function:
        card.add("title").value = contact.function
    organisation = contact.organisation or (contact.mission.name if contact.mission else None)
    if organisation:
        card.add("org").value = [organisation]
    if contact.email:
        card.add("email").value = contact.email
    if contact.phone:
        phone = card.add("tel")
        phone.value = contact.phone
        phone.value_param = "text"  # as the office typed it, not a tel: URI
    address = _address(contact)
    if address is not None:
        card.add("adr").value = address
    card.add("lang").value = contact.language
    return card


def vcards(contacts: Iterable[Contact]) -> str:
    """Contacts as vCard 4.0 (RFC 6350), one card after the other: the form Outlook, Thunderbird
    and phones import a list in."""
    return "".join(_card(contact).serialize() for contact in contacts)


def table_rows(table: Table, records: Iterable) -> tuple[list[str], list[list]]:
    """A list as the import reads it: the template's headers and one row a record, so that an
    export can be corrected in a spreadsheet and imported into another installation."""
    columns = table.columns()
    keys = {column.key for column in columns}
    # Ids go out as the names the import reads them by.
    missions = {int(mid): name for name, mid in _missions_by_name().items()} if "mission_id" in keys else {}
    forms = {int(fid): name for name, fid in _address_forms().items()} if "address_form_id" in keys else {}
    rows = []
    for record in records:
        row = []
        for column in columns:
            value = getattr(record, column.key)
            if column.key == "mission_id":
                value = missions.get(value)
            elif column.key == "address_form_id":
                value = forms.get(value)
            elif column.key == "postal_address" and value:
                value = " / ".join(value.splitlines())
            row.append(value)
        rows.append(row)
    return [column.header for column in columns], rows
