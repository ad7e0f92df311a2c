"""Rules of the emigrant programme's applications: recording, changing and moving a case
(the duplicate check is `duplicates`, the waiting list `waiting_list`).

Every function takes the acting user, runs in one SAVEPOINT and is audited; audit entries
name the application by reference only, never the person or their health."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..core import workflow
from ..core.audit import record_event, update_audited
from ..core.db import check_version, transactional
from ..core.errors import ValidationFailed
from ..core.languages import check_language
from ..core.references import next_number
from ..core.time import today_berlin
from ..directory.models import AddressForm, Country
from ..directory.salutations import SalutationForm
from ..extensions import db
from .models import (
    REFERENCE_PREFIX,
    ApplicantCategory,
    Application,
)
from .planning import check_companion_born_before, plan_of
from .retention import mark_ended

FIELDS = ("category", "name", "salutation_form", "address_form_id", "birth_name", "birth_date", "birth_place",
          "address", "country_code", "language",
          "berlin_connection", "emigration", "declaration_signed", "contact_name", "contact_relation",
          "contact_email", "needs_mobility", "needs_diet", "needs_medical", "companion_name", "companion_relation",
          "companion_birth_date", "companion_needs", "berlin_born_or_resident", "berlin_evidence",
          "persecuted_or_forced_labour", "persecution_evidence", "not_visited_before", "visit_evidence",
          "health_flag", "hardship_flag")


def today() -> date:
    return today_berlin()


def _validate(values: dict) -> None:
    if values.get("category") not in {c.value for c in ApplicantCategory}:
        raise ValidationFailed(_l("Please choose the category of the applicant."), field="category")
    if not (values.get("name") or "").strip():
        raise ValidationFailed(_l("Please enter the applicant's name."), field="name")
    born = values.get("birth_date")
    if born is None or born >= today():
        raise ValidationFailed(_l("Please enter a date of birth in the past."), field="birth_date")
    if values.get("salutation_form") and values["salutation_form"] not in {f.value for f in SalutationForm}:
        raise ValidationFailed(_l("Unknown form of salutation."), field="salutation_form")
    values["salutation_form"] = values.get("salutation_form") or None
    if values.get("address_form_id") and db.session.get(AddressForm, values["address_form_id"]) is None:
        raise ValidationFailed(_l("Unknown form of address."), field="address_form_id")
    values["address_form_id"] = values.get("address_form_id") or None
    if not (values.get("address") or "").strip():
        raise ValidationFailed(_l("Please enter the current address."), field="address")
    if db.session.get(Country, values.get("country_code") or "") is None:
        raise ValidationFailed(_l("Please choose the country of residence."), field="country_code")
    values["language"] = check_language(values.get("language") or "en")
    if not values.get("declaration_signed"):
        raise ValidationFailed(_l("The application needs the signed declaration of not having visited at the "
                                  "Senate's invitation before."), field="declaration_signed")
    companion_born = values.get("companion_birth_date")
    if companion_born and companion_born >= today():
        raise ValidationFailed(_l("The companion's date of birth must lie in the past."), field="companion_birth_date")
    if companion_born and not (values.get("companion_name") or "").strip():
        raise ValidationFailed(_l("Please enter the companion's name."), field="companion_name")


def log_read(application: Application, actor) -> None:
    """Every read of an application is logged: who, when, which record."""
    record_event("application.read", actor=actor, target=application)


def log_list_read(applications, actor, *, page: str) -> None:
    """A list shows names and dates of birth too: one entry naming the records shown (by reference)."""
    if applications:
        shown = ", ".join(a.reference for a in applications)
        record_event("emigrants.list_read", actor=actor, summary=f"{page}: {shown}"[:500])


@transactional
def create_application(*, actor, values: dict) -> Application:
    """Record an application received by letter or e-mail."""
    values = {key: values.get(key) for key in FIELDS}
    _validate(values)
    year = today().year
    application = Application(state="received", year=year, number=next_number(REFERENCE_PREFIX, year),
                              created_by_id=actor.id, **{k: v for k, v in values.items() if v is not None})
    return workflow.begin(application, actor=actor, audit_action="application.create",
                          summary=application.reference)


@transactional
def update_application(application: Application, *, actor, values: dict, expected_version=None) -> None:
    check_version(application, expected_version)
    values = {key: values.get(key) for key in FIELDS}
    _validate(values)
    plan = plan_of(application)
    if plan is not None:
        check_companion_born_before(values.get("companion_birth_date"), plan.departs_on)
    # Which fields changed, never their values: this programme's data is the most sensitive.
    update_audited(application, values, actor=actor, action="application.update", values_of=())


@transactional
def move(application: Application, action: str, *, actor, comment=None, expected_version=None) -> None:
    """Take a step of the application's process; an ending step starts the retention clock."""
    workflow.apply(application, action, actor=actor, comment=comment, expected_version=expected_version)
    mark_ended(application)
    db.session.flush()
