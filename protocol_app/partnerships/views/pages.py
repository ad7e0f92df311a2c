"""The partnerships at a glance, a partnership's page with its whole history, its record,
agreement and activities, and the yearly overview of jubilees."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.forms import ConfirmForm, file_page, form_values
from ...core.front_door import acted, saved
from ...core.permissions import permission_required
from ...core.time import today_berlin
from ...directory.models import PartnerCity
from ...extensions import db
from .. import permissions, services
from ..forms import ActivityForm, AgreementForm, PartnershipForm
from ..models import Activity
from ..permissions import EDIT, READ
from . import bp, door


def _city_page(city: PartnerCity):
    return redirect(url_for("partnerships.detail", city_id=city.id))


def _activity_of(city: PartnerCity, activity_id: int) -> Activity:
    item = db.session.get(Activity, activity_id)
    if item is None or item.partnership.partner_city_id != city.id:
        abort(404)
    return item


@bp.route("/")
@permission_required(READ)
def index():
    today = today_berlin()
    ahead = {j.city.id: j for j in services.jubilees_ahead(today)}
    return render_template("partnerships/index.html", rows=services.cities(), ahead=ahead,
                           can_edit=permissions.can_edit(current_user))


@bp.route("/jubilees")
@permission_required(READ)
def jubilees():
    year = request.args.get("year", type=int) or today_berlin().year + 1
    if not 1950 <= year <= 2200:
        year = today_berlin().year + 1
    return render_template("partnerships/jubilees.html", year=year, jubilees=services.jubilees_in(year))


@bp.route("/<int:city_id>")
@permission_required(READ)
def detail(city_id: int):
    city = door.load(city_id)
    lines = services.history(city, current_user)
    group = request.args.get("show")
    if group:
        lines = [line for line in lines if line.group == group]
    return render_template("partnerships/detail.html", city=city, partnership=services.partnership_of(city),
                           lines=lines, group=group, agreement_form=AgreementForm(),
                           can_edit=permissions.can_edit(current_user, city))


@bp.route("/<int:city_id>/edit", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(city_id: int):
    city = door.load_for_change(city_id)
    partnership = services.partnership_of(city)
    form = PartnershipForm(obj=partnership)
    if request.method == "GET" and partnership is not None:
        form.version.data = partnership.version
        form.networks.data = partnership.network_codes
        form.contact_ids.data = [c.id for c in partnership.contacts]
    return saved(form, lambda: services.save_partnership(
        city, form_values(form, *services.PARTNERSHIP_FIELDS), networks=form.networks.data,
        contact_ids=form.contact_ids.data, actor=current_user,
        expected_version=form.expected_version() if partnership else None),
        message=_("The partnership with %(city)s has been saved.", city=city.name),
        then=lambda _saved: _city_page(city)) or render_template("partnerships/form.html", form=form, city=city)


@bp.route("/<int:city_id>/agreement", methods=["GET", "POST"])
@permission_required(READ)
def agreement(city_id: int):
    city = door.load(city_id)
    partnership = services.partnership_of(city)
    return file_page(partnership.agreement_file if partnership else None, AgreementForm,
                     may_change=permissions.can_edit(current_user, city),
                     keep=lambda name, data: services.set_agreement_document(city, name, data, actor=current_user),
                     done=_("The agreement document has been saved."),
                     back=url_for("partnerships.detail", city_id=city.id))


@bp.route("/<int:city_id>/activities/new", methods=["GET", "POST"])
@permission_required(EDIT)
def activity_new(city_id: int):
    return _activity_page(door.load_for_change(city_id), None)


@bp.route("/<int:city_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@permission_required(READ)
def activity(city_id: int, activity_id: int):
    city = door.load_for_change(city_id) if request.method == "POST" else door.load(city_id)
    return _activity_page(city, _activity_of(city, activity_id))


def _activity_page(city: PartnerCity, item: Activity | None):
    can_edit = permissions.can_edit(current_user, city)
    form = ActivityForm(obj=item)
    if item is not None and request.method == "GET":
        form.version.data = item.version
    done = can_edit and saved(form, lambda: services.save_activity(
        city, item, form_values(form, *services.ACTIVITY_FIELDS), actor=current_user,
        expected_version=form.expected_version() if item else None),
        message=_("The activity has been saved."), then=lambda _saved: _city_page(city))
    if done:
        return done
    return render_template("partnerships/activity.html", form=form, city=city, activity=item, can_edit=can_edit,
                           confirm=ConfirmForm())


@bp.route("/<int:city_id>/activities/<int:activity_id>/delete", methods=["POST"])
@permission_required(EDIT)
def activity_delete(city_id: int, activity_id: int):
    city = door.load_for_change(city_id)
    item = _activity_of(city, activity_id)
    return acted(lambda: services.delete_activity(item, actor=current_user),
                 message=_("The activity has been removed."), then=lambda: _city_page(city))
