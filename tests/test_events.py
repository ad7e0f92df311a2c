"""Events (first part of issue 7): record, validation, process, recurring occasions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
import time_machine

from protocol_app.events.models import Event
from protocol_app.extensions import db
from tests.event_support import (
    answer_invitation,
    db_state,
    event_form,
    guest_status,
    invited_guests,
    officer_client,
    seat_of,
)
from tests.support import login, make_user, post


def test_officer_records_an_event(app):
    _, client = officer_client(app)
    response = post(client, "/events/new", event_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/events/E-2027-0001")
    page = client.get("/events/E-2027-0001").get_data(as_text=True)
    assert "Empfang für das Diplomatische Korps" in page and "Mittwoch, 20. Januar 2027, 18:00 Uhr" in page


def test_bad_event_input_is_refused_with_german_messages(app):
    _, client = officer_client(app)
    for data, message in (
        (event_form(capacity="0"), "Die Kapazität muss mindestens 1 sein"),
        (event_form(ends_at="2027-01-20T17:00"), "Das Ende muss nach dem Beginn liegen."),
        (event_form(title="<b>Fest</b>"), "Bitte geben Sie reinen Text ohne HTML-Tags ein."),
    ):
        assert message in post(client, "/events/new", data).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_event_process_and_permissions(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form())

    def step(c, action, comment=""):
        with app.app_context():
            version = db.session.scalar(sa.select(Event.version))
        return post(c, "/events/E-2027-0001/transition", {"action": action, "comment": comment,
                                                          "version": str(version)}, follow_redirects=True).get_data(as_text=True)

    assert "Neuer Status: Einladungen versandt" in step(client, "send_invitations")
    assert "erst nach ihrem Beginn" in step(client, "mark_held")
    with time_machine.travel(datetime(2027, 1, 20, 19, 0, tzinfo=UTC), tick=False):
        login(client, "referent@example.org")  # two months later the old session has expired
        assert "Neuer Status: Durchgeführt" in step(client, "mark_held")
        assert client.get("/events/E-2027-0001/edit").status_code == 403  # held: no more edits
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    assert viewer.get("/events/E-2027-0001").status_code == 200
    assert viewer.get("/events/new").status_code == 403
    make_user(app, "t@example.org", roles=["translator"])
    translator = app.test_client()
    login(translator, "t@example.org")
    assert translator.get("/events/").status_code == 403
    assert viewer.get("/events/E-2026-0001").status_code == 404


def test_a_wreath_laying_without_invitations_is_held_and_closed(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form(title="Kranzniederlegung am Mahnmal", kind="wreath_laying"))

    def step(action):
        with app.app_context():
            version = db.session.scalar(sa.select(Event.version))
        return post(client, "/events/E-2027-0001/transition", {"action": action, "version": str(version)},
                    follow_redirects=True).get_data(as_text=True)

    assert "erst nach ihrem Beginn" in step("mark_held")
    with time_machine.travel(datetime(2027, 1, 20, 19, 0, tzinfo=UTC), tick=False):
        login(client, "referent@example.org")
        page = client.get("/events/E-2027-0001").get_data(as_text=True)
        assert 'value="mark_held"' in page  # offered without a guest list
        assert "Neuer Status: Durchgeführt" in step("mark_held")
        assert "Neuer Status: Abgeschlossen" in step("close")
    assert db_state(app) == "closed"


def test_next_years_event_is_created_from_its_occasion_once(app):
    _, client = officer_client(app)
    page = client.get("/events/occasions?year=2027").get_data(as_text=True)
    assert page.index("27.01.2027") < page.index("01.10.2027")
    assert "Flaggentag der Mayors for Peace" in page
    with app.app_context():
        from protocol_app.events.models import OccasionTemplate

        flag_day = db.session.scalar(sa.select(OccasionTemplate).where(OccasionTemplate.month == 7))
        occasion_id = flag_day.id
    response = post(client, f"/events/occasions/{occasion_id}/create", {"year": "2027"})
    assert response.status_code == 302
    event_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Flaggentag der Mayors for Peace 2027" in event_page and "Donnerstag, 8. Juli 2027, 10:00 Uhr" in event_page
    again = post(client, f"/events/occasions/{occasion_id}/create", {"year": "2027"}, follow_redirects=True).get_data(as_text=True)
    assert "existiert für 2027 bereits" in again
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 1


def test_event_programme_warns_about_a_room_a_visit_uses_at_the_same_time(app):
    uid, client = officer_client(app)
    from tests.visit_support import make_visit

    with app.app_context():
        from protocol_app.directory.models import Venue

        hall = db.session.scalar(sa.select(Venue.id).where(Venue.name == "Wappensaal"))
    ref = make_visit(app, uid, arrival_at=datetime(2027, 1, 20, 8, 0, tzinfo=UTC),
                     departure_at=datetime(2027, 1, 20, 20, 0, tzinfo=UTC))
    post(client, f"/visits/{ref}/programme/new",
         {"title": "Abendessen", "starts_at": "2027-01-20T19:00", "ends_at": "2027-01-20T20:30",
          "venue_id": str(hall), "dress_code": "none", "press": "none"})
    post(client, "/events/new", event_form())
    url = "/events/E-2027-0001/programme/new"
    item = {"title": "Begrüßung", "starts_at": "2027-01-20T18:30", "ends_at": "2027-01-20T19:30",
            "venue_id": str(hall), "dress_code": "business", "press": "open"}
    page = post(client, url, item).get_data(as_text=True)
    assert "Mögliche Doppelbelegung" in page and f"/visits/{ref}#item-" in page
    page = post(client, url, dict(item, starts_at="2027-01-21T18:30", ends_at="2027-01-21T19:00")).get_data(as_text=True)
    assert "muss zwischen dem 20.01.2027 und dem 20.01.2027 liegen" in page
    assert post(client, url, dict(item, conflict_reason="Saal geteilt")).status_code == 302
    assert "Begrüßung" in client.get("/events/E-2027-0001").get_data(as_text=True)


def test_the_event_itself_is_checked_for_double_booking_of_its_venue(app):
    uid, client = officer_client(app)
    from tests.visit_support import make_visit

    with app.app_context():
        from protocol_app.directory.models import Venue

        hall = db.session.scalar(sa.select(Venue.id).where(Venue.name == "Wappensaal"))
    ref = make_visit(app, uid, arrival_at=datetime(2027, 1, 20, 8, 0, tzinfo=UTC),
                     departure_at=datetime(2027, 1, 20, 22, 0, tzinfo=UTC))
    post(client, f"/visits/{ref}/programme/new",
         {"title": "Abendessen", "starts_at": "2027-01-20T19:00", "ends_at": "2027-01-20T20:30",
          "venue_id": str(hall), "dress_code": "none", "press": "none"})
    # A wreath-laying has no programme items: the event itself takes the room from 18:00 to 21:00.
    page = post(client, "/events/new", event_form(venue_id=str(hall))).get_data(as_text=True)
    assert "Mögliche Doppelbelegung" in page and f"/visits/{ref}#item-" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0  # nothing stored without a reason
    done = post(client, "/events/new", event_form(venue_id=str(hall), conflict_reason="Saal geteilt"),
                follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="venue-overlap"' in done and "Saal geteilt" in done
    # And a visit's item in that room during the event now meets the event, not only its items.
    page = post(client, f"/visits/{ref}/programme/new",
                {"title": "Pressegespräch", "starts_at": "2027-01-20T20:45", "ends_at": "2027-01-20T21:30",
                 "venue_id": str(hall), "dress_code": "none", "press": "open"}).get_data(as_text=True)
    assert "Mögliche Doppelbelegung" in page and "/events/E-2027-0001" in page


def test_events_appear_in_the_calendar_and_the_feed_of_those_who_may_read_them(app):
    import icalendar

    uid, client = officer_client(app)
    post(client, "/events/new", event_form())
    month = client.get("/calendar/?view=month&date=2027-01-20").get_data(as_text=True)
    assert "Empfang für das Diplomatische Korps (E-2027-0001)" in month
    make_user(app, "dolmetscher@example.org", roles=["translator"])
    translator = app.test_client()
    login(translator, "dolmetscher@example.org")
    assert "E-2027-0001" not in translator.get("/calendar/?view=month&date=2027-01-20").get_data(as_text=True)
    with app.app_context():
        from protocol_app.auth.models import User
        from protocol_app.calendar.services import render_feed

        calendar = icalendar.Calendar.from_ical(render_feed(db.session.get(User, uid), base_url="http://localhost"))
    summaries = [str(c.get("summary")) for c in calendar.walk("VEVENT")]
    assert "Empfang für das Diplomatische Korps (E-2027-0001)" in summaries


def _contacts(app):
    from datetime import date

    from protocol_app.directory.models import Contact

    with app.app_context():
        db.session.add_all([
            Contact(name="Botschafter A", category="diplomatic_corps", rank=100, in_office_since=date(2024, 5, 1)),
            Contact(name="Botschafterin B", category="diplomatic_corps", rank=100, in_office_since=date(2019, 3, 1),
                    form_of_address="Exzellenz"),
            # The same person is both a senator and a holder of an honour.
            Contact(name="Senatorin C", category="senate", rank=20),
            Contact(name="Regierender Bürgermeister", category="senate", rank=1),
        ])
        db.session.commit()


def test_guest_list_from_two_categories_sorted_by_precedence_without_duplicates(app):
    _, client = officer_client(app)
    _contacts(app)
    post(client, "/events/new", event_form())
    detail = "/events/E-2027-0001"
    for category in ("diplomatic_corps", "senate"):
        page = post(client, f"{detail}/guests/category", {"category": category, "companions": "1"}, follow_redirects=True).get_data(as_text=True)
    again = post(client, f"{detail}/guests/category", {"category": "senate", "companions": "0"}, follow_redirects=True).get_data(as_text=True)
    assert "0 Gäste hinzugefügt; 2 standen schon auf der Liste." in again
    post(client, f"{detail}/guests/new", {"name": "Ad-hoc-Gast", "rank": "50", "companions": "0"})
    page = client.get(detail).get_data(as_text=True)
    listing = page.split('data-testid="guest-list"')[1]
    order = [listing.index(n) for n in ("Regierender Bürgermeister", "Senatorin C", "Ad-hoc-Gast",
                                        "Botschafterin B", "Botschafter A")]
    assert order == sorted(order)  # rank, then seniority: B presented credentials before A
    assert 'data-testid="guest-count">5<' in page


def test_guest_input_is_checked(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    detail = "/events/E-2027-0001"
    page = post(client, f"{detail}/guests/new", {"name": "X", "rank": "1", "companions": "9"},
                follow_redirects=True).get_data(as_text=True)
    assert "Bitte geben Sie eine Zahl von 0 bis 5 ein." in page
    page = post(client, f"{detail}/guests/category", {"category": "aliens", "companions": "0"},
                follow_redirects=True).get_data(as_text=True)
    assert "Keine gültige Auswahl" in page
    with app.app_context():
        from protocol_app.events.models import Guest

        assert db.session.scalar(sa.select(sa.func.count(Guest.id))) == 0





def test_guests_reply_without_an_account_and_the_waiting_list_moves_up(app):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        tokens = invited_guests(app, client)
        with app.app_context():
            from protocol_app.core.notifications.models import OutboxMail

            mails = db.session.scalars(sa.select(OutboxMail)).all()
            assert len(mails) == 3 and all("/events/reply/" in m.body_text for m in mails)
            assert all("Person" not in m.subject for m in mails)
        assert db_state(app) == "invitations_sent"
        page = app.test_client().get(f"/events/reply/{tokens['Erste Person']}").get_data(as_text=True)
        assert "Einladung für Erste Person" in page and "Zweite Person" not in page
        done = answer_invitation(app, tokens["Erste Person"], "accept", "Ehepartner").get_data(as_text=True)
        assert "freuen uns" in done
        assert guest_status(app, "Erste Person") == "accepted"  # 2 of 3 places
        answer_invitation(app, tokens["Zweite Person"], "accept")
        assert guest_status(app, "Zweite Person") == "accepted"  # 3 of 3
        waiting = answer_invitation(app, tokens["Dritte Person"], "accept").get_data(as_text=True)
        assert "Warteliste" in waiting and guest_status(app, "Dritte Person") == "waiting"
        answer_invitation(app, tokens["Zweite Person"], "decline")
        assert guest_status(app, "Zweite Person") == "declined"
        assert guest_status(app, "Dritte Person") == "accepted"  # moved up
        refused = answer_invitation(app, tokens["Zweite Person"], "accept", "Gast").get_data(as_text=True)
        assert "nur für eine Person" in refused



def test_wrong_expired_or_late_reply_links_are_refused_neutrally(app):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        tokens = invited_guests(app, client)
        wrong = app.test_client().get("/events/reply/geraten")
        assert wrong.status_code == 404 and "nicht (mehr) gültig" in wrong.get_data(as_text=True)
    with time_machine.travel(datetime(2027, 1, 12, 9, 0, tzinfo=UTC), tick=False):
        late = answer_invitation(app, tokens["Erste Person"], "accept").get_data(as_text=True)
        assert "Antwortfrist ist abgelaufen" in late
        assert guest_status(app, "Erste Person") == "invited"
    with time_machine.travel(datetime(2027, 1, 25, 9, 0, tzinfo=UTC), tick=False):
        assert app.test_client().get(f"/events/reply/{tokens['Erste Person']}").status_code == 404


def test_staff_record_a_reply_that_came_by_phone(app):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        invited_guests(app, client)
        from protocol_app.events.models import Guest

        with app.app_context():
            guest_id = db.session.scalar(sa.select(Guest.id).where(Guest.name == "Zweite Person"))
        detail = "/events/E-2027-0001"
        post(client, f"{detail}/guests/{guest_id}/reply", {"answer": "decline", "channel": "phone"})
        assert guest_status(app, "Zweite Person") == "declined"


def test_honour_order_alternates_right_and_left():
    from protocol_app.events.seating import honour_order

    assert honour_order(6) == [1, 6, 2, 5, 3, 4]
    assert honour_order(5) == [1, 5, 2, 4, 3]


def _seated_event(app, client):
    """Five accepted guests of different rank on an event with two tables of three."""
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc

    post(client, "/events/new", event_form())
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.scalar(sa.select(User))
        for name, rank in (("Rang 3", 3), ("Rang 1", 1), ("Rang 5", 5), ("Rang 2", 2), ("Rang 4", 4)):
            add_adhoc(event, actor=actor, name=name, rank=rank).status = "accepted"
        db.session.commit()
    detail = "/events/E-2027-0001/seating"
    post(client, detail, {"action": "tables", "count": "2", "seats": "3"})
    post(client, detail, {"action": "propose"})
    return detail



def test_seating_proposal_puts_the_highest_rank_to_the_hosts_right(app):
    _, client = officer_client(app)
    detail = _seated_event(app, client)
    assert seat_of(app, "Rang 1") == (1, 1)  # host's table, right of the host
    assert seat_of(app, "Rang 2") == (1, 3)  # left of the host
    assert seat_of(app, "Rang 3") == (1, 2)
    assert seat_of(app, "Rang 4") == (2, 1)
    page = client.get(detail).get_data(as_text=True)
    assert "Tisch des Gastgebers" in page
    # The drawing: the host at the head, Rang 1 on the right hand, Rang 2 on the left, named so.
    table = page.split('data-testid="table-1"')[1].split("</svg>")[0]
    assert '<svg class="table-drawing"' in table
    seats = re.findall(r'data-seat="(\d)" data-side="(\w+)">\s*<title>([^<]+)</title>', table)
    assert ("1", "right", "Platz 1 · rechts vom Kopf: Rang 1") in seats
    assert ("3", "left", "Platz 3 · links vom Kopf: Rang 2") in seats


def test_locked_seats_stay_seats_are_not_given_twice_and_declined_guests_drop_out(app):
    from protocol_app.events.models import Guest

    _, client = officer_client(app)
    detail = _seated_event(app, client)
    with app.app_context():
        ids = {g.name: g.id for g in db.session.scalars(sa.select(Guest))}
    before = seat_of(app, "Rang 5")
    page = post(client, detail, {"action": "move", "guest_id": str(ids["Rang 5"]), "table": "1", "seat": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Dieser Platz ist bereits vergeben." in page
    assert seat_of(app, "Rang 5") == before  # nothing changed
    # Rang 2 declines by phone; Rang 5 is then locked on the freed seat.
    with app.app_context():
        from protocol_app.events.invitations import record_reply

        record_reply(db.session.get(Guest, ids["Rang 2"]), accept=False, channel="phone")
        db.session.commit()
    assert seat_of(app, "Rang 2") is None  # declined: dropped out
    post(client, detail, {"action": "move", "guest_id": str(ids["Rang 5"]), "table": "1", "seat": "3", "lock": "1"})
    post(client, detail, {"action": "propose"})
    assert seat_of(app, "Rang 5") == (1, 3)  # locked seat kept through a new proposal
    assert seat_of(app, "Rang 1") == (1, 1)


def test_place_cards_and_table_plan_pdfs(app):
    _, client = officer_client(app)
    _seated_event(app, client)
    for document in ("place-cards", "table-plan"):
        response = client.get(f"/events/E-2027-0001/seating/{document}.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(client.get("/events/E-2027-0001/seating/place-cards.pdf").data)).pages[0].extract_text()
    assert "Rang 1" in text


def test_check_in_at_the_door_walk_ins_and_attendance_report(app):
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.models import Guest

    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    url = "/events/E-2027-0001/checkin"
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.scalar(sa.select(User))
        for name in ("Frau Anwesend", "Herr Fehlend"):
            add_adhoc(event, actor=actor, name=name).status = "accepted"
        db.session.commit()
    with app.app_context():
        present_id = db.session.scalar(sa.select(Guest.id).where(Guest.name == "Frau Anwesend"))
    closed = post(client, url, {"guest_id": str(present_id), "arrived": "1"}, follow_redirects=True)
    assert "erst nach dem Versand der Einladungen" in closed.get_data(as_text=True)
    with app.app_context():
        from protocol_app.events.services import move_event

        move_event(db.session.scalar(sa.select(Event)), "send_invitations", actor=db.session.scalar(sa.select(User)))
        db.session.commit()
    page = client.get(f"{url}?q=anwes").get_data(as_text=True)
    assert "Frau Anwesend" in page and "Herr Fehlend" not in page
    post(client, url, {"guest_id": str(present_id), "arrived": "1"})
    post(client, url, {"action": "walk_in", "name": "Spontaner Gast"})
    bad = post(client, url, {"action": "walk_in", "name": "<b>x</b>"},
               follow_redirects=True).get_data(as_text=True)
    assert "als reinen Text" in bad
    report = client.get("/events/E-2027-0001/attendance").get_data(as_text=True)
    assert "Zugesagt: 3 · anwesend: 2 · nicht erschienen: 1 · ohne Einladung: 1" in report
    assert "Herr Fehlend" in report.split('data-testid="no-shows"')[1]


def test_reply_reminders_once_to_silent_guests_and_a_summary_to_the_officer(app):
    from protocol_app.core.notifications.models import Notification, OutboxMail
    from protocol_app.core.reminders.services import run_all_rules

    with time_machine.travel(datetime(2027, 1, 1, 9, 0, tzinfo=UTC), tick=False):
        uid, client = officer_client(app)
        tokens = invited_guests(app, client)
        post(client, "/events/E-2027-0001/edit", event_form(capacity="3", reply_by="2027-01-10", responsible_officer_id=str(uid),
                                                      version="2"))
        answer_invitation(app, tokens["Erste Person"], "accept")
        with app.app_context():
            invitations_sent = db.session.scalar(sa.select(sa.func.count(OutboxMail.id)))
    for day in (2, 3, 4):  # deadline 10 January: from the 3rd on it is within a week
        with time_machine.travel(datetime(2027, 1, day, 9, 0, tzinfo=UTC), tick=False), app.app_context():
            run_all_rules()
            db.session.commit()
    with app.app_context():
        reminders = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id).offset(invitations_sent)).all()
        assert sorted(m.recipient for m in reminders) == ["dritte@example.org", "referent@example.org",
                                                          "zweite@example.org"]  # once each, however often the rule ran
        assert all("Person" not in m.subject for m in reminders)
        notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == uid)).all()
        assert [n.message for n in notes if "ohne Antwort" in n.message] == [
            "Gäste ohne Antwort zu E-2027-0001 „Empfang für das Diplomatische Korps“: 2."]


def test_the_reply_reminder_carries_the_guests_own_link_and_form_of_address(app):
    from protocol_app.core.notifications.models import OutboxMail
    from protocol_app.core.reminders.services import run_all_rules
    from protocol_app.directory.models import AddressForm
    from protocol_app.events.models import Guest

    with time_machine.travel(datetime(2027, 1, 1, 9, 0, tzinfo=UTC), tick=False):
        uid, client = officer_client(app)
        with app.app_context():
            form = db.session.scalar(sa.select(AddressForm).where(AddressForm.name == "Frau"))
            form_id = form.id if form else None
        tokens = invited_guests(app, client)
        with app.app_context():
            guest = db.session.scalar(sa.select(Guest).where(Guest.name == "Zweite Person"))
            guest.address_form_id = form_id
            db.session.commit()
            salutation = guest.salutation()
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        run_all_rules()
        db.session.commit()
        mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.recipient == "zweite@example.org")
                                 .order_by(OutboxMail.id.desc()))
        body = mail.body_text
    assert body.startswith(salutation) and f"/events/reply/{tokens['Zweite Person']}" in body
    # The link in the reminder is the invitation's own: it opens the guest's page.
    with time_machine.travel(datetime(2027, 1, 4, 10, 0, tzinfo=UTC), tick=False):
        assert app.test_client().get(f"/events/reply/{tokens['Zweite Person']}").status_code == 200


def test_a_reopened_link_shows_the_answer_and_allows_a_change_until_the_deadline(app):
    with time_machine.travel(datetime(2027, 1, 1, 9, 0, tzinfo=UTC), tick=False):
        _, client = officer_client(app)
        tokens = invited_guests(app, client)
        answer_invitation(app, tokens["Erste Person"], "accept", companion="Max Begleiter")
        guest = app.test_client()
        page = guest.get(f"/events/reply/{tokens['Erste Person']}").get_data(as_text=True)
        assert 'data-testid="answer-given"' in page and "Max Begleiter" in page
        assert 'value="Max Begleiter"' in page  # the form holds the answer given
        answer_invitation(app, tokens["Erste Person"], "decline")
        assert guest_status(app, "Erste Person") == "declined"
    with time_machine.travel(datetime(2027, 1, 11, 9, 0, tzinfo=UTC), tick=False):  # after the deadline
        page = app.test_client().get(f"/events/reply/{tokens['Erste Person']}").get_data(as_text=True)
        assert 'data-testid="answer-given"' in page and "<form" not in page.split('data-testid="answer-given"')[1]


def test_single_directory_contact_is_added_once(app):
    from protocol_app.directory.models import Contact

    _, client = officer_client(app)
    _contacts(app)
    post(client, "/events/new", event_form())
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id).where(Contact.name == "Botschafterin B"))
    detail = "/events/E-2027-0001"
    post(client, f"{detail}/guests/contact", {"contact_id": str(contact_id), "companions": "1"})
    page = post(client, f"{detail}/guests/contact", {"contact_id": str(contact_id), "companions": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "steht bereits auf der Gästeliste" in page
    assert 'data-testid="guest-count">1<' in page
    post(client, f"{detail}/guests/category", {"category": "diplomatic_corps", "companions": "0"})
    assert 'data-testid="guest-count">2<' in client.get(detail).get_data(as_text=True)  # B not twice


def test_seating_page_queries_do_not_grow_with_the_tables(app, count_queries):
    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc

    _, client = officer_client(app)
    small = _seated_event(app, client)  # E-2027-0001: 2 tables of 3, 5 guests
    post(client, "/events/new", event_form(title="Großer Empfang"))
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.title == "Großer Empfang"))
        actor = db.session.scalar(sa.select(User))
        for n in range(40):
            add_adhoc(event, actor=actor, name=f"Gast {n}", rank=10 + n).status = "accepted"
        db.session.commit()
    large = "/events/E-2027-0002/seating"
    post(client, large, {"action": "tables", "count": "12", "seats": "4"})
    post(client, large, {"action": "propose"})
    counts = []
    for url in (small, large):
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_event_page_shows_category_names_and_no_manual_sent_step(app):
    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    detail = "/events/E-2027-0001"
    post(client, f"{detail}/guests/new", {"name": "Ad-hoc-Gast", "rank": "50", "companions": "0"})
    page = client.get(detail).get_data(as_text=True)
    assert "<td>Weitere Gäste</td>" in page
    assert 'value="send_invitations"' not in page and "Einladungen versenden" in page

