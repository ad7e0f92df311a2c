"""The app's static files (its CSS and JavaScript, Bootstrap's) addressed with a version: a
browser keeps them for a year and asks again only after a release or a changed file, instead of
asking on every page (each asking a request through the app, with the session looked up)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, request

from ..version import __version__
from .permissions import STATIC_ENDPOINTS, is_static_request

#: A year: the address changes with the files, so the browser need not ask before then.
CACHED_FOR = "public, max-age=31536000, immutable"


def asset_version(folders) -> str:
    """A short fingerprint of the release and of every static file's name, size and time."""
    digest = hashlib.sha256(__version__.encode())
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Every `url_for` of a static file carries the version; a request for that version is
    answered as cacheable for a year (other static requests as Flask answers them)."""
    folders = [app.static_folder] + [bp.static_folder for bp in app.blueprints.values() if bp.static_folder]
    version = asset_version(folder for folder in folders if folder and os.path.isdir(folder))

    @app.url_defaults
    def _versioned(endpoint, values):
        if endpoint in STATIC_ENDPOINTS:
            values.setdefault("v", version)

    @app.after_request
    def _cached(response):
        if is_static_request() and request.args.get("v") == version and response.status_code == 200:
            response.headers["Cache-Control"] = CACHED_FOR
        return response
