"""The team's registers and settings: priority weights, historical participants, alumni, budget, statistics."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.audit import record_event
from ...core.exports import money, table_response
from ...core.front_door import posted, saved, uploaded
from ...core.languages import language_name
from ...core.listing import year_arg, year_range
from ...core.permissions import Permission, permission_required
from ...extensions import db
from .. import (
    participant_import,
    permissions,
    planning,
    retention,
    waiting_list,
)
from .. import statistics as statistics_data
from ..forms import (
    BudgetForm,
    ImportForm,
    WeightsForm,
)
from ..models import (
    PROGRAMME_SINCE,
    HistoricalParticipant,
)
from . import ACCESS, bp


@bp.route("/weights", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_REFERENCE)
def weights():
    """Admins set the weights of the waiting list's priority score (and see no applicant)."""
    rule = waiting_list.weights()
    form = WeightsForm(obj=rule)
    return saved(form, lambda: waiting_list.set_weights(actor=current_user, per_year=form.per_year.data,
                                                        age_from=form.age_from.data, health=form.health.data,
                                                        hardship=form.hardship.data),
                 message=_("The weights have been saved."), then=lambda _rule: redirect(url_for("emigrants.weights"))
                 ) or render_template("emigrants/weights.html", form=form)


@bp.route("/participants/import", methods=["GET", "POST"])
@permission_required(ACCESS)
def participants_import():
    form = ImportForm()
    done, result = uploaded(form, lambda name, data: participant_import.import_participants(name, data,
                                                                                           actor=current_user),
                            message=lambda result: ngettext("%(n)s historical participant imported.",
                                                            "%(n)s historical participants imported.",
                                                            len(result.rows), n=len(result.rows)),
                            then=lambda: redirect(url_for("emigrants.index")))
    if done:
        return done
    count = db.session.scalar(sa.select(sa.func.count(HistoricalParticipant.id)))
    return render_template("emigrants/participants_import.html", form=form, result=result,
                           columns=participant_import.columns(), count=count)


@bp.route("/alumni.<export:fmt>")
@permission_required(ACCESS)
def alumni(fmt: str):
    """Postal addresses of participants who agreed to receive the magazine, for a mail merge."""
    rows = [(a.name, a.address, a.country.name if a.country else a.country_code, language_name(a.language))
            for a in retention.mailing_list()]
    record_event("emigrants.alumni_export", actor=current_user, summary=f"{len(rows)} addresses")
    return table_response([_("Name"), _("Address"), _("Country"), _("Language")], rows,
                          filename="alumni-versand", fmt=fmt)


@bp.route("/budget", methods=["GET", "POST"])
@permission_required(ACCESS, Permission.ADMIN_REFERENCE)
def budget():
    """Committed and spent against the year's budget (totals only); admins set the budget."""
    form = BudgetForm()
    can_set = permissions.can_set_rules(current_user)
    if request.method == "POST":
        if not can_set:
            abort(403)
        return posted(form, lambda: planning.set_budget(form.year.data, form.amount.data, actor=current_user),
                      message=_("The budget has been set."), then=lambda: redirect(url_for("emigrants.budget")))
    year = year_arg()
    return render_template("emigrants/budget.html", status=planning.budget_status(year), form=form,
                           can_set=can_set)


@bp.route("/statistics")
@permission_required(ACCESS)
def statistics():
    year_from, year_to = year_range(PROGRAMME_SINCE)
    table = statistics_data.rows(year_from, year_to)
    chart = statistics_data.per_year(table)
    peak = max([max(a, v) for _y, a, v in chart] + [1])
    return render_template("emigrants/statistics.html", rows=table, chart=chart, peak=peak, year_from=year_from,
                           year_to=year_to)


@bp.route("/statistics.<export:fmt>")
@permission_required(ACCESS)
def statistics_export(fmt: str):
    year_from, year_to = year_range(PROGRAMME_SINCE)
    data = [(r.year, r.category_label, r.country_name, r.applications, r.visits, money(r.costs))
            for r in statistics_data.rows(year_from, year_to)]
    return table_response([_("Year"), _("Category"), _("Country"), _("Applications"), _("Visits"), _("Costs")],
                          data, filename=f"emigrantenprogramm-{year_from}-{year_to}", fmt=fmt)


