"""Calendar pages and the personal iCalendar feed (checked with two parsers)."""

from __future__ import annotations

import re

import icalendar
import sqlalchemy as sa
import vobject

from protocol_app.extensions import db
from protocol_app.visits.models import VisitProgrammeItem
from tests.documents import read_with_ical_js
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
    # A time grid: 12:30–14:00 starts in the 23rd quarter hour after 07:00 and takes six.
    day = week.split('data-date="2027-03-11"')[1].split("</section>")[0]
    assert re.search(r'class="week-entry [^"]*row-23 span-6"[^>]*><span class="week-time">12:30–14:00</span> '
                     r'Mittagessen', day)
    agenda = client.get("/calendar/?view=agenda&date=2027-03-09").get_data(as_text=True)
    assert "12:30–14:00" in agenda
    assert client.get("/calendar/?view=bogus&date=kaputt").status_code == 200


def test_the_week_grid_places_early_late_and_short_entries_within_the_day():
    from datetime import UTC, date, datetime

    from protocol_app.calendar.services import GRID_SLOTS, grid_rows
    from protocol_app.calendar.sources import CalendarEntry

    def rows(start, end, day=date(2027, 3, 11)):
        return grid_rows(CalendarEntry("x", "x", start, end, 1), day)

    # 12:05–12:20 in Berlin (CET): the row of 12:00, one quarter hour.
    assert rows(datetime(2027, 3, 11, 11, 5, tzinfo=UTC), datetime(2027, 3, 11, 11, 20, tzinfo=UTC)) == (21, 1)
    assert rows(datetime(2027, 3, 11, 4, 0, tzinfo=UTC), datetime(2027, 3, 11, 7, 0, tzinfo=UTC)) == (1, 4)  # 05–08
    assert rows(datetime(2027, 3, 11, 20, 0, tzinfo=UTC), datetime(2027, 3, 12, 2, 0, tzinfo=UTC)) == (57, 4)
    # A stay over several days fills the grid of a day in between.
    assert rows(datetime(2027, 3, 10, 9, 0, tzinfo=UTC), datetime(2027, 3, 13, 9, 0, tzinfo=UTC)) == (1, GRID_SLOTS)


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
    host = app.config["BASE_URL"].split("//")[1].split(":")[0]  # the installation's host, unique across them
    assert str(after["UID"]) == str(before["UID"]) == f"visit-item-{item_id}@{host}"
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


def test_summer_and_winter_times_are_the_same_instant_in_icalendar_vobject_and_ical_js(app):
    from datetime import UTC, datetime

    uid, client, _, _ = _setup(app)  # lunch on 11 March 2027, 12:30 in Berlin (CET): 11:30 UTC
    summer = make_visit(app, uid, title="Sommerbesuch", arrival_at=datetime(2027, 7, 7, 8, 0, tzinfo=UTC),
                        departure_at=datetime(2027, 7, 9, 16, 0, tzinfo=UTC))
    post(client, f"/visits/{summer}/programme/new",
         {"title": "Empfang", "starts_at": "2027-07-08T10:00", "ends_at": "2027-07-08T11:00",
          "venue_id": "0", "dress_code": "none", "press": "none"})  # 10:00 CEST: 08:00 UTC
    body = app.test_client().get(_feed_url(client)).data
    expected = {"Mittagessen · Besuch der Bürgermeisterin von Paris": "2027-03-11T11:30:00+00:00",
                "Empfang · Sommerbesuch": "2027-07-08T08:00:00+00:00"}
    cal = icalendar.Calendar.from_ical(body)
    assert "RRULE" in body.decode() and "RDATE" not in body.decode()  # the yearly rules, not a date list
    assert str(cal["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H" and str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    by_icalendar = {str(e["SUMMARY"]): e.decoded("DTSTART").astimezone(UTC).isoformat()
                    for e in cal.walk("VEVENT") if str(e["SUMMARY"]) in expected}
    by_vobject = {e.summary.value: e.dtstart.value.astimezone(UTC).isoformat()
                  for e in vobject.readOne(body.decode()).vevent_list if e.summary.value in expected}
    by_ical_js = {e["summary"]: datetime.fromisoformat(e["start"].replace("Z", "+00:00")).isoformat()
                  for e in read_with_ical_js(body) if e["summary"] in expected}
    for parser, seen in (("icalendar", by_icalendar), ("vobject", by_vobject), ("ical.js", by_ical_js)):
        for summary, instant in expected.items():
            assert seen[summary] == instant, (parser, summary, seen[summary])


def test_a_busy_day_shows_its_first_three_and_the_rest_on_demand(app):
    _, client, ref, _ = _setup(app)  # visit 10–12 March 2027 with lunch on the 11th, 12:30
    for hour in (9, 10, 11, 15, 16):
        post(client, f"/visits/{ref}/programme/new",
             {"title": f"Termin um {hour} Uhr", "starts_at": f"2027-03-11T{hour:02d}:00",
              "ends_at": f"2027-03-11T{hour:02d}:45", "venue_id": "0", "location": "Rotes Rathaus",
              "dress_code": "none", "press": "none", "conflict_reason": "Test"})
    month = client.get("/calendar/?view=month&date=2027-03-01").get_data(as_text=True)
    day = month.split('data-date="2027-03-11"')[1].split('data-date="2027-03-12"')[0]
    # The two visits' spans (the confidential one too, for an officer) and the first item (09:00):
    # 2 spans + 6 items = 8 entries, 5 more.
    assert day.count('class="calendar-entry') == 3
    assert "Termin um 9 Uhr" in day and "Termin um 10 Uhr" not in day
    assert "+ 5 weitere" in day and 'href="/calendar/day/2027-03-11"' in day
    assert "+ " not in month.split('data-date="2027-03-12"')[1].split('data-date="2027-03-13"')[0]
    # The script asks for the list alone; without script the link is the day's page.
    fragment = client.get("/calendar/day/2027-03-11", headers={"X-Requested-With": "fetch"}).get_data(as_text=True)
    assert fragment.count('class="calendar-entry') == 8 and "<html" not in fragment
    page = client.get("/calendar/day/2027-03-11").get_data(as_text=True)
    assert "Donnerstag, 11. März 2027" in page and "Termin um 16 Uhr" in page and "Mittagessen" in page
    assert client.get("/calendar/day/2027-13-45").status_code == 404


def test_a_visit_that_arrives_and_departs_at_one_moment_is_on_its_day(app):
    """A stay of no length is an empty range to PostgreSQL: the calendar still finds it."""
    from datetime import UTC, datetime

    _, client, _, _ = _setup(app)
    uid = make_user(app, "kurz@example.org", roles=["officer"])
    moment = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)
    make_visit(app, uid, title="Kurzer Höflichkeitsbesuch", arrival_at=moment, departure_at=moment)
    page = client.get("/calendar/?view=month&date=2027-03-01").get_data(as_text=True)
    # The grid (the desk's) and the list of days (the phone's) show the same month.
    month, phone_list = page.split('data-testid="month-list"')
    day = month.split('data-date="2027-03-20"')[1].split('data-date="2027-03-21"')[0]
    assert "Kurzer Höflichkeitsbesuch" in day
    assert "Kurzer Höflichkeitsbesuch" not in month.split('data-date="2027-03-21"')[1]
    assert phone_list.count("Kurzer Höflichkeitsbesuch") == 1 and "20.03.2027" in phone_list
