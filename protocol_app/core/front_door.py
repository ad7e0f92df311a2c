"""A domain's front door: its blueprint and the two loaders every one of its routes uses, and
the recurring move of a page ("a valid form → the service → a message → the next page").

Every domain builds one `FrontDoor` in its views package's `__init__`; its pages ask
`door.load(key)` for what they show and `door.load_for_change(key)` for what they change, so that
the record's read and change rules (the domain's `permissions.can_read` / `can_edit`, which take
the record) are asked on the server for every route, the same way in every domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, request
from flask_login import current_user

from ..extensions import db
from .errors import ConcurrentChangeError, DomainError
from .forms import ConfirmForm, apply_domain_error, flash_form_errors, take_posted_step
from .permissions import permission_required

Policy = Callable[[Any, Any], bool]


class RecordLoader:
    """The two loaders of one kind of record.

    `find(key)` gives the record or None; `can_read(user, record)` and `can_edit(user, record)`
    are the domain's record-taking policies. `after_read(record)` runs for every record a route
    loads (the read log of confidential records). `closed_meanwhile`: the message for a change
    posted to a record that was closed while the form was open — a conflict, not a refusal —
    for users who `may_edit_some(user)` records of this kind.
    """

    def __init__(self, *, find: Callable[[Any], Any], can_read: Policy, can_edit: Policy,
                 after_read: Callable[[Any], None] | None = None, closed_meanwhile=None,
                 may_edit_some: Callable[[Any], bool] | None = None):
        self._find, self._can_read, self._can_edit = find, can_read, can_edit
        self._after_read = after_read
        self._closed_meanwhile, self._may_edit_some = closed_meanwhile, may_edit_some

    def load(self, key):
        """The record behind `key`, or 404 — also when the user may not read it, so that its
        existence is not given away."""
        record = self._find(key)
        if record is None or not self._can_read(current_user, record):
            abort(404)
        if self._after_read is not None:
            self._after_read(record)
        return record

    def load_for_change(self, key):
        """The record behind `key` for a page that changes it: 404 as `load`, 403 when the user
        may read but not change it (or a conflict when it was closed meanwhile)."""
        record = self.load(key)
        if not self._can_edit(current_user, record):
            if (self._closed_meanwhile is not None and request.method == "POST"
                    and self._may_edit_some is not None and self._may_edit_some(current_user)):
                raise ConcurrentChangeError(self._closed_meanwhile)
            abort(403)
        return record

    def add_step_route(self, bp: Blueprint, rule: str, endpoint: str, *, permissions: tuple,
                       then: Callable[[Any], Any], for_change: bool = False, **step) -> None:
        """The route (POST `rule`) that takes the process step a record's page posted and returns
        to the page (`then(record)`); the record is loaded to read (the process's guards decide)
        or, `for_change`, to change. `step`: `move`, `actions`, `done` of `take_posted_step`."""

        @permission_required(*permissions)
        def take_step(**ids):
            (key,) = ids.values()
            record = self.load_for_change(key) if for_change else self.load(key)
            take_posted_step(record, **step)
            return then(record)

        bp.add_url_rule(rule, endpoint, take_step, methods=["POST"])


class FrontDoor(RecordLoader):
    """A domain's blueprint and the loaders of its main record (`RecordLoader`); a domain with
    further records of its own gives each a `RecordLoader` beside it."""

    def __init__(self, name: str, import_name: str, *, url_prefix: str, template_folder: str = "../templates",
                 **loader):
        super().__init__(**loader)
        self.blueprint = Blueprint(name, import_name, url_prefix=url_prefix, template_folder=template_folder)


def part_of(model, record, part_id: int, *, parent: str):
    """A part of a record (a programme item, a gift …) by its id, or 404 when it is of another."""
    part = db.session.get(model, part_id)
    if part is None or getattr(part, parent) != record.id:
        abort(404)
    return part


def saved(form, save: Callable[[], Any], *, message, then: Callable[[Any], Any],
          refused: Callable[[DomainError], None] | None = None):
    """A posted, valid `form` → `save()` → the success `message` (text, or a function of what
    `save` returned) → the response `then(result)`. A refusal of the service lands on the form's
    field (or its top) and is handed to `refused` (a programme item's overlaps, shown with the
    form); None then, and the caller shows the form again:

        return saved(form, lambda: services.create(...), message=..., then=_detail) or render_template(...)
    """
    if not form.validate_on_submit():
        return None
    try:
        result = save()
    except DomainError as exc:
        apply_domain_error(form, exc)
        if refused is not None:
            refused(exc)
        return None
    flash(str(message(result) if callable(message) else message), "success")
    return then(result)


def acted(act: Callable[[], Any], *, message, then: Callable[[], Any]):
    """A confirmed button (a POST with its CSRF token, else 400) → `act()` → the success
    `message` (text, or a function of what `act` returned; none when None) or the refusal with
    its reason → the response `then()`."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _run_and_say(act, message)
    return then()


def posted(form, act: Callable[[], Any], *, message, then: Callable[[], Any]):
    """A form posted from a record's page (no page of its own): invalid input or the service's
    refusal is flashed with what to fix, else `act()` and the success `message` (text, or a
    function of what `act` returned) — then back to `then()` either way."""
    if form.validate_on_submit():
        _run_and_say(act, message)
    else:
        flash_form_errors(form)
    return then()


def _run_and_say(act: Callable[[], Any], message) -> None:
    """Run the service; flash its refusal with the reason, or the success message if there is one."""
    try:
        result = act()
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return
    text = message(result) if callable(message) else message
    if text:
        flash(str(text), "success")


def uploaded(form, take: Callable[[str, bytes], Any], *, message, then: Callable[[], Any]):
    """A posted file → `take(filename, data)`, an import whose result tells `ok` → on success its
    `message` (a function of the result) and the response `then()`. Returns (response or None,
    the result or None): without a response the caller shows the page again, with the result's
    row errors, or the refusal on the form's field."""
    if not form.validate_on_submit():
        return None, None
    upload = form.file.data
    try:
        result = take(upload.filename or "", upload.read())
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None, None
    if not result.ok:
        return None, result
    flash(str(message(result)), "success")
    return then(), result
