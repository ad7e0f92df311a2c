"""The main navigation: each domain registers its entries with the permission
that shows them, so the menu never offers what the server would refuse."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .permissions import Permission, user_has

#: Menus of the bar that gather several entries, so that it fits one line of a 1366 px screen.
MENUS = {"registers": _l("Registers"), "admin": _l("Administration")}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    permissions: tuple[Permission, ...]
    order: int = 100
    #: The key in MENUS of the menu the entry sits in; None: on the bar itself.
    menu: str | None = None


_ITEMS: list[NavItem] = []


def register_nav(endpoint: str, label, *permissions: Permission, order: int = 100, menu: str | None = None) -> None:
    """Add an entry to the main navigation (idempotent); administration pages go to its menu."""
    menu = menu or ("admin" if endpoint.startswith("admin.") else None)
    if menu is not None and menu not in MENUS:
        raise ValueError(f"unknown menu {menu!r}")
    item = NavItem(endpoint, label, tuple(permissions), order, menu)
    if all(existing.endpoint != endpoint for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def nav_for(user) -> list[NavItem]:
    """Return the entries `user` may open."""
    return [i for i in _ITEMS if any(user_has(user, p) for p in i.permissions)]


def menus_for(items: list[NavItem]) -> list[tuple[object, list[NavItem]]]:
    """The menus that hold entries of `items`, in MENUS order: (label, entries)."""
    return [(label, entries) for key, label in MENUS.items()
            if (entries := [i for i in items if i.menu == key])]
