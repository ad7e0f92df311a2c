"""Fault drill: many people at the same instant, over real HTTP against PostgreSQL.

Each drill counts what an office would count afterwards — guests accepted, mails in the
outbox, bookings in a room, decisions taken — never just "no exception"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.notifications.models import OutboxMail
from protocol_app.core.workflow import TransitionLog
from protocol_app.directory.models import Venue
from protocol_app.events import invitations
from protocol_app.events.guests import add_adhoc
from protocol_app.events.models import Event, Guest
from protocol_app.events.services import create_event
from protocol_app.extensions import db
from protocol_app.reference_data import load_reference_data
from protocol_app.visits.models import VisitProgrammeItem
from tests.drill_support import Person, all_at_once, serve
from tests.support import make_user
from tests.visit_support import make_visit

pytestmark = pytest.mark.postgres_only

MOVED_UP = "Ihr Platz ist bestätigt:"  # the subject begins so, the event's title follows


@pytest.fixture
def server(committing_app):
    with committing_app.app_context():
        load_reference_data()
        db.session.commit()
    live = serve(committing_app)
    yield live
    live.stop()


def _officer(app, email="referent@example.org") -> int:
    return make_user(app, email, roles=["officer"], name=email.split("@")[0].capitalize())


def _event_with_guests(app, *, capacity: int, guests: int) -> tuple[str, dict[str, str]]:
    """An event of `capacity` places and `guests` invited guests; return (reference, {email: token})."""
    officer_id = _officer(app)
    with app.app_context():
        actor = db.session.get(User, officer_id)
        event = create_event(actor=actor, values={
            "title": "Empfang zum Tag der Deutschen Einheit", "kind": "reception",
            "starts_at": datetime(2027, 10, 3, 16, tzinfo=UTC), "ends_at": datetime(2027, 10, 3, 19, tzinfo=UTC),
            "capacity": capacity, "dress_code": "business", "press": "closed"})
        for n in range(guests):
            guest = add_adhoc(event, actor=actor, name=f"Gast {n:02d}")
            guest.email = f"gast{n:02d}@example.org"
        tokens = invitations.send_invitations(event, actor=actor)
        db.session.commit()
        emails = {g.id: g.email for g in db.session.scalars(sa.select(Guest))}
        return event.reference, {emails[gid]: token for gid, token in tokens.items()}


def _reply_all_at_once(server, tokens: dict[str, str], answer: str) -> list[int]:
    guests = []
    for token in tokens.values():
        person = Person(server.url)
        guests.append((person, f"/events/reply/{token}", person.token(f"/events/reply/{token}")))
    responses = all_at_once(
        (lambda p=p, path=path, t=t: p.post(path, {"answer": answer}, token=t)) for p, path, t in guests)
    return [r.status_code for r in responses]


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(sa.select(Guest.status, sa.func.count()).group_by(Guest.status)).all()
        db.session.remove()
        return dict(rows)


def _mails(app, subject_start: str) -> list[str]:
    with app.app_context():
        recipients = list(db.session.scalars(sa.select(OutboxMail.recipient).where(
            OutboxMail.subject.startswith(subject_start))))
        db.session.remove()
        return recipients


def test_thirty_acceptances_for_ten_places_fill_exactly_ten(committing_app, server):
    _, tokens = _event_with_guests(committing_app, capacity=10, guests=30)
    codes = _reply_all_at_once(server, tokens, "accept")
    assert codes == [200] * 30
    assert _statuses(committing_app) == {"accepted": 10, "waiting": 20}


def test_ten_declines_at_once_move_up_ten_guests_with_one_mail_each(committing_app, server):
    _, tokens = _event_with_guests(committing_app, capacity=10, guests=20)
    emails = sorted(tokens)
    first, second = {e: tokens[e] for e in emails[:10]}, {e: tokens[e] for e in emails[10:]}
    assert _reply_all_at_once(server, first, "accept") == [200] * 10
    assert _reply_all_at_once(server, second, "accept") == [200] * 10
    assert _statuses(committing_app) == {"accepted": 10, "waiting": 10}

    assert _reply_all_at_once(server, first, "decline") == [200] * 10
    assert _statuses(committing_app) == {"accepted": 10, "declined": 10}
    moved_up = _mails(committing_app, MOVED_UP)
    assert sorted(moved_up) == sorted(second)  # one mail to each guest moved up, none twice


def test_the_same_guest_declining_twice_at_once_frees_one_place(committing_app, server):
    _, tokens = _event_with_guests(committing_app, capacity=1, guests=2)
    (holder, holder_token), (waiting, waiting_token) = sorted(tokens.items())
    assert _reply_all_at_once(server, {holder: holder_token}, "accept") == [200]
    assert _reply_all_at_once(server, {waiting: waiting_token}, "accept") == [200]
    # The holder's two browser tabs send "decline" at the same instant.
    assert _reply_all_at_once(server, {"tab1": holder_token, "tab2": holder_token}, "decline") == [200, 200]
    assert _statuses(committing_app) == {"accepted": 1, "declined": 1}
    assert _mails(committing_app, MOVED_UP) == [waiting]


def test_send_invitations_clicked_twice_invites_everyone_once_with_a_working_link(committing_app, server):
    reference, tokens = _event_with_guests(committing_app, capacity=50, guests=3)
    with committing_app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.scalar(sa.select(User))
        for n in range(5):  # listed after the first sending
            add_adhoc(event, actor=actor, name=f"Nachzügler {n}").email = f"spaet{n}@example.org"
        db.session.commit()
    clicks = [Person(server.url).log_in("referent@example.org") for _ in range(2)]
    tokens_of = [p.token(f"/events/{reference}") for p in clicks]
    responses = all_at_once((lambda p=p, t=t: p.post(f"/events/{reference}/invitations", {}, token=t))
                            for p, t in zip(clicks, tokens_of, strict=True))
    assert [r.status_code for r in responses] == [302, 302]
    with committing_app.app_context():
        mails = db.session.scalars(sa.select(OutboxMail).where(
            OutboxMail.subject.startswith("Einladung: "))).all()
        recipients = [m.recipient for m in mails]
        links = [re.search(r"/events/reply/[\w-]+", m.body_text).group(0) for m in mails]
        db.session.remove()
    assert sorted(recipients) == sorted([*tokens, *(f"spaet{n}@example.org" for n in range(5))])
    guest = Person(server.url)
    assert [guest.get(link).status_code for link in links] == [200] * 8  # every link mailed works


def test_ten_bookings_of_one_room_at_once_leave_one_booking_without_a_reason(committing_app, server):
    officer_id = _officer(committing_app)
    references = [make_visit(committing_app, officer_id, title=f"Besuch {n}") for n in range(10)]
    with committing_app.app_context():
        venue_id = db.session.scalar(sa.select(Venue.id).where(Venue.name == "Wappensaal"))
        db.session.remove()
    item = {"title": "Gespräch im Wappensaal", "starts_at": "2027-03-10T12:00", "ends_at": "2027-03-10T13:00",
            "venue_id": str(venue_id), "dress_code": "business", "press": "open", "interpreter_mode": ""}
    people = [Person(server.url).log_in("referent@example.org") for _ in references]
    forms = [(p, ref, p.token(f"/visits/{ref}/programme/new")) for p, ref in zip(people, references, strict=True)]
    responses = all_at_once((lambda p=p, ref=ref, t=t: p.post(f"/visits/{ref}/programme/new", item, token=t))
                            for p, ref, t in forms)
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 9 + [302]  # nine see the double-booking warning, one is saved
    assert sum("überschneidet sich mit anderen Terminen" in r.text for r in responses) == 9
    with committing_app.app_context():
        saved = db.session.scalars(sa.select(VisitProgrammeItem).where(VisitProgrammeItem.venue_id == venue_id)).all()
        assert len(saved) == 1 and saved[0].conflict_reason is None
        db.session.remove()


# --- racing decisions: two people take a step on the same record at the same instant ---------

def _race(server, people: list[Person], path: str, forms: list[dict], token_from: str) -> list[int]:
    tokens = [p.token(token_from) for p in people]
    responses = all_at_once((lambda p=p, f=f, t=t: p.post(path, f, token=t))
                            for p, f, t in zip(people, forms, tokens, strict=True))
    for response in responses:
        if response.status_code == 409:
            assert "inzwischen geändert" in response.text
    return sorted(r.status_code for r in responses)


def _log_count(app, workflow: str, action_prefix: str = "") -> int:
    """How many steps were taken (the record's creation is logged too, but is not a decision)."""
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count(TransitionLog.id)).where(
            TransitionLog.workflow == workflow, TransitionLog.action.startswith(action_prefix),
            TransitionLog.action != "create"))
        db.session.remove()
        return count


def test_two_officers_moving_one_visit_at_once_one_moves_it_the_other_is_told(committing_app, server):
    officer_id = _officer(committing_app)
    _officer(committing_app, "kollegin@example.org")
    reference = make_visit(committing_app, officer_id)
    with committing_app.app_context():
        from protocol_app.visits.models import Visit

        version = db.session.scalar(sa.select(Visit.version))
        db.session.remove()
    people = [Person(server.url).log_in(e) for e in ("referent@example.org", "kollegin@example.org")]
    codes = _race(server, people, f"/visits/{reference}/transition",
                  [{"action": "start_planning", "version": version}, {"action": "decline", "version": version,
                                                                       "comment": "Terminlich nicht möglich"}],
                  token_from=f"/visits/{reference}")
    assert codes == [302, 409]
    assert _log_count(committing_app, "visit") == 1


def test_two_managers_deciding_one_honours_step_at_once(committing_app, server):
    from tests.honours_support import case_values, setup_people, user

    setup_people(committing_app)
    # Head of unit and her deputy: both hold the post that decides the first step.
    make_user(committing_app, "stellvertretung@example.org", roles=["manager"], name="Stellvertretung",
              position="head_of_unit")
    with committing_app.app_context():
        from protocol_app.honours import services

        case = services.create_case(actor=user("autorin@example.org"), values=case_values())
        services.add_merit(case, actor=user("autorin@example.org"), description="Ausstellung",
                           date_from=date(2023, 3, 1), date_to=date(2024, 6, 30))
        services.submit(case, actor=user("autorin@example.org"))
        services.start_review(case, actor=user("pruefer@example.org"))
        services.forward(case, actor=user("pruefer@example.org"))
        db.session.commit()
        reference, version = case.reference, case.version
        db.session.remove()
    people = [Person(server.url).log_in(e) for e in ("referatsleitung@example.org", "stellvertretung@example.org")]
    codes = _race(server, people, f"/honours/{reference}/decide",
                  [{"action": "approve", "version": version},
                   {"action": "return", "version": version, "comment": "Bitte ergänzen"}],
                  token_from=f"/honours/{reference}")
    assert codes in ([200, 409], [302, 409])
    assert _log_count(committing_app, "nomination", "approve") + _log_count(
        committing_app, "nomination", "return") == 1


def test_two_officers_moving_one_event_at_once(committing_app, server):
    reference, _ = _event_with_guests(committing_app, capacity=5, guests=1)
    _officer(committing_app, "kollegin@example.org")
    with committing_app.app_context():
        version = db.session.scalar(sa.select(Event.version))
        db.session.remove()
    people = [Person(server.url).log_in(e) for e in ("referent@example.org", "kollegin@example.org")]
    codes = _race(server, people, f"/events/{reference}/transition",
                  [{"action": "cancel", "version": version, "comment": "Wetter"},
                   {"action": "cancel", "version": version, "comment": "Terminkollision"}],
                  token_from=f"/events/{reference}")
    assert codes == [302, 409]
    assert _log_count(committing_app, "event", "cancel") == 1


def test_two_team_members_moving_one_application_at_once(committing_app, server):
    from protocol_app.emigrants import services as emigrants
    from protocol_app.emigrants.models import Application

    make_user(committing_app, "team1@example.org", roles=["emigration"])
    make_user(committing_app, "team2@example.org", roles=["emigration"])
    with committing_app.app_context():
        actor = db.session.scalar(sa.select(User).where(User.email == "team1@example.org"))
        application = emigrants.create_application(actor=actor, values={
            "category": "emigrant", "name": "Ruth Goldmann", "birth_date": date(1931, 4, 2), "birth_place": "Berlin",
            "address": "12 Herzl St, Haifa", "country_code": "IL", "language": "en", "declaration_signed": True})
        db.session.commit()
        reference, version = application.reference, application.version
        db.session.remove()
    people = [Person(server.url).log_in(e) for e in ("team1@example.org", "team2@example.org")]
    codes = _race(server, people, f"/emigrants/{reference}/transition",
                  [{"action": "reject", "version": version, "comment": "Nicht berechtigt"},
                   {"action": "withdraw", "version": version, "comment": "Zurückgezogen"}],
                  token_from=f"/emigrants/{reference}")
    assert codes == [302, 409]
    with committing_app.app_context():
        assert db.session.scalar(sa.select(Application.state)) in ("rejected", "withdrawn")
        db.session.remove()
    assert _log_count(committing_app, "application", "reject") + _log_count(
        committing_app, "application", "withdraw") == 1


def test_one_recovery_code_typed_in_ten_browsers_at_once_signs_in_one(committing_app, server):
    """A recovery code is taken once even when ten sessions offer it at the same instant
    (a conditional UPDATE decides)."""
    from protocol_app.auth import second_factor
    from protocol_app.auth.models import RecoveryCode

    settings = {"SECOND_FACTOR_ROLES": "emigration", "LOGIN_MAX_FAILURES": 50}
    previous = {key: committing_app.config[key] for key in settings}
    committing_app.config.update(settings)
    try:
        uid = make_user(committing_app, "emigration@example.org", roles=["emigration"])
        with committing_app.app_context():
            user = db.session.get(User, uid)
            second_factor.pending_secret(user)
            user.totp_enrolled_at = datetime.now(UTC)
            codes = second_factor.new_recovery_codes(user)
            db.session.commit()
            db.session.remove()
        people = [Person(server.url).log_in("emigration@example.org") for _ in range(10)]
        tokens = [p.token("/auth/second-factor") for p in people]
        responses = all_at_once((lambda p=p, t=t: p.post("/auth/second-factor", {"code": codes[0]}, token=t))
                                for p, t in zip(people, tokens, strict=True))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] * 9 + [302]  # one signed in; the others told "not valid", no 500
        assert all("Dieser Code ist nicht gültig" in r.text for r in responses if r.status_code == 200)
        with committing_app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                                     .where(RecoveryCode.used_at.is_not(None))) == 1
            db.session.remove()
    finally:
        committing_app.config.update(previous)


def test_two_officers_starting_a_renewal_batch_at_once_make_one(committing_app, server):
    """Both press "start a renewal batch" at the same instant: one batch holds every grave due,
    the other officer is told there is nothing left; no grave is in two batches."""
    from protocol_app.core.time import add_months, add_years, today_berlin
    from protocol_app.graves.models import HonoraryGrave, RenewalBatch, RenewalEntry

    for n in (1, 2):
        make_user(committing_app, f"referent{n}@example.org", roles=["officer"])
    with committing_app.app_context():
        for n in range(12):
            ends = add_months(today_berlin(), 2 + n)
            db.session.add(HonoraryGrave(name=f"Grab {n}", cemetery="Friedhof", district="Mitte",
                                         recognised_since=add_years(ends, -20), term_ends_on=ends))
        db.session.commit()
        db.session.remove()
    people = [Person(server.url).log_in(f"referent{n}@example.org") for n in (1, 2)]
    tokens = [p.token("/graves/renewals") for p in people]
    responses = all_at_once((lambda p=p, t=t: p.post("/graves/batches", {}, token=t))
                            for p, t in zip(people, tokens, strict=True))
    assert sorted(r.status_code for r in responses) == [302, 302]
    assert sorted(r.headers["Location"].rstrip("/").rsplit("/", 1)[-1] for r in responses)[-1] == "renewals"
    with committing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RenewalBatch)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RenewalEntry)) == 12
        db.session.remove()


def test_flagging_the_golden_book_while_the_visit_is_cancelled_leaves_no_planned_entry(committing_app, server):
    """An officer flags a programme item "Golden Book" at the instant a manager cancels the visit,
    for six visits: whichever comes first, no cancelled visit keeps a planned entry or a task for
    the calligrapher, and the officer who lost is told (no 500)."""
    from protocol_app.core.checklists.models import Task
    from protocol_app.goldenbook.models import BookEntry
    from protocol_app.visits import services as visit_services
    from protocol_app.visits.models import Visit

    officer_id = _officer(committing_app)
    make_user(committing_app, "leitung@example.org", roles=["manager"])
    visits = []
    for n in range(6):
        reference = make_visit(committing_app, officer_id, title=f"Staatsbesuch {n}", kind="state_visit",
                               guest_name=f"Gast {n}", guest_function="Präsident der Französischen Republik")
        with committing_app.app_context():
            visit = db.session.scalar(sa.select(Visit).where(Visit.title == f"Staatsbesuch {n}"))
            item = visit_services.save_programme_item(visit, None, actor=db.session.get(User, officer_id), values={
                "title": "Eintragung", "starts_at": datetime(2027, 3, 11, 9 + n, tzinfo=UTC),
                "ends_at": datetime(2027, 3, 11, 9 + n, 30, tzinfo=UTC), "dress_code": "business", "press": "open"})
            db.session.commit()
            visits.append((reference, item.id, item.version, visit.version, 10 + n))
            db.session.remove()
    officer, manager = (Person(server.url).log_in(e) for e in ("referent@example.org", "leitung@example.org"))
    calls = []
    for reference, item_id, item_version, visit_version, hour in visits:
        flag = {"title": "Eintragung", "starts_at": f"2027-03-11T{hour}:00", "ends_at": f"2027-03-11T{hour}:30",
                "venue_id": "0",
                "dress_code": "business", "press": "open", "interpreter_mode": "", "golden_book": "y",
                "version": item_version}
        cancel = {"action": "cancel", "comment": "Reise abgesagt", "version": visit_version}
        flag_token, cancel_token = officer.token(f"/visits/{reference}"), manager.token(f"/visits/{reference}")
        calls.append(lambda r=reference, i=item_id, f=flag, t=flag_token: officer.post(
            f"/visits/{r}/programme/{i}", f, token=t))
        calls.append(lambda r=reference, c=cancel, t=cancel_token: manager.post(f"/visits/{r}/transition", c, token=t))
    responses = all_at_once(calls)
    assert all(r.status_code in (200, 302, 409) for r in responses), [r.status_code for r in responses if r.status_code not in (200, 302, 409)] + [r.text[:3000] for r in responses if r.status_code not in (200, 302, 409)]
    assert [r.status_code for r in responses[1::2]] == [302] * 6  # every cancellation went through
    with committing_app.app_context():
        assert set(db.session.scalars(sa.select(Visit.state))) == {"cancelled"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BookEntry)
                                 .where(BookEntry.state == "planned")) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Task).where(Task.done_at.is_(None))) == 0
        db.session.remove()


def test_two_officers_drafting_one_press_note_at_once_make_one_and_the_other_keeps_the_text(committing_app, server):
    """Both save the first draft about the same visit at the same instant: one note is stored, the
    other officer is answered "drafted meanwhile" with their own text still on the page."""
    from protocol_app.news.models import NewsNote
    from tests.test_news import TEXTS, _visit

    make_user(committing_app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    make_user(committing_app, "leitung@example.org", roles=["manager"], name="Lena Leitung")
    make_user(committing_app, "zweite@example.org", roles=["officer"], name="Zora Zweite")
    visit_id = _visit(committing_app)
    path = f"/news/new?scope=visit&id={visit_id}"
    people = [Person(server.url).log_in(email) for email in ("referent@example.org", "zweite@example.org")]
    tokens = [p.token(path) for p in people]
    texts = [{**TEXTS, "text_de": f"Der Text von {name}."} for name in ("Rainer", "Zora")]
    responses = all_at_once((lambda p=p, t=t, x=x: p.post(path, x, token=t))
                            for p, t, x in zip(people, tokens, texts, strict=True))
    assert sorted(r.status_code for r in responses) == [302, 409]
    refused, text = next((r, x) for r, x in zip(responses, texts, strict=True) if r.status_code == 409)
    assert text["text_de"] in refused.text and 'data-testid="drafted-meanwhile"' in refused.text
    with committing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NewsNote)) == 1
        db.session.remove()
