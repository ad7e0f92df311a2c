"""An upload kept between its preview and the confirmation (a register import that asks about
rows already there): in the private upload folder, named by a random token, for a few hours."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

from .private_files import private_folder, write_private

#: A previewed upload waits this long for its confirmation.
STASH_HOURS = 12


def _stash_dir() -> Path:
    return private_folder(Path(current_app.config["UPLOAD_DIR"]) / "import-previews")


def stash_upload(data: bytes) -> str:
    """Keep a previewed upload until it is confirmed; return the token naming it."""
    cutoff = time.time() - STASH_HOURS * 3600
    for old in _stash_dir().glob("*.bin"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    write_private(_stash_dir() / f"{token}.bin", data)
    return token


def take_stash(token: str) -> bytes | None:
    """The upload behind `token` (None if unknown or expired); the stash is removed."""
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    path = _stash_dir() / f"{token}.bin"
    if not path.exists() or path.stat().st_mtime < time.time() - STASH_HOURS * 3600:
        return None
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return data
