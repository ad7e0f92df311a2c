"""The list of visits: filters, search, sorting, paging (and the query the exports share)."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from flask import flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, lazyload

from ...auth.forms import officer_choices
from ...core.listing import choice_arg, paginate, search_clause, search_query
from ...core.permissions import permission_required
from ...core.time import BERLIN
from ...directory.models import Country, PartnerCity
from ...extensions import db
from .. import permissions
from ..models import Visit, VisitKind
from ..workflow import VisitState
from . import READ, bp, log_confidential_shown


def _date_arg(name: str):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        flash(_("Please enter dates as YYYY-MM-DD."), "warning")
        return None


SEARCHABLE = (Visit.title, Visit.guest_name)


def filtered_visits_stmt(args):
    """The visits query of the list page, with the filters of the URL applied."""
    stmt = sa.select(Visit).where(permissions.readable_filter(current_user))
    query = search_query()
    if query:
        # The countries first, by their codes, not by a join: each part of the OR can then use
        # its own index (the trigram indexes on PostgreSQL) instead of one scan of every visit.
        codes = db.session.scalars(sa.select(Country.code).where(
            search_clause(query, (Country.name_de, Country.name_en)))).all()
        matches = search_clause(query, SEARCHABLE)
        stmt = stmt.where(sa.or_(matches, Visit.country_code.in_(codes)) if codes else matches)
    start, end = _date_arg("from"), _date_arg("to")
    if start:
        stmt = stmt.where(Visit.departure_at >= datetime.combine(start, time.min, tzinfo=BERLIN))
    if end:
        stmt = stmt.where(Visit.arrival_at <= datetime.combine(end, time.max, tzinfo=BERLIN))
    for column, value in ((Visit.kind, choice_arg("kind", VisitKind, args)),
                          (Visit.state, choice_arg("state", VisitState, args))):
        if value is not None:
            stmt = stmt.where(column == value)
    if args.get("country"):
        stmt = stmt.where(Visit.country_code == args["country"][:2].upper())
    if (args.get("partner_city") or "").isdigit():
        stmt = stmt.where(Visit.partner_city_id == int(args["partner_city"]))
    officer = args.get("officer") or ""
    if officer == "none":
        stmt = stmt.where(Visit.responsible_officer_id.is_(None))
    elif officer.isdigit():
        stmt = stmt.where(Visit.responsible_officer_id == int(officer))
    return stmt


def _filter_options(key, name_de, name_en, *where) -> list[tuple]:
    """(key, name in the reader's language) for a filter's select, sorted by name; columns only
    (the countries that have visits: one index probe per country, not a scan of every visit)."""
    locale = get_locale()
    name = name_en if locale and locale.language == "en" else name_de
    return db.session.execute(sa.select(key, name).where(*where).order_by(name)).all()


@bp.route("/")
@permission_required(READ)
def index():
    # The rows show country, partner city and officer: load those, not the guest's country,
    # the deputy, the hosts or the partner city's country (each a join on every row).
    shown = (lazyload("*"), joinedload(Visit.country), joinedload(Visit.partner_city).lazyload("*"),
             joinedload(Visit.responsible_officer).lazyload("*"))
    listing = paginate(
        filtered_visits_stmt(request.args).options(*shown),
        sortable={"arrival": Visit.arrival_at, "reference": Visit.year * 100000 + Visit.number,
                  "title": Visit.title, "state": Visit.state},
        default_sort="arrival",
        default_direction="desc",
    )
    log_confidential_shown(listing.items)
    return render_template(
        "visits/index.html", listing=listing, kind_labels=VisitKind.labels(), state_labels=VisitState.labels(),
        countries=_filter_options(Country.code, Country.name_de, Country.name_en, sa.exists().where(
            Visit.country_code == Country.code)),
        partner_cities=_filter_options(PartnerCity.id, PartnerCity.name_de, PartnerCity.name_en),
        officers=officer_choices()[1:],
        can_create=permissions.can_edit(current_user),
    )
