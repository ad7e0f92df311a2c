"""Directory pages: partner cities, missions, contacts, venues, hosts, countries."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..core.audit import record_event
from ..core.crud import Column, CrudSpec, register_crud
from ..core.exports import table_response
from ..core.forms import ListImportForm
from ..core.front_door import uploaded
from ..core.listing import search_clause, search_query
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required
from ..core.tabular_import import template_response
from ..extensions import db
from . import exchange
from .forms import (
    AddressFormForm,
    ContactForm,
    HostForm,
    MissionForm,
    PartnerCityForm,
    VenueForm,
)
from .models import AddressForm, Contact, Country, Host, Mission, PartnerCity, Venue

bp = Blueprint("directory", __name__, url_prefix="/directory", template_folder="templates")

READERS = (Permission.VISIT_READ, Permission.DIRECTORY_EDIT, Permission.EVENT_READ)
EDITORS = (Permission.DIRECTORY_EDIT,)
ADMINS = (Permission.ADMIN_REFERENCE,)

register_nav("directory.missions_list", _l("Directory"), *READERS, order=80, menu="registers")

SPECS = [
    CrudSpec(
        "missions", Mission, MissionForm, _l("Missions"), _l("Mission"),
        [Column("name", _l("Name"), Mission.name), Column("country", _l("Country")),
         Column("kind_label", _l("Kind")), Column("head_of_mission", _l("Head of mission"),
                                                  Mission.head_of_mission)],
        (Mission.name, Mission.head_of_mission), "name", READERS, EDITORS,
    ),
    CrudSpec(
        "contacts", Contact, ContactForm, _l("Contacts"), _l("Contact"),
        [Column("name", _l("Name"), Contact.name), Column("function", _l("Function")),
         Column("organisation", _l("Organisation"), Contact.organisation),
         Column("category_label", _l("Guest category")), Column("rank", _l("Rank"), Contact.rank)],
        (Contact.name, Contact.organisation, Contact.function), "name", READERS, EDITORS,
    ),
    CrudSpec(
        "venues", Venue, VenueForm, _l("Venues"), _l("Venue"),
        [Column("name", _l("Venue"), Venue.name), Column("building", _l("Building")),
         Column("capacity", _l("Capacity"), Venue.capacity)],
        (Venue.name, Venue.building), "name", READERS, EDITORS,
    ),
    CrudSpec(
        "hosts", Host, HostForm, _l("Hosts"), _l("Host"),
        [Column("name", _l("Name"), Host.name), Column("function", _l("Function")),
         Column("sort_order", _l("Order in lists"), Host.sort_order)],
        (Host.name, Host.function), "sort_order", READERS, ADMINS,
    ),
    CrudSpec(
        "partner-cities", PartnerCity, PartnerCityForm, _l("Partner cities"), _l("Partner city"),
        [Column("name", _l("City"), PartnerCity.name_de), Column("country", _l("Country")),
         Column("since_year", _l("Partner since"), PartnerCity.since_year),
         Column("status_label", _l("Status"))],
        (PartnerCity.name_de, PartnerCity.name_en), "since_year", READERS, ADMINS,
    ),
    CrudSpec(
        "forms-of-address", AddressForm, AddressFormForm, _l("Forms of address"), _l("Form of address"),
        [Column("name", _l("For whom"), AddressForm.name), Column("address_de", _l("Line above the name")),
         Column("salutation_de", _l("Salutation")), Column("salutation_en", _l("Salutation (English)")),
         Column("sort_order", _l("Order in lists"), AddressForm.sort_order)],
        (AddressForm.name, AddressForm.salutation_de), "sort_order", READERS, ADMINS,
    ),
    CrudSpec(
        "countries", Country, None, _l("Countries"), _l("Country"),
        [Column("code", _l("Code"), Country.code), Column("name_de", _l("German name"), Country.name_de),
         Column("name_en", _l("English name"), Country.name_en)],
        (Country.name_de, Country.name_en, Country.code), "name_de", READERS, (),
    ),
]

for spec in SPECS:
    spec.tabs_template = "directory/_tabs.html"
    if spec.name in exchange.TABLES:
        spec.actions_template = "directory/_exchange_actions.html"
    if spec.name == "contacts":
        spec.record_template = "directory/_contact_card.html"
    register_crud(bp, spec)

TITLES = {spec.name: spec.title for spec in SPECS}
SEARCHABLE = {spec.name: spec.searchable for spec in SPECS}
#: The lists that come in and go out: `<table:…>` in an address.
TABLE = "<any(missions, contacts, venues):table>"


def _records(table: exchange.Table):
    """The list as the page shows it: all entries, or those the page's search (?q=) found."""
    stmt = sa.select(table.model).order_by(table.model.name, table.model.id)
    if search_query():
        stmt = stmt.where(search_clause(search_query(), SEARCHABLE[table.name]))
    return db.session.scalars(stmt).all()


@bp.route(f"/{TABLE}/import", methods=["GET", "POST"])
@permission_required(*EDITORS)
def import_table(table: str):
    """A list from the office's spreadsheet: checked whole, new entries added, known ones left out."""
    spec, form = exchange.TABLES[table], ListImportForm()
    done, result = uploaded(form, lambda name, data: exchange.import_table(spec, name, data, actor=current_user),
                            message=lambda result: _imported(result),
                            then=lambda: redirect(url_for(f"directory.{table}_list")))
    return done or render_template("directory/import.html", form=form, result=result, table=table,
                                   title=TITLES[table], columns=spec.columns())


def _imported(result) -> str:
    added = ngettext("%(num)d entry added.", "%(num)d entries added.", result.stored)
    left_out = len(result.already_there)
    if not left_out:
        return added
    return " ".join((added, ngettext("%(num)d entry was in the directory already and was left out.",
                                     "%(num)d entries were in the directory already and were left out.", left_out)))


@bp.route(f"/{TABLE}/import-template.<export:fmt>")
@permission_required(*EDITORS)
def import_template(table: str, fmt: str):
    spec = exchange.TABLES[table]
    return template_response(spec.columns(), spec.example, filename=f"verzeichnis-{table}-vorlage",
                          fmt=fmt)


@bp.route(f"/{TABLE}.<export:fmt>")
@permission_required(*READERS)
def export(table: str, fmt: str):
    """The list (or what the search found) in the import's columns, to be read or imported elsewhere."""
    spec = exchange.TABLES[table]
    records = _records(spec)
    record_event(f"directory.{table}_export", actor=current_user, object_type=table, summary=f"{len(records)} {fmt}")
    headers, rows = exchange.table_rows(spec, records)
    return table_response(headers, rows, filename=f"verzeichnis-{table}", fmt=fmt, sheet_title=str(TITLES[table]))


@bp.route("/contacts.vcf")
@permission_required(*READERS)
def contacts_vcards():
    """The contacts (or what the search found) as vCard 4.0, for an address book."""
    contacts = _records(exchange.TABLES["contacts"])
    record_event("directory.contacts_export", actor=current_user, object_type="contacts",
                 summary=f"{len(contacts)} vcf")
    return _vcard_response(exchange.vcards(contacts), "kontakte.vcf")


@bp.route("/contacts/<int:contact_id>.vcf")
@permission_required(*READERS)
def contact_vcard(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    return _vcard_response(exchange.vcards([contact]), f"kontakt-{contact.id}.vcf")


def _vcard_response(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/vcard", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
