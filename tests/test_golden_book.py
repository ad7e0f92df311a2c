"""The Golden Book and the Gästebuch: the eligibility rule, entries recorded by hand, entries
planned from a visit's programme with the calligrapher's task, the lists, photos, reminders and
who may see and do what."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.core.audit import AuditEvent
from protocol_app.core.checklists.models import Task
from protocol_app.core.notifications.models import Notification
from protocol_app.core.time import BERLIN
from protocol_app.extensions import db
from protocol_app.goldenbook.eligibility import Book, rank_of
from protocol_app.goldenbook.models import BookEntry
from protocol_app.visits.models import Visit, VisitProgrammeItem
from tests.support import PDF, login, make_user, post, sweep_reminders_twice
from tests.visit_support import make_visit, reference_data


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), "gold").save(out, "PNG")
    return out.getvalue()


PNG = _png()
COUNTRIES = ("Polen", "Poland", "Frankreich", "France")
CITIES = ("Paris", "Tokio", "Tokyo")


@pytest.mark.one_backend
@pytest.mark.parametrize(("function", "book"), [
    ("Präsident der Französischen Republik", Book.GOLDEN), ("President of Poland", Book.GOLDEN),
    ("König von Schweden", Book.GOLDEN), ("Bundespräsident", Book.GOLDEN), ("Premierminister", Book.GOLDEN),
    ("Außenministerin", Book.GOLDEN), ("Bürgermeisterin von Paris", Book.GOLDEN), ("Governor of Tokyo", Book.GOLDEN),
    ("Ministerialdirektor", Book.GUEST), ("Ministerialdirektorin, Außenministerium Schwedens", Book.GUEST),
    ("Vizepräsident der Republik", Book.GUEST), ("Botschafter des Vereinigten Königreichs", Book.GUEST),
    ("Präsident des Bundesamts für Statistik", Book.GUEST), ("Regierender Bürgermeister von Berlin", Book.GUEST),
    ("Kronprinz von Dänemark", Book.GUEST), ("ehemaliger Bundeskanzler", Book.GUEST),
    ("Erste Beigeordnete der Bürgermeisterin von Paris", Book.GUEST), ("Berater des Präsidenten", Book.GUEST),
])
def test_the_rule_proposes_the_book_from_the_function(function, book):
    rank = rank_of(function, countries=COUNTRIES, partner_cities=CITIES)
    assert (Book.GOLDEN if rank else Book.GUEST) == book


def _people(app):
    make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    make_user(app, "leitung@example.org", roles=["manager"], name="Lena Leitung")
    make_user(app, "leser@example.org", roles=["viewer"], name="Lea Leser")
    make_user(app, "admin@example.org", roles=["admin"], name="Ada Admin")
    clients = {}
    for who in ("referent", "leitung", "leser", "admin"):
        clients[who] = app.test_client()
        login(clients[who], f"{who}@example.org")
    return clients


def _text(response) -> str:
    return response.get_data(as_text=True)


def _entry_form(**overrides) -> dict:
    data = {"signed_on": "2026-11-20", "signatory": "Dr. Klaus Beispiel", "function": "Ministerialdirektor",
            "country_code": "", "occasion": "Arbeitsbesuch", "book": "", "reason": "", "volume": "", "page": "",
            "notes": ""}
    data.update(overrides)
    return data


def _version(client, path) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', _text(client.get(path))).group(1)


def _entries(app) -> list[BookEntry]:
    with app.app_context():
        entries = db.session.scalars(sa.select(BookEntry).order_by(BookEntry.id)).all()
        db.session.expunge_all()
        return entries


def test_the_golden_book_outside_the_rule_needs_a_reason(app):
    officer = _people(app)["referent"]
    page = _text(post(officer, "/golden-book/new", _entry_form(book="golden")))
    assert "is not among those who sign the Golden Book" in page or "gehört nicht zu denen" in page
    assert _entries(app) == []
    response = post(officer, "/golden-book/new", _entry_form())
    assert response.status_code == 302
    proposed = _entries(app)
    assert [(e.book, e.state, e.rank) for e in proposed] == [("guest", "signed", None)]
    response = post(officer, "/golden-book/new", _entry_form(
        signatory="Prof. Ida Ehrenwert", function="Präsidentin der Akademie", book="golden",
        reason="Ehrengast des Jubiläums, Beschluss der Senatskanzlei"))
    assert response.status_code == 302
    outside = _entries(app)[-1]
    assert (outside.book, outside.reason) == ("golden", "Ehrengast des Jubiläums, Beschluss der Senatskanzlei")
    listing = _text(officer.get("/golden-book/?year=2026"))
    assert "außerhalb der Regel" in listing and "Dr. Klaus Beispiel" in listing
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "book_entry.create")) == 2


def test_a_head_of_state_is_proposed_for_the_golden_book_and_a_stale_form_is_refused(app):
    officer = _people(app)["referent"]
    post(officer, "/golden-book/new", _entry_form(signatory="Jan Nowak", function="Präsident der Republik Polen",
                                                 country_code="PL"))
    entry = _entries(app)[0]
    assert (entry.book, entry.rank) == ("golden", "head_of_state")
    page = _text(officer.get(f"/golden-book/{entry.id}"))
    assert "Staatsoberhaupt" in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    first = post(officer, f"/golden-book/{entry.id}", _entry_form(
        signatory="Jan Nowak", function="Präsident der Republik Polen", country_code="PL", volume="XII", page="47",
        version=version))
    assert first.status_code == 302
    second = post(officer, f"/golden-book/{entry.id}", _entry_form(
        signatory="Jan Nowak", function="Präsident der Republik Polen", country_code="PL", volume="XIII", page="1",
        version=version))
    assert second.status_code == 409 and "inzwischen geändert" in _text(second)
    assert _entries(app)[0].place_in_book == "XII/47"


def _flagged_visit(app, **visit_values):
    data = reference_data(app)
    clients = _people(app)
    with app.app_context():
        officer_id = db.session.scalar(sa.text("SELECT id FROM users WHERE email = 'referent@example.org'"))
    values = {"kind": "state_visit", "title": "Staatsbesuch des Präsidenten der Französischen Republik",
              "guest_name": "Emmanuel Exemple", "guest_function": "Präsident der Französischen Republik",
              "guest_country_code": "FR"}
    values.update(visit_values)
    ref = make_visit(app, officer_id, **values)
    item = {"title": "Eintragung ins Goldene Buch", "starts_at": "2027-03-11T10:00", "ends_at": "2027-03-11T10:30",
            "venue_id": "0", "dress_code": "business", "press": "open", "interpreter_mode": "", "golden_book": "y"}
    return clients, ref, item, data


def _item_id(app, ref) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(VisitProgrammeItem.id).join(Visit).where(
            Visit.number == int(ref.rsplit("-", 1)[-1])))


def _tasks(app) -> list[tuple[str, date, bool]]:
    with app.app_context():
        return [(t.title, t.due_on, t.is_done) for t in db.session.scalars(sa.select(Task).order_by(Task.id))]


def test_a_flagged_programme_item_plans_the_entry_and_the_calligraphers_task(app):
    clients, ref, item, _ = _flagged_visit(app)
    officer = clients["referent"]
    assert post(officer, f"/visits/{ref}/programme/new", item).status_code == 302
    [entry] = _entries(app)
    assert (entry.state, entry.book, entry.signed_on, entry.occasion_scope) == (
        "planned", "golden", date(2027, 3, 11), "visit")
    assert _tasks(app) == [("Kalligrafie: Seite im Goldenen Buch vorbereitet – Emmanuel Exemple",
                            date(2027, 3, 6), False)]
    visit_page = _text(officer.get(f"/visits/{ref}"))
    assert "Emmanuel Exemple, 11.03.2027" in visit_page and "Kalligrafie: Seite" in visit_page

    # The item moves a day: the entry and the task follow.
    item_id = _item_id(app, ref)
    moved = dict(item, starts_at="2027-03-12T10:00", ends_at="2027-03-12T10:30", version="1")
    assert post(officer, f"/visits/{ref}/programme/{item_id}", moved).status_code == 302
    assert _entries(app)[0].signed_on == date(2027, 3, 12)
    assert [t[1] for t in _tasks(app)] == [date(2027, 3, 7)]

    # The flag goes: the planned entry is withdrawn and the calligrapher has nothing to prepare.
    unflagged = {k: v for k, v in moved.items() if k != "golden_book"} | {"version": "2"}
    assert post(officer, f"/visits/{ref}/programme/{item_id}", unflagged).status_code == 302
    assert _entries(app)[0].state == "withdrawn" and _tasks(app) == []

    # It comes back: planned again, with a new task.
    assert post(officer, f"/visits/{ref}/programme/{item_id}", dict(moved, version="3")).status_code == 302
    assert _entries(app)[0].state == "planned" and len(_tasks(app)) == 1

    # The manager cancels the visit: the entry is withdrawn with it.
    manager = clients["leitung"]
    with app.app_context():
        version = db.session.scalar(sa.select(Visit.version).where(Visit.number == int(ref.rsplit("-", 1)[-1])))
    response = post(manager, f"/visits/{ref}/transition", {"action": "cancel", "comment": "Reise abgesagt",
                                                          "version": str(version)})
    assert response.status_code == 302
    [entry] = _entries(app)
    assert entry.state == "withdrawn" and _tasks(app) == []
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "book_entries")))
    assert {"book_entry.plan", "book_entry.withdraw", "book_entry.replan"} <= actions


def test_a_ministerial_directors_flagged_item_plans_a_gaestebuch_entry_without_a_calligrapher(app):
    clients, ref, item, _ = _flagged_visit(app, kind="working_visit", title="Arbeitsbesuch aus Paris",
                                           guest_name="Dr. Paul Durand", guest_function="Ministerialdirektor")
    assert post(clients["referent"], f"/visits/{ref}/programme/new", item).status_code == 302
    [entry] = _entries(app)
    assert (entry.state, entry.book) == ("planned", "guest")
    assert _tasks(app) == []


def test_the_admin_sets_the_lead_time_and_signing_closes_the_task(app):
    clients, ref, item, _ = _flagged_visit(app)
    admin, officer = clients["admin"], clients["referent"]
    assert officer.get("/golden-book/settings").status_code == 403
    page = _text(post(admin, "/golden-book/settings", {"lead_days": "99"}))
    assert "zwischen 0 und 60" in page
    assert post(admin, "/golden-book/settings", {"lead_days": "3"}).status_code == 302
    post(officer, f"/visits/{ref}/programme/new", item)
    assert [t[1] for t in _tasks(app)] == [date(2027, 3, 8)]
    entry = _entries(app)[0]
    path = f"/golden-book/{entry.id}"
    # Months ahead of the signing it cannot be marked signed: viewers would see it as signed.
    refused = _text(post(officer, f"{path}/step", {"action": "sign", "version": _version(officer, path)},
                         follow_redirects=True))
    assert "ab diesem Tag erfasst werden" in refused and _entries(app)[0].state == "planned"
    assert "ab diesem Tag erfasst werden" in _text(officer.get(path)).split('data-testid="blocked-steps"')[1]
    with time_machine.travel(datetime(2027, 3, 11, 15, tzinfo=BERLIN), tick=False):
        login(officer, "referent@example.org")  # months later: a new session
        refused = _text(post(officer, f"{path}/step", {"action": "sign", "version": _version(officer, path)},
                             follow_redirects=True))
        assert "Band und Seite" in refused and _entries(app)[0].state == "planned"
        post(officer, path, _entry_form(signed_on="2027-03-11", signatory=entry.signatory, function=entry.function,
                                        country_code="FR", volume="XII", page="48", version=_version(officer, path)))
        assert post(officer, f"{path}/step", {"action": "sign", "version": _version(officer, path)}).status_code == 302
    assert _entries(app)[0].state == "signed" and _tasks(app)[0][2] is True


def test_lists_per_year_and_book_print_and_export_and_viewers_see_only_signed_entries(app):
    clients, ref, item, _ = _flagged_visit(app)
    officer, viewer = clients["referent"], clients["leser"]
    post(officer, f"/visits/{ref}/programme/new", item)  # planned, 2027
    post(officer, "/golden-book/new", _entry_form(signed_on="2026-11-15", signatory="Jan Nowak",
                                                 function="Präsident der Republik Polen", volume="XII", page="47"))
    post(officer, "/golden-book/new", _entry_form(signed_on="2026-06-02"))
    planned, signed, earlier = _entries(app)
    assert (planned.state, signed.state, earlier.book) == ("planned", "signed", "guest")
    workbook = load_workbook(io.BytesIO(officer.get("/golden-book/export.xlsx?year=2026&book=golden").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Datum", "Unterzeichnende Person")
    assert [r[1] for r in rows[1:]] == ["Jan Nowak"]
    printed = _text(officer.get("/golden-book/print?year=2027&book=golden"))
    assert "Goldenes Buch 2027" in printed and "1 Eintragung" in printed and "Emmanuel Exemple" in printed
    both = _text(officer.get("/golden-book/print?year=2026"))
    assert "2 Eintragungen" in both and both.index("Dr. Klaus Beispiel") < both.index("Jan Nowak")
    guest = _text(officer.get("/golden-book/?year=2026&book=guest"))
    assert "Dr. Klaus Beispiel" in guest and "Jan Nowak" not in guest

    assert "Emmanuel Exemple" not in _text(viewer.get("/golden-book/?year=2027"))
    assert "Jan Nowak" in _text(viewer.get("/golden-book/?year=2026"))
    assert viewer.get(f"/golden-book/{planned.id}").status_code == 404
    assert viewer.get(f"/golden-book/{signed.id}").status_code == 200
    assert post(viewer, f"/golden-book/{signed.id}", _entry_form()).status_code == 403
    assert viewer.get("/golden-book/new").status_code == 403
    xlsx = load_workbook(io.BytesIO(viewer.get("/golden-book/export.xlsx?year=2027").data))
    assert list(xlsx.active.iter_rows(values_only=True))[1:] == []
    assert "occasion-book-entries" not in _text(viewer.get(f"/visits/{ref}"))
    assert "occasion-book-entries" in _text(officer.get(f"/visits/{ref}"))


def test_a_photo_is_an_image_and_can_be_replaced_and_removed(app):
    officer = _people(app)["referent"]
    post(officer, "/golden-book/new", _entry_form())
    entry = _entries(app)[0]
    refused = _text(post(officer, f"/golden-book/{entry.id}/photo",
                         {"file": (io.BytesIO(PDF), "foto.pdf")}, follow_redirects=True))
    assert "PNG- oder JPEG" in refused and _entries(app)[0].photo_id is None
    post(officer, f"/golden-book/{entry.id}/photo", {"file": (io.BytesIO(PNG), "foto.png")})
    assert officer.get(f"/golden-book/{entry.id}/photo").data == PNG
    post(officer, f"/golden-book/{entry.id}/photo/delete")
    assert officer.get(f"/golden-book/{entry.id}/photo").status_code == 404


def test_a_signing_not_recorded_after_its_day_is_reminded_once(app):
    clients, ref, item, _ = _flagged_visit(app)
    post(clients["referent"], f"/visits/{ref}/programme/new", item)
    sweep_reminders_twice(app, datetime(2027, 3, 13, 8, 0, tzinfo=BERLIN))
    with app.app_context():
        texts = db.session.scalars(sa.select(Notification.message).where(
            Notification.message.contains("Band und Seite"))).all()
    assert len(texts) == 1 and "Emmanuel Exemple" in texts[0] and "11.03.2027" in texts[0]


def test_an_english_reader_is_reminded_in_english_with_english_dates(app):
    from protocol_app.auth.models import User

    clients, ref, item, _ = _flagged_visit(app)
    post(clients["referent"], f"/visits/{ref}/programme/new", item)
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == "referent@example.org")).locale = "en"
        db.session.commit()
    sweep_reminders_twice(app, datetime(2027, 3, 13, 8, 0, tzinfo=BERLIN))
    with app.app_context():
        [text] = db.session.scalars(sa.select(Notification.message).where(
            Notification.message.contains("Emmanuel Exemple"), Notification.message.contains("volume"))).all()
    assert "on 11 Mar 2027" in text and "Golden Book" in text and "11.03.2027" not in text


def test_the_demo_entries_follow_the_rule_and_past_planned_signings_are_recorded(app):
    from protocol_app.auth.models import User
    from protocol_app.goldenbook.demo import seed_demo_book_entries

    clients, ref, item, _ = _flagged_visit(app)
    post(clients["referent"], f"/visits/{ref}/programme/new", item)  # a coming signing, planned
    with app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.email == "referent@example.org"))
        assert seed_demo_book_entries(officer) == 3
        assert seed_demo_book_entries(officer) == 0  # once
        db.session.commit()
    books = {e.function: (e.book, e.state) for e in _entries(app)}
    assert books["Präsident der Republik Polen"] == ("golden", "signed")
    assert books["Ministerialdirektorin, Außenministerium Schwedens"] == ("guest", "signed")
    assert books["Präsident der Französischen Republik"] == ("golden", "planned")


def test_an_entry_recorded_from_an_event_page_belongs_to_it_and_goes_with_its_cancellation(app):
    from tests.event_support import event_form

    officer = _people(app)["referent"]
    assert post(officer, "/events/new", event_form(title="Festakt 35 Jahre Partnerschaft")).status_code == 302
    with app.app_context():
        event_id, version = db.session.execute(sa.text("SELECT id, version FROM events")).one()
    event_page = _text(officer.get("/events/E-2027-0001"))
    assert f"/golden-book/new?scope=event&amp;id={event_id}" in event_page
    form_page = _text(officer.get(f"/golden-book/new?scope=event&id={event_id}"))
    assert 'value="2027-01-20"' in form_page and "E-2027-0001 Festakt 35 Jahre Partnerschaft" in form_page
    assert officer.get("/golden-book/new?scope=event&id=999999").status_code == 404
    response = post(officer, f"/golden-book/new?scope=event&id={event_id}", _entry_form(
        signed_on="2027-01-20", signatory="Amélie Laurent", function="Bürgermeisterin von Paris",
        occasion="E-2027-0001 Festakt 35 Jahre Partnerschaft"))
    assert response.status_code == 302
    [entry] = _entries(app)
    assert (entry.occasion_scope, entry.occasion_id, entry.state, entry.book, entry.rank) == (
        "event", event_id, "planned", "golden", "partner_city_mayor")
    assert "Amélie Laurent" in _text(officer.get("/events/E-2027-0001"))
    assert "/events/E-2027-0001" in _text(officer.get(f"/golden-book/{entry.id}"))
    post(officer, "/events/E-2027-0001/transition", {"action": "cancel", "comment": "abgesagt", "version": str(version)})
    assert _entries(app)[0].state == "withdrawn"


# --- the first weeks of the books: defects found in use ------------------------------------------


def test_each_date_of_an_entry_keeps_to_the_range_its_meaning_allows(app):
    officer = _people(app)["referent"]
    too_far = post(officer, "/golden-book/new", _entry_form(signed_on="2270-05-01"))
    assert too_far.status_code == 200 and "höchstens zwei Jahre im Voraus" in _text(too_far)
    too_early = post(officer, "/golden-book/new", _entry_form(signed_on="1850-05-01"))
    assert "ab dem 01.01.1900" in _text(too_early)
    assert _entries(app) == []
    # the year list stays within the register's years whatever an older version let in
    with app.app_context():
        db.session.add(BookEntry(signed_on=date(2270, 5, 1), signatory="Alt", function="Gast", book="guest",
                                 state="planned"))
        db.session.commit()
    years = re.findall(r'<option value="(\d{4})"', _text(officer.get("/golden-book/")))
    assert len(years) <= 4 and "2270" not in years
    # a signed entry is not dated after today
    with app.app_context():
        db.session.execute(sa.delete(BookEntry))
        db.session.commit()
    assert post(officer, "/golden-book/new", _entry_form()).status_code == 302
    entry = _entries(app)[0]
    path = f"/golden-book/{entry.id}"
    ahead = post(officer, path, _entry_form(signed_on="2027-06-01", version=_version(officer, path)))
    assert "kann nicht nach heute datiert sein" in _text(ahead) and _entries(app)[0].signed_on == date(2026, 11, 20)


def test_a_planned_entry_and_its_task_follow_the_visits_guest_until_signed(app):
    clients, ref, item, _ = _flagged_visit(app)
    officer = clients["referent"]
    assert post(officer, f"/visits/{ref}/programme/new", item).status_code == 302
    with app.app_context():
        from protocol_app.auth.models import User
        from protocol_app.visits import services as visits

        visit = db.session.scalar(sa.select(Visit).where(Visit.number == int(ref.rsplit("-", 1)[-1])))
        actor = db.session.scalar(sa.select(User).where(User.email == "referent@example.org"))
        values = {key: getattr(visit, key) for key in visits.VISIT_FIELDS}
        values.update(guest_name="Emmanuel Exemplaire", guest_function="Premierminister der Französischen Republik")
        visits.update_visit(visit, actor=actor, values=values, expected_version=visit.version)
        db.session.commit()
    [entry] = _entries(app)
    assert (entry.signatory, entry.function, entry.rank, entry.book) == (
        "Emmanuel Exemplaire", "Premierminister der Französischen Republik", "head_of_government", "golden")
    assert _tasks(app)[0][0] == "Kalligrafie: Seite im Goldenen Buch vorbereitet – Emmanuel Exemplaire"
    page = _text(officer.get(f"/golden-book/{entry.id}"))
    assert "Emmanuel Exemplaire" in page.split('data-testid="calligrapher-task"')[1][:300]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "book_entry.update", AuditEvent.object_id == str(entry.id))) == 1


def test_the_rule_reads_the_partner_cities_other_names_from_the_register(app):
    officer = _people(app)["referent"]
    reference_data(app)
    post(officer, "/golden-book/new", _entry_form(signatory="Rafał Trzaskowski", function="Prezydent m.st. Warszawy"))
    post(officer, "/golden-book/new", _entry_form(signatory="Bohuslav Svoboda",
                                                 function="Primátor hlavního města Prahy"))
    assert [(e.book, e.rank) for e in _entries(app)] == [("golden", "partner_city_mayor")] * 2


def test_a_withdrawn_entrys_photo_cannot_be_changed(app):
    clients, ref, item, _ = _flagged_visit(app)
    officer = clients["referent"]
    post(officer, f"/visits/{ref}/programme/new", item)
    entry = _entries(app)[0]
    path = f"/golden-book/{entry.id}"
    assert post(officer, f"{path}/photo", {"file": (io.BytesIO(PNG), "signing.png")},
                content_type="multipart/form-data").status_code == 302
    refused = post(officer, f"{path}/step", {"action": "withdraw", "comment": "Termin entfällt",
                                            "version": _version(officer, path)})
    assert refused.status_code == 302 and _entries(app)[0].state == "withdrawn"
    with app.app_context():
        before = db.session.get(BookEntry, entry.id).photo_id
    response = post(officer, f"{path}/photo", {"file": (io.BytesIO(PNG), "other.png")},
                    content_type="multipart/form-data")
    assert response.status_code == 403
    assert post(officer, f"{path}/photo/delete", {}).status_code == 403
    with app.app_context():
        assert db.session.get(BookEntry, entry.id).photo_id == before
