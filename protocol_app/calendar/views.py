"""Calendar pages and the personal feed."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.forms import ConfirmForm
from ..core.navigation import register_nav
from ..core.permissions import login_required_only, permission_required, public
from ..core.time import today_berlin
from ..extensions import limiter
from . import services
from .sources import READERS

bp = Blueprint("calendar", __name__, url_prefix="/calendar", template_folder="templates")

register_nav("calendar.index", _l("Calendar"), *READERS, order=20)

VIEWS = ("month", "week", "agenda")
#: Entries a day of the month view shows before "+ n more" (a busy month holds ~1,800).
MONTH_DAY_LIMIT = 3


@bp.route("/")
@permission_required(*READERS)
def index():
    view = request.args.get("view", "month")
    if view not in VIEWS:
        view = "month"
    try:
        anchor = datetime.strptime(request.args.get("date", ""), "%Y-%m-%d").date()
    except ValueError:
        anchor = today_berlin()
    first, last = services.window(view, anchor)
    days = services.days_with_entries(current_user, first, last,
                                      per_day=MONTH_DAY_LIMIT if view == "month" else None)
    return render_template("calendar/index.html", view=view, anchor=anchor, days=days,
                           first=first, last=last, today=today_berlin(), grid_rows=services.grid_rows,
                           grid_hours=range(services.GRID_FIRST_HOUR, services.GRID_LAST_HOUR))


@bp.route("/day/<day>")
@permission_required(*READERS)
def day(day: str):
    """Every entry of one day: the page behind a month's "+ n more", or (asked by the month
    view's script) only the list, which it puts into the day's cell."""
    try:
        anchor = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        abort(404)
    [(_, entries)] = services.days_with_entries(current_user, anchor, anchor)
    if request.headers.get("X-Requested-With") == "fetch":
        return render_template("calendar/_day_entries.html", entries=entries)
    return render_template("calendar/day.html", anchor=anchor, entries=entries)


@bp.route("/feed", methods=["GET", "POST"])
@login_required_only
def feed_settings():
    form = ConfirmForm()
    new_url = None
    if form.validate_on_submit():
        if request.form.get("action") == "revoke":
            services.revoke_feed_tokens(current_user, actor=current_user)
            flash(_("Your calendar feed address no longer works."), "success")
            return redirect(url_for("calendar.feed_settings"))
        token = services.issue_feed_token(current_user, actor=current_user)
        new_url = url_for("calendar.feed", token=token, _external=True)
    return render_template("calendar/feed.html", form=form, new_url=new_url,
                           active=services.has_active_feed(current_user))


@bp.route("/feed/<token>.ics")
@public  # calendar programs cannot log in: the secret token is the credential
@limiter.limit("60 per minute")
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    body = services.render_feed(user, base_url=current_app.config["BASE_URL"])
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})
