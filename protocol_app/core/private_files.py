"""Files only the app's own user may read: uploads, stashed imports, backups (Art. 9 data among
them). Modes are set explicitly, whatever the process's umask: folders 0700, files 0600."""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE, FILE_MODE = 0o700, 0o600


def private_folder(path: str | Path) -> Path:
    """Make `path` (and missing parents) a folder of the app's user alone; return it."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def open_private(path: str | Path):
    """A new file for writing (binary), readable by the app's user alone from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # O_CREAT's mode is masked by the umask; an existing file kept its old one
    return os.fdopen(fd, "wb")


def write_private(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600."""
    with open_private(path) as out:
        out.write(data)
