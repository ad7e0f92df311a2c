"""Admin pages: users, audit log, outbox."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..auth import second_factor_steps
from ..auth import services as account
from ..auth.models import User, UserRole
from ..core.audit import AuditEvent, labels
from ..core.errors import DomainError
from ..core.forms import ConfirmForm, apply_domain_error, edit_form, form_values
from ..core.front_door import acted
from ..core.listing import choice_arg, paginate
from ..core.navigation import register_nav
from ..core.notifications.delivery import resend
from ..core.notifications.models import MailStatus, OutboxMail
from ..core.permissions import Permission, Role, permission_required
from ..core.time import BERLIN
from ..extensions import db
from .forms import NewUserForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

register_nav("admin.users", _l("Users"), Permission.ADMIN_USERS, order=90)
register_nav("admin.audit", _l("Audit log"), Permission.ADMIN_AUDIT, order=91)

#: Fields of the user form that the account services take as keywords.
USER_FIELDS = ("full_name", "roles", "locale", "position", "sign_in")


@bp.route("/users")
@permission_required(Permission.ADMIN_USERS)
def users():
    stmt = sa.select(User)
    role = choice_arg("role", Role)
    if role is not None:
        stmt = stmt.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == role)))
    listing = paginate(
        stmt,
        sortable={"name": User.full_name, "email": User.email, "last_login": User.last_login_at},
        default_sort="name",
        searchable=(User.full_name, User.email),
    )
    return render_template("admin/users.html", listing=listing, roles=Role, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_USERS)
def user_new():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user, temporary = account.create_user(
                actor=current_user, **form_values(form, "email", *USER_FIELDS)
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if temporary is None:  # signs in with the directory: no password of ours to hand over
                flash(_("The user has been created and signs in with the office directory."), "success")
                return redirect(url_for("admin.user_edit", user_id=user.id))
            return render_template("admin/temporary_password.html", user=user, password=temporary)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_USERS)
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = edit_form(UserForm, user)
    if form.validate_on_submit():
        try:
            account.update_user(user, actor=current_user, **form_values(form, *USER_FIELDS))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The user has been saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, confirm=ConfirmForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def user_set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    return acted(lambda: account.set_active(user, actor=current_user, active=active),
                 message=_("The account has been activated.") if active else _("The account has been deactivated."),
                 then=lambda: redirect(url_for("admin.user_edit", user_id=user.id)))


def _account_step(user_id: int, step, *, done: str, not_needed: str):
    """A confirmed button on a user's page whose service answers whether there was anything to do
    (a block to lift, a second factor to remove): either way the admin is told which."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if step(user, actor=current_user):
        flash(done, "success")
    else:
        flash(not_needed, "info")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def user_unlock(user_id: int):
    return _account_step(user_id, account.unlock, done=_("The login block has been lifted; the user can sign in again."),
                         not_needed=_("This account was not blocked."))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def user_reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        temporary = account.reset_password(user, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/temporary_password.html", user=user, password=temporary)


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def user_reset_second_factor(user_id: int):
    return _account_step(user_id, second_factor_steps.reset_second_factor,
                         done=_("The second factor has been removed; the user sets up a new one at the next sign-in."),
                         not_needed=_("This user has no second factor set up."))


def _date_arg(name: str, end: bool = False):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        flash(_("Please enter dates as YYYY-MM-DD."), "warning")
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=BERLIN)


@bp.route("/audit")
@permission_required(Permission.ADMIN_AUDIT)
def audit():
    stmt = sa.select(AuditEvent)
    action = (request.args.get("action") or "").strip()
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    object_type = (request.args.get("object_type") or "").strip()
    if object_type:
        # one option of the filter stands for every code with its label ("visit", "visits")
        stmt = stmt.where(AuditEvent.object_type.in_(object_type.split(",")))
    actor = request.args.get("actor", "")
    if actor.isdigit():
        stmt = stmt.where(AuditEvent.actor_id == int(actor))
    start, end = _date_arg("from"), _date_arg("to", end=True)
    if start:
        stmt = stmt.where(AuditEvent.occurred_at >= start)
    if end:
        stmt = stmt.where(AuditEvent.occurred_at <= end)
    listing = paginate(
        stmt,
        sortable={"time": AuditEvent.occurred_at, "action": AuditEvent.action},
        default_sort="time",
        default_direction="desc",
        searchable=(AuditEvent.summary, AuditEvent.action),
    )
    actors = db.session.scalars(sa.select(User).order_by(User.full_name)).all()
    types = db.session.scalars(
        sa.select(AuditEvent.object_type).distinct().where(AuditEvent.object_type.is_not(None))
    ).all()
    return render_template("admin/audit.html", listing=listing, actors=actors, kinds=labels.record_kinds(types),
                           records=labels.record_names(listing.items), audit_action=labels.action_label,
                           audit_summary=labels.summary_in_words, audit_changes=labels.changes_in_words)


@bp.route("/outbox")
@permission_required(Permission.ADMIN_AUDIT)
def outbox():
    stmt = sa.select(OutboxMail)
    status = request.args.get("status")
    if status:
        stmt = stmt.where(OutboxMail.status == status)
    listing = paginate(
        stmt,
        sortable={"created": OutboxMail.created_at, "status": OutboxMail.status},
        default_sort="created",
        default_direction="desc",
        searchable=(OutboxMail.recipient, OutboxMail.subject),
    )
    return render_template("admin/outbox.html", listing=listing, status=status, statuses=list(MailStatus),
                           confirm=ConfirmForm(), resendable=RESENDABLE)


#: Mails an admin may put back in the queue.
RESENDABLE = (MailStatus.FAILED.value, MailStatus.UNCERTAIN.value)


@bp.route("/outbox/resend", methods=["POST"])
@permission_required(Permission.ADMIN_AUDIT)
def outbox_resend():
    """Re-send one failed or unconfirmed mail (mail_id), or all of them."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    raw = request.form.get("mail_id", "")
    if raw.isdigit():
        ids = [int(raw)]
    else:
        ids = list(db.session.scalars(sa.select(OutboxMail.id).where(OutboxMail.status.in_(RESENDABLE))))
    count = resend(ids, actor=current_user)
    flash(ngettext("%(num)s e-mail is being sent again.", "%(num)s e-mails are being sent again.", count)
          if count else _("There was no failed e-mail to send again."), "success" if count else "info")
    return redirect(url_for("admin.outbox", status=request.form.get("status") or None))
