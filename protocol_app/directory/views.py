"""Directory pages: partner cities, missions, contacts, venues, hosts, countries."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core.crud import Column, CrudSpec, register_crud
from ..core.navigation import register_nav
from ..core.permissions import Permission
from .forms import AddressFormForm, ContactForm, HostForm, MissionForm, PartnerCityForm, VenueForm
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
    register_crud(bp, spec)
