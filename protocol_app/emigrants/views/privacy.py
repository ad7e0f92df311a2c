"""Data-protection pages: subject access export, mailing consent, retention periods."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ...core.errors import DomainError
from ...core.forms import ConfirmForm
from ...core.front_door import saved
from ...core.permissions import Permission, permission_required
from .. import (
    retention,
)
from .. import subject_access as access_export
from ..forms import (
    RetentionForm,
)
from . import ACCESS, _detail, bp, door


@bp.route("/<reference>/subject-access.zip")
@permission_required(ACCESS)
def subject_access(reference: str):
    """One click: everything held about the applicant, as a ZIP (the export itself is logged)."""
    application = door.load(reference)
    return Response(access_export.export_zip(application, actor=current_user), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="auskunft-{application.reference}.zip"'})


@bp.route("/<reference>/mailing-consent", methods=["POST"])
@permission_required(ACCESS)
def mailing_consent(reference: str):
    application = door.load_for_change(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        retention.set_mailing_consent(application, actor=current_user, consent=request.form.get("consent") == "1")
    except DomainError as exc:
        flash(str(exc.message), "danger")
    return _detail(application)


@bp.route("/retention", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_REFERENCE)
def retention_settings():
    """Admins set how long cases and health notes are kept after a case ends."""
    form = RetentionForm(obj=retention.settings())
    return saved(form, lambda: retention.set_settings(actor=current_user, case_years=form.case_years.data,
                                                      health_years=form.health_years.data),
                 message=_("The retention periods have been saved."),
                 then=lambda _settings: redirect(url_for("emigrants.retention_settings"))) or render_template("emigrants/weights.html", form=form, title=_("Retention periods"))


