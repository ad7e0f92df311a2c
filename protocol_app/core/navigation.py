"""The main navigation: each domain registers its entries with the permission
that shows them, so the menu never offers what the server would refuse."""

from __future__ import annotations

from dataclasses import dataclass

from .permissions import Permission, user_has


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    permissions: tuple[Permission, ...]
    order: int = 100

    @property
    def is_administration(self) -> bool:
        """Administration pages sit in one menu of their own, so the bar fits a 1366 px screen."""
        return self.endpoint.startswith("admin.")


_ITEMS: list[NavItem] = []


def register_nav(endpoint: str, label, *permissions: Permission, order: int = 100) -> None:
    """Add an entry to the main navigation (idempotent)."""
    item = NavItem(endpoint, label, tuple(permissions), order)
    if all(existing.endpoint != endpoint for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def nav_for(user) -> list[NavItem]:
    """Return the entries `user` may open."""
    return [i for i in _ITEMS if any(user_has(user, p) for p in i.permissions)]
