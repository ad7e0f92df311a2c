"""The results page of the global search."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..permissions import login_required_only
from . import parse, search

bp = Blueprint("search", __name__, url_prefix="/search", template_folder="templates")


@bp.route("/")
@login_required_only
def results():
    """Hits of every kind the user may see, grouped by kind; each domain filtered them."""
    raw = request.args.get("q", "")
    groups = search(current_user, raw)
    return render_template("search/results.html", query=raw.strip(), searched=parse(raw) is not None,
                           groups=groups)
