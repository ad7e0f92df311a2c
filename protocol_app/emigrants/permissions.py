"""Who may do what in the emigrant programme (used by views, templates and services).

Everything of the programme is Art. 9 data: only the `emigration` role reaches it."""

from __future__ import annotations

from ..core.permissions import Permission, user_has, whole_list_if
from .models import Application
from .planning import PLANNABLE_STATES
from .volunteer import COMING_STATES
from .workflow import OPEN_STATES


def can_access(user) -> bool:
    return user_has(user, Permission.EMIGRANTS_ACCESS)


def can_read(user, application: Application | None = None) -> bool:
    """Every case is open to the programme's team, and only to it (each read is logged)."""
    return can_access(user)


def can_edit(user, application: Application | None = None) -> bool:
    """The team changes its cases; what may change in which state, the process and the services say."""
    return can_access(user)


def can_change_details(user, application: Application) -> bool:
    """The application's own data (person, address, category) change while the case is open."""
    return can_edit(user, application) and application.state in OPEN_STATES


def can_set_rules(user) -> bool:
    """Priority weights, retention periods and budgets are the admins' reference data."""
    return user_has(user, Permission.ADMIN_REFERENCE)


def can_plan(user, application: Application) -> bool:
    """The week in Berlin is planned once the guest is invited, until they have travelled."""
    return can_access(user) and application.state in PLANNABLE_STATES


def can_send_to_volunteer(user, application: Application) -> bool:
    """The volunteer gets the programme only for a guest who is coming."""
    return can_access(user) and application.state in COMING_STATES


def readable_filter(user):
    """Every case for the programme's team, none for anyone else."""
    return whole_list_if(can_access(user))
