"""Start page, notifications and the health check."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from .dashboard import cards_for, register_card
from .forms import ConfirmForm
from .health import health_report, liveness
from .i18n import format_long_d
from .listing import paginate
from .notifications.models import Notification
from .notifications.services import mark_read
from .permissions import login_required_only, public
from .urls import safe_next_url

bp = Blueprint("core", __name__, template_folder="templates")


@bp.route("/")
@login_required_only
def dashboard():
    return render_template("core/dashboard.html", cards=cards_for(current_user))


@bp.route("/barrierefreiheit")
@public  # BITV 2.0 § 7: the statement is reachable from every page, the login page included
def accessibility():
    """The accessibility statement (Erklärung zur Barrierefreiheit) with its feedback contact."""
    raw = str(current_app.config["ACCESSIBILITY_CHECKED_ON"])
    try:
        checked_on = format_long_d(date.fromisoformat(raw))
    except ValueError:  # a setting written otherwise is shown as written
        checked_on = raw
    return render_template("core/accessibility.html", contact=current_app.config["ACCESSIBILITY_CONTACT"],
                           checked_on=checked_on)


@bp.route("/healthz")
@public
def healthz():
    """Liveness: cheap, asks neither the database nor Redis."""
    return jsonify(liveness())


@bp.route("/readyz")
@public
def readyz():
    """Readiness: the database (503 without it), Redis, the beat leader, the outbox, the version."""
    report, healthy = health_report()
    return jsonify(report), 200 if healthy else 503


@bp.route("/metrics")
@public  # no session: Prometheus shows its bearer token (METRICS_TOKEN), checked in metrics_response
def metrics():
    """Prometheus' text format; 404 while METRICS_TOKEN is unset, 401 without the token."""
    from .metrics import metrics_response

    return metrics_response()


@bp.route("/notifications")
@login_required_only
def notifications():
    listing = paginate(
        sa.select(Notification).where(Notification.user_id == current_user.id),
        sortable={"created": Notification.created_at},
        default_sort="created",
        default_direction="desc",
        searchable=(Notification.message,),
    )
    return render_template("core/notifications.html", listing=listing, form=ConfirmForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required_only
def notifications_read():
    form = ConfirmForm()
    if form.validate_on_submit():
        raw = request.form.get("notification_id")
        note_id = int(raw) if raw and raw.isdigit() else None
        mark_read(current_user, note_id)
        if note_id is None:
            flash(_("All notifications marked as read."), "success")
        else:
            note = db.session.get(Notification, note_id)
            if note is not None and note.user_id == current_user.id and note.link:
                target = safe_next_url(note.link)
                if target:
                    return redirect(target)
    return redirect(url_for("core.notifications"))


def _notifications_card(user) -> dict:
    latest = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc())
        .limit(5)
    ).all()
    return {"latest": latest}


register_card("notifications", "core/card_notifications.html", None, _notifications_card, 10)
