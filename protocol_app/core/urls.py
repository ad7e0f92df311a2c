"""URL helpers."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a path inside this app, else None (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
