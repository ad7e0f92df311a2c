"""Calendar pages and the personal iCalendar feed (checked with two parsers)."""

from __future__ import annotations

import re

import icalendar
import sqlalchemy as sa
import vobject

from protocol_app.extensions import db
from protocol_app.visits.models import VisitProgrammeItem
from tests.support import login, make_user, post
from tests.visit_support import make_visit, reference_data


def _setup(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    ref = make_visit(app, uid)
    secret = make_visit(app, uid, title="Geheimer Besuch", is_confidential=True)
    post(client, f"/visits/{ref}/programme/new",
         {"title": "Mittagessen", "starts_at": "2027-03-11T12:30", "ends_at": "2027-03-11T14:00",
          "venue_id": "0", "location": "Rotes Rathaus", "dress_code": "none", "press": "none"})
    return uid, client, ref, secret


def _feed_url(client) -> str:
    page = post(client, "/calendar/feed", {"action": "issue"}).get_data(as_text=True)
    url = re.search(r'data-testid="feed-url">([^<]+)<', page).group(1)
    return url.split("localhost", 1)[-1]


def test_month_week_and_agenda_show_visits_and_items(app):
    _, client, _, _ = _setup(app)
    month = client.get("/calendar/?view=month&date=2027-03-01").get_data(as_text=True)
    assert "März 2027" in month and "Besuch der Bürgermeisterin von Paris" in month
    day = month.split('data-date="2027-03-11"')[1].split('data-date="2027-03-12"')[0]
    assert "12:30 Mittagessen" in day  # entered and shown in Berlin time
    week = client.get("/calendar/?view=week&date=2027-03-10").get_data(as_text=True)
    assert "Mittagessen" in week
    agenda = client.get("/calendar/?view=agenda&date=2027-03-09").get_data(as_text=True)
    assert "12:30–14:00" in agenda
    assert client.get("/calendar/?view=bogus&date=kaputt").status_code == 200


def test_viewer_calendar_hides_confidential_visits(app):
    _setup(app)
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    month = viewer.get("/calendar/?view=month&date=2027-03-01").get_data(as_text=True)
    assert "Besuch der Bürgermeisterin von Paris" in month and "Geheimer Besuch" not in month


def test_feed_parses_in_two_parsers_with_berlin_timezone(app):
    _, client, _, _ = _setup(app)
    url = _feed_url(client)
    anonymous = app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    cal = icalendar.Calendar.from_ical(body)
    timezones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(t["TZID"]) for t in timezones] == ["Europe/Berlin"]
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    lunch = events["Mittagessen · Besuch der Bürgermeisterin von Paris"]
    assert lunch["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert lunch.decoded("DTSTART").hour == 12
    assert "Geheimer Besuch (V-2027-0002)" in events  # officers see confidential visits
    parsed = vobject.readOne(body)
    summaries = {e.summary.value for e in parsed.vevent_list}
    assert summaries == set(events)


def test_uid_is_stable_and_sequence_rises_when_an_item_changes(app):
    _, client, ref, _ = _setup(app)
    url = _feed_url(client)

    def lunch():
        cal = icalendar.Calendar.from_ical(app.test_client().get(url).data)
        return next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Mittagessen"))

    before = lunch()
    with app.app_context():
        item = db.session.scalar(sa.select(VisitProgrammeItem))
        item_id, version = item.id, item.version
    post(client, f"/visits/{ref}/programme/{item_id}",
         {"title": "Mittagessen", "starts_at": "2027-03-11T13:00", "ends_at": "2027-03-11T14:30",
          "venue_id": "0", "dress_code": "none", "press": "none", "version": str(version)})
    after = lunch()
    assert str(after["UID"]) == str(before["UID"]) == f"visit-item-{item_id}@protokoll"
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").hour == 13


def test_feed_tokens_can_be_revoked_and_wrong_tokens_see_nothing(app):
    _, client, _, _ = _setup(app)
    first = _feed_url(client)
    second = _feed_url(client)  # a new address revokes the old one
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    post(client, "/calendar/feed", {"action": "revoke"})
    assert app.test_client().get(second).status_code == 404
    assert app.test_client().get("/calendar/feed/geraten.ics").status_code == 404


def test_viewer_feed_leaves_out_confidential_visits(app):
    _setup(app)
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    body = app.test_client().get(_feed_url(viewer)).get_data(as_text=True)
    assert "Paris" in body and "Geheimer Besuch" not in body
