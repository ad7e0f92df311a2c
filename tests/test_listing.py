"""Lists count their entries only so far past the page shown (core.listing.COUNT_AHEAD)."""

from __future__ import annotations

import re

from protocol_app.core import listing
from protocol_app.core.notifications.models import Notification
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from tests.support import login, make_user


def _officer_with_notifications(app, monkeypatch, count: int):
    """A signed-in officer with `count` notifications, all created in one moment; lists count 30
    entries past their page."""
    monkeypatch.setattr(listing, "COUNT_AHEAD", 30)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    moment = now_utc()
    with app.app_context():
        db.session.add_all(Notification(user_id=uid, message=f"Nachricht {n:02d}", created_at=moment)
                           for n in range(count))
        db.session.commit()
    client = app.test_client()
    login(client, "referent@example.org")
    return client


def _next_enabled(html: str) -> bool:
    item = re.search(r'<li class="page-item( disabled)?">\s*<a class="page-link" href="[^"]*">(Weiter|Nächste)', html)
    return item.group(1) is None


def _pages(client, page: int) -> tuple[str, list[str]]:
    html = client.get(f"/notifications?page={page}").get_data(as_text=True)
    return html, re.findall(r"Nachricht (\d+)<", html)


def test_a_long_list_says_more_than_and_still_pages_to_its_end(app, monkeypatch):
    """Also: entries created in one moment each show on exactly one page."""
    client = _officer_with_notifications(app, monkeypatch, 70)

    first, shown = _pages(client, 1)
    assert len(shown) == 25
    assert "Seite 1 von mehr als 3" in first and "Mehr als 55 Einträge" in first and _next_enabled(first)
    second, shown_second = _pages(client, 2)
    assert len(shown_second) == 25 and not set(shown) & set(shown_second)
    # Counting from page 2 reaches the end: the last page is known, with the exact number.
    assert "Seite 2 von 3" in second and "70 Einträge" in second
    last, shown_last = _pages(client, 3)
    assert len(shown_last) == 20 and "Seite 3 von 3" in last and not _next_enabled(last)
    assert sorted(shown + shown_second + shown_last) == [f"{n:02d}" for n in range(70)]


def test_a_page_past_the_end_shows_the_last_page(app, monkeypatch):
    client = _officer_with_notifications(app, monkeypatch, 40)
    html, shown = _pages(client, 99)
    assert "Seite 2 von 2" in html and len(shown) == 15


def test_a_notification_search_without_a_hit_says_so(app):
    uid = make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    with app.app_context():
        db.session.add(Notification(user_id=uid, message="Besuch V-2027-0001 beginnt bald", created_at=now_utc()))
        db.session.commit()
    client = app.test_client()
    login(client, "referent@example.org")
    page = client.get("/notifications?q=Goldenes").get_data(as_text=True)
    assert "Keine Benachrichtigung passt zu „Goldenes“" in page and "keine Benachrichtigungen" not in page
    assert 'href="/notifications"' in page
    assert "Besuch V-2027-0001" in client.get("/notifications?q=besuch").get_data(as_text=True)


def test_a_list_filter_by_a_known_value_narrows_and_a_hand_edited_one_is_ignored(app):
    """?role= (like ?state=, ?kind=, ?status= on the other lists) filters by one of its values; a
    value nobody offers, from an old bookmark or a typo, shows the whole list instead of failing."""
    make_user(app, "admin@example.org", roles=["admin"], name="Anna Admin")
    make_user(app, "dolmetscher@example.org", roles=["translator"], name="Dora Dolmetscherin")
    client = app.test_client()
    login(client, "admin@example.org")

    def names(query):
        response = client.get(f"/admin/users{query}")
        assert response.status_code == 200
        return set(re.findall(r"(Anna Admin|Dora Dolmetscherin)</a>", response.get_data(as_text=True)))

    assert names("?role=translator") == {"Dora Dolmetscherin"}
    assert names("?role=kaiser") == names("") == {"Anna Admin", "Dora Dolmetscherin"}
