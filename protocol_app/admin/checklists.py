"""Admin pages for checklist templates."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from ..core.checklists import services
from ..core.checklists.models import Anchor, ChecklistTemplate, ChecklistTemplateItem, OwnerRule
from ..core.errors import DomainError
from ..core.forms import ConfirmForm, PlainTextField, apply_domain_error
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required
from ..events.models import EventKind
from ..extensions import db
from ..visits.models import VisitKind
from .views import bp

register_nav("admin.checklists", _l("Checklists"), Permission.ADMIN_TEMPLATES, order=92)


#: What a checklist can apply to: scope → (label, kinds of that scope).
SCOPES = {"visit": (_l("Visits"), VisitKind), "event": (_l("Events"), EventKind)}


def applies_to_label(template: ChecklistTemplate) -> str:
    label, kinds = SCOPES.get(template.scope, (template.scope, None))
    kind = kinds(template.kind).label if template.kind and kinds else _("All kinds")
    return f"{label} · {kind}"


def applies_to_choices() -> list[tuple[str, str]]:
    choices = []
    for scope, (label, kinds) in SCOPES.items():
        choices.append((f"{scope}:", f"{label} · {_('All kinds')}"))
        choices += [(f"{scope}:{value}", f"{label} · {kind_label}") for value, kind_label in kinds.choices()]
    return choices


class TemplateForm(FlaskForm):
    name = PlainTextField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    applies_to = SelectField(_l("Applies to"))
    submit = SubmitField(_l("Create template"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applies_to.choices = applies_to_choices()


class TemplateItemForm(FlaskForm):
    title = PlainTextField(_l("Task"), validators=[DataRequired(), Length(max=200)])
    offset_days = IntegerField(_l("Days (negative: before)"), validators=[InputRequired()])
    anchor = SelectField(_l("Relative to"), choices=Anchor.choices())
    owner_rule = SelectField(_l("Owner"), choices=OwnerRule.choices())
    submit = SubmitField(_l("Add task"))


@bp.route("/checklists", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def checklists():
    form = TemplateForm()
    if form.validate_on_submit():
        scope, _sep, kind = form.applies_to.data.partition(":")
        template = services.create_template(scope=scope, kind=kind or None, name=form.name.data,
                                            actor=current_user)
        return redirect(url_for("admin.checklist", template_id=template.id))
    templates = db.session.scalars(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.scope,
                                                                         ChecklistTemplate.name)).all()
    return render_template("admin/checklists.html", templates=templates, form=form, applies_to=applies_to_label)


@bp.route("/checklists/<int:template_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def checklist(template_id: int):
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None:
        abort(404)
    form = TemplateItemForm()
    if form.validate_on_submit():
        try:
            services.add_template_item(template, title=form.title.data, offset_days=form.offset_days.data,
                                       anchor=form.anchor.data, owner_rule=form.owner_rule.data,
                                       actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.checklist", template_id=template.id))
    return render_template("admin/checklist.html", template=template, form=form, confirm=ConfirmForm(),
                           applies_to=applies_to_label)


@bp.route("/checklists/items/<int:item_id>/delete", methods=["POST"])
@permission_required(Permission.ADMIN_TEMPLATES)
def checklist_item_delete(item_id: int):
    item = db.session.get(ChecklistTemplateItem, item_id)
    if item is None:
        abort(404)
    template_id = item.template_id
    if ConfirmForm().validate_on_submit():
        services.delete_template_item(item, actor=current_user)
        flash(_("The task has been removed from the template."), "success")
    return redirect(url_for("admin.checklist", template_id=template_id))
