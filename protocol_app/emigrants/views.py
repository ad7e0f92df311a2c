"""Pages of the emigrant programme — only for the `emigration` role; every read of an
application is logged, and every refused request too."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core import workflow
from ..core.audit import record_event
from ..core.crud import Column, CrudSpec, register_crud
from ..core.errors import DomainError
from ..core.exports import FORMATS, table_response
from ..core.files import send_stored
from ..core.forms import ConfirmForm, apply_domain_error, flash_form_errors, local_to_utc
from ..core.listing import paginate, year_range
from ..core.navigation import register_nav
from ..core.permissions import Permission, permission_required, user_has
from ..core.references import find_by_reference
from ..extensions import db
from . import (
    documents,
    letters,
    participant_import,
    planning,
    programme,
    retention,
    services,
    volunteer,
)
from . import statistics as statistics_data
from . import subject_access as access_export
from .forms import (
    ApplicationForm,
    BookingForm,
    BudgetForm,
    DocumentForm,
    DuplicateForm,
    ImportForm,
    LetterTemplateForm,
    OverrideForm,
    RetentionForm,
    StayForm,
    StayItemForm,
    WeightsForm,
)
from .models import (
    ApplicantCategory,
    Application,
    GeneratedLetter,
    HistoricalParticipant,
    LetterKind,
    LetterTemplate,
)
from .workflow import APPLICATION_WORKFLOW, OPEN_STATES, ApplicationState

bp = Blueprint("emigrants", __name__, url_prefix="/emigrants", template_folder="templates")

ACCESS = Permission.EMIGRANTS_ACCESS

register_nav("emigrants.index", _l("Emigrant programme"), ACCESS, order=30)


def _load(reference: str) -> Application:
    application = find_by_reference(Application, reference)
    if application is None:
        abort(404)
    return application


def _detail(application: Application, anchor: str | None = None):
    return redirect(url_for("emigrants.detail", reference=application.reference, _anchor=anchor))


@bp.route("/")
@permission_required(ACCESS)
def index():
    stmt = sa.select(Application)
    if request.args.get("state") in {s.value for s in ApplicationState}:
        stmt = stmt.where(Application.state == request.args["state"])
    if request.args.get("category") in {c.value for c in ApplicantCategory}:
        stmt = stmt.where(Application.category == request.args["category"])
    listing = paginate(stmt, sortable={"reference": (Application.year, Application.number), "name": Application.name,
                                       "birth": Application.birth_date, "state": Application.state},
                       default_sort="reference", default_direction="desc",
                       searchable=(Application.name, Application.birth_name))
    services.log_list_read(listing.items, current_user, page="list")
    return render_template("emigrants/index.html", listing=listing, states=ApplicationState,
                           categories=ApplicantCategory)


@bp.route("/blank-form")
@permission_required(ACCESS)
def blank_form():
    """The printable application form, in German or English (?lang=en)."""
    language = "en" if request.args.get("lang") == "en" else "de"
    with force_locale(language):
        return render_template("emigrants/blank_form.html", language=language)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(ACCESS)
def new():
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            application = services.create_application(actor=current_user, values=form.service_values())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("Application %(reference)s has been recorded.", reference=application.reference), "success")
            return _detail(application)
    return render_template("emigrants/form.html", form=form, application=None)


@bp.route("/<reference>")
@permission_required(ACCESS)
def detail(reference: str):
    application = _load(reference)
    services.log_read(application, current_user)
    score, reasons = services.priority(application, services.weights(), services.today())
    items = programme.items_of(application)
    return render_template(
        "emigrants/detail.html", application=application, matches=services.possible_duplicates(application),
        duplicate_form=DuplicateForm(), transitions=APPLICATION_WORKFLOW.available(application, current_user),
        history=workflow.history(APPLICATION_WORKFLOW, application.id), confirm=ConfirmForm(),
        state_labels={s.value: s.label for s in ApplicationState}, score=score, reasons=reasons,
        override_form=OverrideForm(), editable=application.state in OPEN_STATES,
        letters=letters.letters_of(application), letter_kinds=LetterKind,
        plan=planning.plan_of(application), bookings=planning.bookings_of(application),
        plannable=application.state in planning.PLANNABLE_STATES, stay_form=stay_form(application),
        booking_form=BookingForm(), items=items, interpreting=programme.interpreting_of(items),
        item_form=StayItemForm(), documents=documents.documents_of(application), document_form=DocumentForm(),
        volunteer_states=volunteer.COMING_STATES,
    )


def stay_form(application):
    plan = planning.plan_of(application)
    return StayForm(obj=plan) if plan else StayForm()


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@permission_required(ACCESS)
def edit(reference: str):
    application = _load(reference)
    if application.state not in OPEN_STATES:
        abort(403)
    form = ApplicationForm(obj=application)
    if request.method == "GET":
        services.log_read(application, current_user)  # the form shows the whole record
        form.load(application)
    if form.validate_on_submit():
        try:
            services.update_application(application, actor=current_user, values=form.service_values(),
                                        expected_version=form.expected_version())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The application has been saved."), "success")
            return _detail(application)
    return render_template("emigrants/form.html", form=form, application=application)


@bp.route("/<reference>/duplicates/<kind>/<int:match_id>", methods=["POST"])
@permission_required(ACCESS)
def duplicate(reference: str, kind: str, match_id: int):
    application = _load(reference)
    form = DuplicateForm()
    if form.validate_on_submit():
        try:
            services.decide_duplicate(application, actor=current_user, kind=kind, match_id=match_id,
                                      same_person=form.verdict.data == "same_person", reason=form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return _detail(application, "duplicates")


@bp.route("/<reference>/transition", methods=["POST"])
@permission_required(ACCESS)
def transition(reference: str):
    application = _load(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.move(application, request.form.get("action", ""), actor=current_user,
                      comment=request.form.get("comment"), expected_version=request.form.get("version", type=int))
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("New status: %(state)s", state=application.state_label), "success")
    return _detail(application)


@bp.route("/<reference>/priority", methods=["POST"])
@permission_required(ACCESS)
def override(reference: str):
    application = _load(reference)
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            services.set_override(application, actor=current_user, points=form.points.data, reason=form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return _detail(application, "priority")


@bp.route("/waiting-list")
@permission_required(ACCESS)
def waiting():
    rows = services.waiting_list()
    services.log_list_read([application for application, _score, _reasons in rows], current_user,
                           page="waiting list")
    return render_template("emigrants/waiting.html", rows=rows)


@bp.route("/weights", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_REFERENCE)
def weights():
    """Admins set the weights of the waiting list's priority score (and see no applicant)."""
    rule = services.weights()
    form = WeightsForm(obj=rule)
    if form.validate_on_submit():
        try:
            services.set_weights(actor=current_user, per_year=form.per_year.data, age_from=form.age_from.data,
                                 health=form.health.data, hardship=form.hardship.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The weights have been saved."), "success")
            return redirect(url_for("emigrants.weights"))
    return render_template("emigrants/weights.html", form=form)


@bp.route("/participants/import", methods=["GET", "POST"])
@permission_required(ACCESS)
def participants_import():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = participant_import.import_participants(upload.filename or "", upload.read(), actor=current_user)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if result.ok:
                flash(_("%(n)s historical participants imported.", n=len(result.rows)), "success")
                return redirect(url_for("emigrants.index"))
    count = db.session.scalar(sa.select(sa.func.count(HistoricalParticipant.id)))
    return render_template("emigrants/participants_import.html", form=form, result=result,
                           columns=participant_import.columns(), count=count)


@bp.errorhandler(403)
def refused(exc):
    """A refused request for anything of the programme is logged, then shown as the usual 403 page."""
    db.session.rollback()
    record_event("emigrants.access_refused", actor=current_user if current_user.is_authenticated else None,
                 summary=f"{request.method} {request.path}"[:200])
    db.session.commit()
    return render_template("errors/403.html"), 403


@bp.route("/<reference>/subject-access.zip")
@permission_required(ACCESS)
def subject_access(reference: str):
    """One click: everything held about the applicant, as a ZIP (the export itself is logged)."""
    application = _load(reference)
    return Response(access_export.export_zip(application, actor=current_user), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="auskunft-{application.reference}.zip"'})


@bp.route("/<reference>/mailing-consent", methods=["POST"])
@permission_required(ACCESS)
def mailing_consent(reference: str):
    application = _load(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        retention.set_mailing_consent(application, actor=current_user, consent=request.form.get("consent") == "1")
    except DomainError as exc:
        flash(str(exc.message), "danger")
    return _detail(application)


@bp.route("/alumni.<fmt>")
@permission_required(ACCESS)
def alumni(fmt: str):
    """Postal addresses of participants who agreed to receive the magazine, for a mail merge."""
    if fmt not in FORMATS:
        abort(404)
    rows = [(a.name, a.address, a.country.name if a.country else a.country_code, a.language)
            for a in retention.mailing_list()]
    record_event("emigrants.alumni_export", actor=current_user, summary=f"{len(rows)} addresses")
    return table_response([_("Name"), _("Address"), _("Country"), _("Language")], rows,
                          filename="alumni-versand", fmt=fmt)


@bp.route("/retention", methods=["GET", "POST"])
@permission_required(Permission.ADMIN_REFERENCE)
def retention_settings():
    """Admins set how long cases and health notes are kept after a case ends."""
    form = RetentionForm(obj=retention.settings())
    if form.validate_on_submit():
        try:
            retention.set_settings(actor=current_user, case_years=form.case_years.data,
                                   health_years=form.health_years.data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The retention periods have been saved."), "success")
            return redirect(url_for("emigrants.retention_settings"))
    return render_template("emigrants/weights.html", form=form, title=_("Retention periods"))


@bp.route("/<reference>/letters/<kind>", methods=["POST"])
@permission_required(ACCESS)
def letter_generate(reference: str, kind: str):
    application = _load(reference)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        letter = letters.generate(application, kind, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
    else:
        flash(_("The letter has been generated (%(language)s).", language=letter.language), "success")
    return _detail(application, "letters")


@bp.route("/<reference>/letters/<int:letter_id>.pdf")
@permission_required(ACCESS)
def letter_download(reference: str, letter_id: int):
    application = _load(reference)
    letter = db.session.get(GeneratedLetter, letter_id)
    if letter is None or letter.application_id != application.id:
        abort(404)
    record_event("application.letter_read", actor=current_user, target=application)
    return send_stored(letter.file)


register_crud(bp, CrudSpec(
    "letter-templates", LetterTemplate, LetterTemplateForm, _l("Letter templates"), _l("Letter template"),
    [Column("kind_label", _l("Letter")), Column("language", _l("Language"), LetterTemplate.language),
     Column("subject", _l("Subject"), LetterTemplate.subject)],
    (LetterTemplate.subject,), "language", (Permission.ADMIN_REFERENCE,), (Permission.ADMIN_REFERENCE,),
))


@bp.route("/<reference>/stay", methods=["POST"])
@permission_required(ACCESS)
def stay(reference: str):
    application, form = _load(reference), StayForm()
    if form.validate_on_submit():
        try:
            planning.save_plan(application, actor=current_user, arrives_on=form.arrives_on.data,
                               departs_on=form.departs_on.data, hotel=form.hotel.data, room_type=form.room_type.data,
                               half_board=form.half_board.data, hotel_cost=form.hotel_cost.data,
                               volunteer=form.volunteer.data, volunteer_email=form.volunteer_email.data,
                               transfers=form.transfers.data,
                               overrun_reason=form.overrun_reason.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return _detail(application, "planning")


@bp.route("/<reference>/travel", methods=["POST"])
@permission_required(ACCESS)
def travel(reference: str):
    application, form = _load(reference), BookingForm()
    if form.validate_on_submit():
        try:
            planning.add_booking(application, actor=current_user, traveller=form.traveller.data, mode=form.mode.data,
                                 carrier=form.carrier.data, number=form.number.data,
                                 departs_at=local_to_utc(form.departs_at.data, "Europe/Berlin"),
                                 arrives_at=local_to_utc(form.arrives_at.data, "Europe/Berlin"),
                                 booking_code=form.booking_code.data, cost=form.cost.data,
                                 overrun_reason=form.overrun_reason.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
    else:
        flash_form_errors(form)
    return _detail(application, "planning")


@bp.route("/budget", methods=["GET", "POST"])
@permission_required(ACCESS, Permission.ADMIN_REFERENCE)
def budget():
    """Committed and spent against the year's budget (totals only); admins set the budget."""
    form = BudgetForm()
    can_set = user_has(current_user, Permission.ADMIN_REFERENCE)
    if request.method == "POST":
        if not can_set:
            abort(403)
        if form.validate_on_submit():
            try:
                planning.set_budget(form.year.data, form.amount.data, actor=current_user)
            except DomainError as exc:
                flash(str(exc.message), "danger")
            else:
                flash(_("The budget has been set."), "success")
        else:
            flash_form_errors(form)
        return redirect(url_for("emigrants.budget"))
    year = request.args.get("year", type=int) or services.today().year
    return render_template("emigrants/budget.html", status=planning.budget_status(year), form=form,
                           can_set=can_set)


@bp.route("/statistics")
@permission_required(ACCESS)
def statistics():
    year_from, year_to = year_range(1969)
    table = statistics_data.rows(year_from, year_to)
    chart = statistics_data.per_year(table)
    peak = max([max(a, v) for _y, a, v in chart] + [1])
    return render_template("emigrants/statistics.html", rows=table, chart=chart, peak=peak, year_from=year_from,
                           year_to=year_to)


@bp.route("/statistics.<fmt>")
@permission_required(ACCESS)
def statistics_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    year_from, year_to = year_range(1969)
    data = [(r.year, r.category, r.country, r.applications, r.visits, r.costs) for r in statistics_data.rows(year_from, year_to)]
    return table_response([_("Year"), _("Category"), _("Country"), _("Applications"), _("Visits"), _("Costs (EUR)")],
                          data, filename=f"emigrantenprogramm-{year_from}-{year_to}", fmt=fmt)


from . import programme_views as _programme_views  # noqa: E402,F401  (routes on this blueprint)
