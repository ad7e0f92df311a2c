"""The page of one programme item of an event or a visit: the same form, the same overlap
warning and the same refusal of a stale form for both."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from ..core.forms import edit_form
from ..core.front_door import saved


def programme_item_page(owner, item, form_class, *, save: Callable, then: Callable, template: str, **context):
    """New (`item` None) or existing item of `owner`: `save(owner, item, actor=, values=, host_ids=,
    conflict_reason=, expected_version=)` is the domain's service; an overlap it reports comes back
    on the page (`conflicts`) with the form as typed, a saved item goes to `then(item)`."""
    form = edit_form(form_class, item)
    conflicts = []
    return saved(form, lambda: save(owner, item, actor=current_user, values=form.service_values(),
                                    host_ids=form.host_ids.data, conflict_reason=form.conflict_reason.data,
                                    expected_version=form.expected_version()),
                 message=_("The programme item has been saved."), then=then,
                 refused=lambda exc: conflicts.extend(getattr(exc, "conflicts", ()))
                 ) or render_template(template, form=form, item=item, conflicts=conflicts, **context)
