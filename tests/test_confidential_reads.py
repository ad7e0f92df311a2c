"""Every page that shows a confidential record logs the read (issue 30, item 7): the start page,
the calendar (month, week, agenda, day) and its iCal feed, the gifts register, the Golden Book
(list, entry, print, exports), and of the emigrant programme the programme-item page and the
team's calendar — by reference, never by content."""

from __future__ import annotations

import sqlalchemy as sa

from protocol_app.core.audit import AuditEvent
from protocol_app.extensions import db
from protocol_app.goldenbook.models import BookEntry
from protocol_app.visits.models import Visit
from tests.support import post
from tests.test_emigrant_programme import _invited, team  # noqa: F401 (fixture)
from tests.test_golden_book import _flagged_visit


def _reads_since(app, last_id: int) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > last_id)).all()


def _last_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def _assert_logged(app, client, url: str, shown: str, object_id=None) -> None:
    before = _last_id()
    response = client.get(url)
    assert response.status_code == 200, url
    entries = _reads_since(app, before)
    assert any((e.object_id == str(object_id) and e.action.endswith(".read")) if object_id is not None else False
               or (e.summary and shown in e.summary and e.action.endswith(("_read", ".print", ".export")))
               for e in entries), f"{url} showed {shown} without logging it: {[(e.action, e.summary) for e in entries]}"


def test_every_page_that_shows_a_confidential_visit_logs_the_read(app):
    clients, ref, item, _ = _flagged_visit(app, is_confidential=True, title="Vertraulicher Besuch")
    officer = clients["referent"]
    assert post(officer, f"/visits/{ref}/programme/new", item).status_code == 302
    visit = db.session.scalar(sa.select(Visit))
    assert post(officer, f"/visits/{ref}/gifts/new", {"direction": "received", "description": "Vase", "giver": "Gast",
                                                      "recipient": "RBm", "estimated_value": "50"}).status_code == 302
    entry_id = db.session.scalar(sa.select(BookEntry.id))
    token_page = post(officer, "/calendar/feed", {"action": "issue"}).get_data(as_text=True)
    feed = token_page.split("/calendar/feed/")[1].split(".ics")[0]
    assert visit.is_confidential
    for url in ("/", "/calendar/?view=month&date=2027-03-10", "/calendar/?view=week&date=2027-03-10",
                "/calendar/?view=agenda&date=2027-03-10", "/calendar/day/2027-03-11", f"/calendar/feed/{feed}.ics"):
        _assert_logged(app, officer, url, ref)
    assert "Vase" in officer.get("/visits/gifts?year=2027").get_data(as_text=True)
    _assert_logged(app, officer, "/visits/gifts?year=2027", ref)
    for url in ("/golden-book/?year=2027", "/golden-book/print?year=2027", "/golden-book/export.csv?year=2027",
                "/golden-book/export.xlsx?year=2027"):
        _assert_logged(app, officer, url, f"#{entry_id}")
    _assert_logged(app, officer, f"/golden-book/{entry_id}", "", object_id=entry_id)


def test_the_emigrant_programme_item_page_and_the_teams_calendar_log_the_read(app, team):  # noqa: F811
    from protocol_app.emigrants.models import Application, StayProgrammeItem

    reference = _invited(app)
    added = post(team, f"/emigrants/{reference}/programme", {"kind": "reception", "starts_at": "2027-02-16T11:00",
                                                             "ends_at": "2027-02-16T12:30", "location": "Rotes Rathaus"})
    assert added.status_code == 302
    application_id = db.session.scalar(sa.select(Application.id))
    item_id = db.session.scalar(sa.select(StayProgrammeItem.id))
    _assert_logged(app, team, f"/emigrants/{reference}/programme/{item_id}", "", object_id=application_id)
    for url in ("/calendar/?view=month&date=2027-02-15", "/calendar/?view=week&date=2027-02-15",
                "/calendar/day/2027-02-16"):
        _assert_logged(app, team, url, reference)
