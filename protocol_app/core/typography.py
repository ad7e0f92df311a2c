"""Line breaks for long tokens that are not words: an e-mail address on a phone breaks after
its "@" and before the dots of its domain (<wbr>), never inside a name part."""

from __future__ import annotations

from markupsafe import Markup, escape


def breakable_address(value: str | None) -> Markup:
    """The address, escaped, with break opportunities after "@" and before each dot after it."""
    if not value:
        return Markup("")
    local, at, domain = str(value).partition("@")
    if not at:
        return escape(value)
    return escape(local) + Markup("@<wbr>") + Markup("<wbr>.").join(escape(part) for part in domain.split("."))


def init_app(app) -> None:
    app.jinja_env.filters["breakable_address"] = breakable_address
