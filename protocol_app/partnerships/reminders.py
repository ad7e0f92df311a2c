"""Reminder rules of the partnerships (run by beat; each reminder once per person and jubilee)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..auth.services import users_with_role
from ..core.i18n import format_d
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.urls import path_for
from . import services


@reminder_rule("partnership-jubilee-12")
def remind_jubilees_a_year_ahead() -> int:
    """A round anniversary within the next 12 months: every officer, once per jubilee, to plan it."""
    jubilees = services.jubilees_ahead(days=366)
    officers = users_with_role(Role.OFFICER)
    due = remind_once("partnership-jubilee-12", [
        (f"partnership-jubilee-12:{j.partnership.id}:{j.years}:{officer.id}", officer, j.partnership, (officer, j))
        for j in jubilees for officer in officers])
    for officer, jubilee in due:
        notify(officer, lambda j=jubilee: _l(
            "%(years)s years of the partnership with %(city)s on %(day)s: please plan the jubilee.",
            years=j.years, city=j.city.name, day=format_d(j.day)),
            link=path_for("partnerships.detail", city_id=jubilee.city.id),
            subject_factory=lambda j=jubilee: _l("Partnership jubilee: %(years)s years %(city)s", years=j.years,
                                                 city=j.city.name))
    return len(due)
