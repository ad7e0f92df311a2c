"""Admin pages of the webhooks: the neighbour systems told of events, and what was told them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, URLField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.errors import ValidationFailed
from ..core.forms import ConfirmForm, MultiCheckboxField, PlainTextField
from ..core.front_door import acted, saved
from ..core.listing import choice_arg, paginate
from ..core.navigation import register_nav
from ..core.permissions import Permission, Role, permission_required
from ..core.webhooks import services as webhooks
from ..core.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from ..extensions import db
from .views import bp

register_nav("admin.webhooks_page", _l("Webhooks"), Permission.ADMIN_USERS, order=95)


class SubscriptionForm(FlaskForm):
    name = PlainTextField(_l("Receiving system (e.g. Pressestelle, Internetredaktion)"),
                          validators=[DataRequired(), Length(max=120)])
    url = URLField(_l("Address the events are posted to (https://…)"), validators=[DataRequired(), Length(max=500)])
    events = MultiCheckboxField(_l("Told of"), choices=webhooks.event_choices, validators=[
        DataRequired(_l("Please choose at least one event from the list."))])
    role = SelectField(_l("Told only what this role may read"), choices=Role.choices(), default=Role.VIEWER.value)
    submit = SubmitField(_l("Register the system"))

    def validate_url(self, field) -> None:
        # The service's rule, asked here too so that every mistake of the form shows at once.
        try:
            webhooks.check_url(field.data)
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message)) from exc


@bp.route("/webhooks", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_USERS)
def webhooks_page():
    """The systems told of events, a form to register one (its secret shown once), and the
    deliveries, newest first, with what became of each."""
    form = SubscriptionForm()
    made = saved(form, lambda: webhooks.subscribe(actor=current_user, name=form.name.data, url=form.url.data,
                                                   events=form.events.data or [], role=form.role.data),
                 message=_("The system has been registered. Give it the signing secret now: it is shown only once."),
                 then=lambda made: render_template("admin/webhook_secret.html", subscription=made[0], secret=made[1]))
    if made:
        return made
    status = choice_arg("status", DeliveryStatus)
    stmt = sa.select(WebhookDelivery)
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    listing = paginate(stmt, sortable={"created": WebhookDelivery.created_at}, default_sort="created",
                       default_direction="desc", searchable=(WebhookDelivery.event_type, WebhookDelivery.event_id))
    subscriptions = db.session.scalars(sa.select(WebhookSubscription).order_by(
        WebhookSubscription.is_active.desc(), WebhookSubscription.name)).all()
    return render_template("admin/webhooks.html", form=form, subscriptions=subscriptions, listing=listing,
                           status=status, statuses=list(DeliveryStatus), labels=dict(webhooks.event_choices()),
                           roles={value: str(label) for value, label in Role.choices()},
                           confirm=ConfirmForm(), open_form=request.method == "POST")


@bp.route("/webhooks/<int:subscription_id>/end", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def webhook_end(subscription_id: int):
    subscription = db.get_or_404(WebhookSubscription, subscription_id)
    return acted(lambda: webhooks.end_subscription(subscription, actor=current_user),
                 message=_("The system is told nothing more."), then=lambda: redirect(url_for("admin.webhooks_page")))


@bp.route("/webhooks/resend", methods=["POST"])
@permission_required(Permission.ADMIN_USERS)
def webhook_resend():
    """Send a failed or unconfirmed delivery again (the same event id: the receiver can drop a repeat)."""
    raw = request.form.get("delivery_id", "")
    return acted(lambda: webhooks.resend([int(raw)] if raw.isdigit() else [], actor=current_user),
                 message=lambda count: ngettext("%(num)s delivery is sent again.", "%(num)s deliveries are sent again.",
                                                count) if count else _("There was nothing to send again."),
                 then=lambda: redirect(url_for("admin.webhooks_page")))
