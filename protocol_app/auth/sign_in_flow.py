"""The one sign-in flow: what a signed-in session still owes before the app opens, in order.

A session owes at most one step at a time: first a new password (a temporary one was given),
then the second factor (enrolment, or the code), then the page that was asked for. Asking
both "lists" of allowed pages separately made each step send the browser to the other one
for ever; one ordered answer cannot.
"""

from __future__ import annotations

from flask import redirect, request, url_for

from . import second_factor

#: What any session may reach whatever it owes: leaving, static files, the health check.
ALWAYS_REACHABLE = frozenset({"auth.logout", "static", "bootstrap.static", "core.healthz", "core.readyz"})

#: The page of each step is its endpoint.
STEP_PAGES = frozenset({"auth.change_password", "auth.second_factor_setup", "auth.second_factor"})


def pending_step(user, session_row) -> str | None:
    """The endpoint of the first step `user`'s session still owes, or None when it owes none."""
    if user.must_change_password:
        return "auth.change_password"
    if second_factor.required_for(user) and not second_factor.is_fresh(session_row):
        return "auth.second_factor" if user.has_second_factor else "auth.second_factor_setup"
    return None


def step_url(step: str, target: str | None) -> str:
    """The step's page, carrying the page asked for to come back to."""
    return url_for(step, next=target) if target else url_for(step)


def redirect_to_pending_step(user, session_row):
    """A redirect to the step the session owes, unless the request is for that step's page (or
    one always reachable); None when nothing is owed."""
    step = pending_step(user, session_row)
    if step is None or request.endpoint in ALWAYS_REACHABLE or request.endpoint == step:
        return None
    # From another step's page, the page asked for travels on; otherwise it is this request.
    target = request.args.get("next") if request.endpoint in STEP_PAGES else None
    if target is None and request.method == "GET":
        target = request.full_path.rstrip("?")
    return redirect(step_url(step, target if target != "/" else None))

