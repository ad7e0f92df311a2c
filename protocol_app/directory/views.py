"""Read-only lists of the reference data (editing arrives with the visits issue)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from ..core.listing import paginate
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required
from .models import Country, PartnerCity, Venue

bp = Blueprint("directory", __name__, url_prefix="/directory", template_folder="templates")

READERS = (Permission.VISIT_READ, Permission.DIRECTORY_EDIT, Permission.EVENT_READ)

register_nav("directory.partner_cities", _l("Directory"), *READERS, order=80)


@bp.route("/partner-cities")
@permission_required(*READERS)
def partner_cities():
    listing = paginate(
        sa.select(PartnerCity),
        sortable={"name": PartnerCity.name_de, "since": PartnerCity.since_year},
        default_sort="since",
        searchable=(PartnerCity.name_de, PartnerCity.name_en),
    )
    return render_template("directory/partner_cities.html", listing=listing)


@bp.route("/venues")
@permission_required(*READERS)
def venues():
    listing = paginate(
        sa.select(Venue),
        sortable={"name": Venue.name, "capacity": Venue.capacity},
        default_sort="name",
        searchable=(Venue.name, Venue.building),
    )
    return render_template("directory/venues.html", listing=listing)


@bp.route("/countries")
@permission_required(*READERS)
def countries():
    listing = paginate(
        sa.select(Country),
        sortable={"code": Country.code, "name": Country.name_de, "name_en": Country.name_en},
        default_sort="name",
        searchable=(Country.name_de, Country.name_en, Country.code),
    )
    return render_template("directory/countries.html", listing=listing)
