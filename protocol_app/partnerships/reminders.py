"""Reminder rules of the partnerships (run by beat; each reminder once per person and jubilee)."""

from __future__ import annotations

from ..auth.services import users_with_role
from ..core.notifications.services import notify
from ..core.permissions import Role
from ..core.reminders import remind_once, reminder_rule
from ..core.urls import path_for
from . import notices, services


@reminder_rule("partnership-jubilee-12")
def remind_jubilees_a_year_ahead() -> int:
    """A round anniversary within the next 12 months: every officer, once per jubilee, to plan it."""
    jubilees = services.jubilees_ahead(days=366)
    officers = users_with_role(Role.OFFICER)
    due = remind_once("partnership-jubilee-12", [
        (f"partnership-jubilee-12:{j.partnership.id}:{j.years}:{officer.id}", officer, j.partnership, (officer, j))
        for j in jubilees for officer in officers])
    for officer, jubilee in due:
        # The city's name in the officer's language: asked for when the notice is written.
        notify(officer, notices.JUBILEE, {"years": jubilee.years, "city": lambda j=jubilee: j.city.name, "date": jubilee.day},
               link=path_for("partnerships.detail", city_id=jubilee.city.id))
    return len(due)
