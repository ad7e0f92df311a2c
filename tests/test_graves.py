"""The register of honorary graves: recording, import, public list, renewal batches, reminders
and who may do what."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.auth.models import User
from protocol_app.core.notifications.models import Notification
from protocol_app.core.time import BERLIN, add_months, add_years, today_berlin
from protocol_app.extensions import db
from protocol_app.graves import renewals
from protocol_app.graves.models import HonoraryGrave, RenewalBatch
from tests.support import login, make_user, post, sweep_reminders_twice

GRAVE = {"name": "Hildegard Knef", "born_on": "1925-12-28", "died_on": "2002-02-01",
         "honoured_for": "Schauspielerin und Sängerin", "cemetery": "Waldfriedhof Zehlendorf", "location": "Abt. 22",
         "district": "Steglitz-Zehlendorf", "recognised_since": "2007-03-01", "term_ends_on": "", "decision_date": "",
         "decision_reference": "", "notes": "Pflege durch das Bezirksamt"}


def _people(app):
    make_user(app, "referent@example.org", roles=["officer"], name="Rainer Referent")
    make_user(app, "leitung@example.org", roles=["manager"], name="Lena Leitung")
    make_user(app, "leser@example.org", roles=["viewer"], name="Lea Leser")
    clients = {}
    for who in ("referent", "leitung", "leser"):
        clients[who] = app.test_client()
        login(clients[who], f"{who}@example.org")
    return clients


def _grave(app, name="Theodor Fontane", term_ends_on=None, **values) -> int:
    with app.app_context():
        grave = HonoraryGrave(name=name, born_on=date(1819, 12, 30), died_on=date(1898, 9, 20), cemetery="Friedhof II",
                              district="Mitte", recognised_since=add_years(term_ends_on, -20) if term_ends_on else None,
                              term_ends_on=term_ends_on, **values)
        db.session.add(grave)
        db.session.commit()
        return grave.id


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_an_officer_records_a_grave_whose_term_runs_twenty_years(app):
    officer = _people(app)["referent"]
    response = post(officer, "/graves/new", GRAVE)
    assert response.status_code == 302
    with app.app_context():
        grave = db.session.scalar(sa.select(HonoraryGrave))
        assert grave.term_ends_on == date(2027, 3, 1) and grave.status == "recognised"
    citizen = post(officer, "/graves/new", {**GRAVE, "name": "Willy Brandt", "honorary_citizen": "y",
                                            "term_ends_on": "2030-01-01"})
    assert citizen.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(HonoraryGrave.term_ends_on).where(HonoraryGrave.name == "Willy Brandt")) is None


def test_the_five_years_rule_and_other_wrong_input_change_nothing(app):
    officer = _people(app)["referent"]
    early = post(officer, "/graves/new", {**GRAVE, "recognised_since": "2005-01-01"})
    assert early.status_code == 200 and "frühestens fünf Jahre nach dem Tod" in _text(early)
    no_district = post(officer, "/graves/new", {**GRAVE, "district": "Atlantis"})
    assert no_district.status_code == 200
    backwards = post(officer, "/graves/new", {**GRAVE, "died_on": "1900-01-01"})
    assert "vor dem Geburtsdatum" in _text(backwards)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 0


def test_a_form_of_an_older_version_is_refused(app):
    clients = _people(app)
    officer, colleague = clients["referent"], app.test_client()
    login(colleague, "referent@example.org")
    gid = _grave(app, term_ends_on=date(2030, 1, 1))
    page = _text(officer.get(f"/graves/{gid}"))
    stale = _version(page)
    values = {**GRAVE, "name": "Theodor Fontane", "recognised_since": "2010-01-01", "version": stale}
    assert post(colleague, f"/graves/{gid}", {**values, "notes": "erste"}).status_code == 302
    response = post(officer, f"/graves/{gid}", {**values, "notes": "zweite"})
    assert response.status_code == 409 and "inzwischen geändert" in _text(response)
    with app.app_context():
        assert db.session.get(HonoraryGrave, gid).notes == "erste"


CSV_HEADER = "Name;Geboren;Gestorben;Gewürdigt für;Friedhof;Grablage;Bezirk;Anerkannt seit;Frist bis;Ehrenbürger\n"


def _rows(broken: bool) -> str:
    lines = []
    for n in range(20):
        district = "Mitten" if broken and n == 4 else "Pankow"
        recognised = "01.01.1991" if broken and n == 11 else "01.06.2010"  # died 1988: too early in row 13
        lines.append(f"Person {n:02d};01.01.1900;01.01.1988;Verdienste;Friedhof Pankow III;Feld {n};{district};"
                     f"{recognised};;nein")
    return CSV_HEADER + "\n".join(lines) + "\n"


def test_an_import_with_broken_rows_names_them_and_stores_nothing_then_the_fixed_file_imports(app):
    officer = _people(app)["referent"]
    response = post(officer, "/graves/import", {"file": (io.BytesIO(_rows(True).encode()), "graeber.csv")},
                    content_type="multipart/form-data")
    page = _text(response)
    assert "Nichts wurde importiert" in page and "2 Zeilen müssen korrigiert werden" in page
    assert re.search(r"<td>6</td><td>Bezirk</td><td>Unbekannter Bezirk", page)
    assert re.search(r"<td>13</td><td>Anerkannt seit</td><td>Die Anerkennung ist frühestens", page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 0
    response = post(officer, "/graves/import", {"file": (io.BytesIO(_rows(False).encode()), "graeber.csv")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 20
        assert db.session.scalar(sa.select(HonoraryGrave.term_ends_on).where(HonoraryGrave.name == "Person 00")) \
            == date(2030, 6, 1)


def test_the_public_list_holds_only_the_public_columns(app):
    clients = _people(app)
    _grave(app, term_ends_on=date(2030, 1, 1), notes="interne Notiz", decision_reference="S-1/2010")
    _grave(app, name="Beendet", term_ends_on=date(2020, 1, 1), status="ended")
    csv_text = clients["leser"].get("/graves/public.csv").get_data(as_text=True)
    assert "Theodor Fontane;30.12.1819;20.09.1898;Friedhof II;;Mitte" in csv_text
    assert "interne Notiz" not in csv_text and "S-1/2010" not in csv_text and "Beendet" not in csv_text
    sheet = load_workbook(io.BytesIO(clients["leser"].get("/graves/public.xlsx").data)).active
    assert [c.value for c in sheet[1]] == ["Name", "Geboren", "Gestorben", "Friedhof", "Grablage", "Bezirk"]
    assert sheet.max_row == 2


def test_viewers_read_the_public_parts_only(app):
    clients = _people(app)
    gid = _grave(app, term_ends_on=date(2030, 1, 1), notes="interne Notiz")
    viewer = clients["leser"]
    assert "Theodor Fontane" in _text(viewer.get("/graves/"))
    page = _text(viewer.get(f"/graves/{gid}"))
    assert "Friedhof II" in page and "interne Notiz" not in page
    for path in ("/graves/renewals", "/graves/new", "/graves/import"):
        assert viewer.get(path).status_code == 403
    assert post(viewer, f"/graves/{gid}", {**GRAVE, "version": "1"}).status_code == 403
    assert post(viewer, "/graves/batches", {}).status_code == 403
    # A manager decides but does not keep the register.
    assert clients["leitung"].get("/graves/new").status_code == 403


def _batch_with(app, clients, *terms) -> int:
    for n, term in enumerate(terms):
        _grave(app, name=f"Grab {n}", term_ends_on=term)
    response = post(clients["referent"], "/graves/batches", {})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _propose_all(app, client, batch_id: int, proposals: list[str]) -> None:
    page = _text(client.get(f"/graves/batches/{batch_id}"))
    entries = re.findall(rf"/graves/batches/{batch_id}/entries/(\d+)", page)
    assert len(entries) == len(proposals)
    for entry, proposal in zip(entries, proposals, strict=True):
        version = _version(_text(client.get(f"/graves/batches/{batch_id}")))
        assert post(client, f"/graves/batches/{batch_id}/entries/{entry}",
                    {"proposal": proposal, "reason": "Geprüft", "version": version}).status_code == 302


def test_the_renewal_list_shows_the_terms_of_the_next_18_months(app):
    clients = _people(app)
    today = today_berlin()
    _grave(app, name="Bald", term_ends_on=add_months(today, 5))
    _grave(app, name="Im Rahmen", term_ends_on=add_months(today, 18))
    _grave(app, name="Später", term_ends_on=add_months(today, 19))
    _grave(app, name="Ehrenbürger", honorary_citizen=True)
    page = _text(clients["referent"].get("/graves/renewals"))
    listed = page.split('data-testid="renewals-due"')[1].split("</table>")[0]
    assert "Bald" in listed and "Im Rahmen" in listed and "Später" not in listed and "Ehrenbürger" not in listed
    assert listed.index("Bald") < listed.index("Im Rahmen")


def test_a_batch_is_decided_at_once_and_the_terms_move_on_by_twenty_years(app):
    clients = _people(app)
    today = today_berlin()
    first, second = add_months(today, 4), add_months(today, 10)
    batch_id = _batch_with(app, clients, first, second)
    with app.app_context():
        assert {g.status for g in db.session.scalars(sa.select(HonoraryGrave))} == {"extension_pending"}
    # Nothing left to put into a second batch.
    again = post(clients["referent"], "/graves/batches", {}, follow_redirects=True)
    assert "nichts vorzulegen" in _text(again)
    officer = clients["referent"]
    # Submitting needs a proposal with its reason for every grave.
    version = _version(_text(officer.get(f"/graves/batches/{batch_id}")))
    refused = post(officer, f"/graves/batches/{batch_id}/step", {"action": "submit", "version": version},
                   follow_redirects=True)
    assert "2 Gräber brauchen noch einen Vorschlag" in _text(refused)
    _propose_all(app, officer, batch_id, ["extend", "end"])
    version = _version(_text(officer.get(f"/graves/batches/{batch_id}")))
    assert post(officer, f"/graves/batches/{batch_id}/step", {"action": "submit", "version": version}).status_code == 302
    assert officer.get(f"/graves/batches/{batch_id}/submission.pdf").data[:4] == b"%PDF"
    # The officer cannot decide; the manager can, once, with date and reference.
    assert post(officer, f"/graves/batches/{batch_id}/decision", {}).status_code == 403
    manager = clients["leitung"]
    version = _version(_text(manager.get(f"/graves/batches/{batch_id}")))
    missing = post(manager, f"/graves/batches/{batch_id}/decision", {"decision_date": "2026-12-01", "version": version},
                   follow_redirects=True)
    assert "Aktenzeichen" in _text(missing)
    decided = post(manager, f"/graves/batches/{batch_id}/decision",
                   {"decision_date": "2026-12-01", "decision_reference": "S-77/2026", "version": version})
    assert decided.status_code == 302
    with app.app_context():
        graves = {g.name: g for g in db.session.scalars(sa.select(HonoraryGrave))}
        assert graves["Grab 0"].term_ends_on == add_years(first, 20) and graves["Grab 0"].status == "recognised"
        assert graves["Grab 1"].term_ends_on == second and graves["Grab 1"].status == "ended"
        assert graves["Grab 0"].decision_reference == "S-77/2026"
        assert db.session.get(RenewalBatch, batch_id).state == "decided"
    twice = post(manager, f"/graves/batches/{batch_id}/decision",
                 {"decision_date": "2026-12-01", "decision_reference": "S-78/2026", "version": version},
                 follow_redirects=True)
    assert "inzwischen geändert" in _text(twice) or "nicht möglich" in _text(twice)
    with app.app_context():
        assert db.session.scalar(sa.select(HonoraryGrave.term_ends_on).where(HonoraryGrave.name == "Grab 0")) \
            == add_years(first, 20)


def _notifications(app, email_part: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Notification.message).join(User, User.id == Notification.user_id)
                                       .where(User.email.contains(email_part)).order_by(Notification.id)))


def test_reminders_18_and_12_months_before_a_term_ends_and_for_an_undecided_batch(app):
    _people(app)
    today = today_berlin()
    ends = add_months(today, 20)
    _grave(app, name="Fristgrab", term_ends_on=ends)
    at = lambda day: datetime.combine(day, datetime.min.time(), tzinfo=BERLIN) + timedelta(hours=9)  # noqa: E731
    sweep_reminders_twice(app, at(add_months(today, 1)))  # 19 months before: nothing yet
    assert _notifications(app, "referent") == []
    sweep_reminders_twice(app, at(add_months(today, 3)))  # 17 months before
    sweep_reminders_twice(app, at(add_months(today, 9)))  # 11 months before
    officer_messages = [m for m in _notifications(app, "referent") if "Fristgrab" in m]
    assert len(officer_messages) == 2
    with app.app_context():
        officer = db.session.scalar(sa.select(User).where(User.email == "referent@example.org"))
        with time_machine.travel(at(add_months(today, 9)), tick=False):
            renewals.start_batch(actor=officer)
        db.session.commit()
    sweep_reminders_twice(app, at(add_months(today, 16)))  # four months before the first term end
    assert [m for m in _notifications(app, "leitung") if "Sammelvorlage" in m or "Senatsbeschluss" in m] == []
    sweep_reminders_twice(app, at(add_months(today, 17)))  # three months before
    assert len([m for m in _notifications(app, "leitung") if "Fristgrab" not in m]) == 1  # once, not per sweep


def test_the_register_and_renewal_list_take_the_same_queries_at_700_and_7000_graves(app, count_queries):
    clients = _people(app)
    officer = clients["referent"]
    today = today_berlin()
    counts = []
    for total in (700, 7000):
        with app.app_context():
            existing = db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave))
            db.session.execute(sa.insert(HonoraryGrave), [
                {"name": f"Grab {n:05d}", "cemetery": f"Friedhof {n % 40}", "district": "Pankow",
                 "recognised_since": add_years(add_months(today, n % 240), -20), "term_ends_on": add_months(today, n % 240),
                 "status": "recognised", "honorary_citizen": False, "version": 1,
                 "created_at": datetime.now(BERLIN), "updated_at": datetime.now(BERLIN)}
                for n in range(existing, total)])
            db.session.commit()
        officer.get("/graves/")
        with count_queries() as register_list:
            assert officer.get("/graves/?sort=term").status_code == 200
        with count_queries() as renewal_list:
            page = _text(officer.get("/graves/renewals"))
        counts.append((len(register_list), len(renewal_list)))
        assert page.count("<tr>") > 10
    assert counts[0] == counts[1], counts


SUGGESTION = {"name": "Brigitte Mira", "born_on": "1910-04-20", "died_on": "2005-03-08",
              "honoured_for": "Schauspielerin", "cemetery": "Friedhof Heerstraße", "location": "Feld 16",
              "district": "Charlottenburg-Wilmersdorf", "suggested_by": "Ein Bürgerverein", "received_on": "2026-11-02"}


def _suggestion_page(client, sid: int) -> str:
    return _text(client.get(f"/graves/suggestions/{sid}"))


def _step(client, sid: int, action: str):
    return post(client, f"/graves/suggestions/{sid}/step",
                {"action": action, "version": _version(_suggestion_page(client, sid))}, follow_redirects=True)


def _statement(client, sid: int, **values):
    return post(client, f"/graves/suggestions/{sid}/statements",
                {"version": _version(_suggestion_page(client, sid)), "received_on": "2026-11-20", **values},
                follow_redirects=True)


def _decide(client, sid: int, **values):
    return post(client, f"/graves/suggestions/{sid}/decision",
                {"version": _version(_suggestion_page(client, sid)), "decision_date": "2026-12-01",
                 "decision_reference": "S-90/2026", **values}, follow_redirects=True)


def test_a_suggestion_goes_through_statements_to_the_senate_and_enters_the_register(app):
    clients = _people(app)
    officer, manager = clients["referent"], clients["leitung"]
    response = post(officer, "/graves/suggestions/new", SUGGESTION)
    assert response.status_code == 302
    sid = int(response.headers["Location"].rsplit("/", 1)[1])
    _step(officer, sid, "ask_departments")
    # The council is asked only once a department has spoken.
    assert "mindestens einer Senatsverwaltung" in _text(_step(officer, sid, "ask_council"))
    _statement(officer, sid, author="Senatsverwaltung für Kultur", summary="Befürwortet")
    _step(officer, sid, "ask_council")
    page = _suggestion_page(manager, sid)
    assert "Stellungnahme des Rats der Bürgermeister" in page.split('data-testid="suggestion-state"')[1][:200]
    refused = _decide(manager, sid, action="recognise")
    assert "Stellungnahme des Rats der Bürgermeister" in _text(refused)
    _statement(officer, sid, summary="Der Rat der Bürgermeister stimmt zu")
    assert post(officer, f"/graves/suggestions/{sid}/decision", {}).status_code == 403  # officers do not decide
    _decide(manager, sid, action="recognise")
    with app.app_context():
        grave = db.session.scalar(sa.select(HonoraryGrave).where(HonoraryGrave.name == "Brigitte Mira"))
        assert grave.recognised_since == date(2026, 12, 1) and grave.term_ends_on == date(2046, 12, 1)
        assert grave.decision_reference == "S-90/2026"
    assert "Eintrag im Register" in _suggestion_page(officer, sid)


def test_the_five_years_rule_is_checked_before_the_decision(app):
    clients = _people(app)
    officer, manager = clients["referent"], clients["leitung"]
    response = post(officer, "/graves/suggestions/new", {**SUGGESTION, "name": "Zu früh", "died_on": "2023-05-01"})
    sid = int(response.headers["Location"].rsplit("/", 1)[1])
    _step(officer, sid, "ask_departments")
    _statement(officer, sid, author="Senatsverwaltung für Kultur", summary="Befürwortet")
    _step(officer, sid, "ask_council")
    _statement(officer, sid, summary="Zustimmung")
    assert "frühestens fünf Jahre nach dem Tod" in _suggestion_page(officer, sid)
    refused = _decide(manager, sid, action="recognise")
    assert "frühestens fünf Jahre nach dem Tod möglich (ab 01.05.2028)" in _text(refused)
    no_reason = _decide(manager, sid, action="refuse")
    assert "Begründung" in _text(no_reason)
    _decide(manager, sid, action="refuse", comment="Fünfjahresfrist nicht abgelaufen")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 0
    assert "Nicht anerkannt" in _suggestion_page(officer, sid)


# --- the first weeks of the register: defects found in use ----------------------------------------


def test_dates_that_have_not_happened_yet_are_refused_with_the_field_named(app):
    clients = _people(app)
    officer, manager = clients["referent"], clients["leitung"]
    ahead = (today_berlin() + timedelta(days=4 * 365)).isoformat()
    for field, words in (("born_on", "Geburtsdatum liegt in der Zukunft"), ("died_on", "Sterbedatum liegt in der Zukunft"),
                         ("recognised_since", "Anerkennung kann nicht nach heute"),
                         ("decision_date", "Datum des Senatsbeschlusses liegt in der Zukunft")):
        refused = post(officer, "/graves/new", {**GRAVE, field: ahead})
        assert refused.status_code == 200 and words in _text(refused), field
    # A suggestion: a Senate decision dated ahead would get round the five-years rule.
    response = post(officer, "/graves/suggestions/new", {**SUGGESTION, "name": "Zu früh", "died_on": "2022-05-01"})
    sid = int(response.headers["Location"].rsplit("/", 1)[1])
    _step(officer, sid, "ask_departments")
    _statement(officer, sid, author="Senatsverwaltung für Kultur", summary="Befürwortet")
    _step(officer, sid, "ask_council")
    _statement(officer, sid, summary="Zustimmung")
    refused = _decide(manager, sid, action="recognise", decision_date=ahead)
    assert "Datum des Senatsbeschlusses liegt in der Zukunft" in _text(refused)
    # A renewal batch's decision three years ahead.
    batch_id = _batch_with(app, clients, add_months(today_berlin(), 4))
    _propose_all(app, officer, batch_id, ["extend"])
    version = _version(_text(officer.get(f"/graves/batches/{batch_id}")))
    assert post(officer, f"/graves/batches/{batch_id}/step", {"action": "submit", "version": version}).status_code == 302
    version = _version(_text(manager.get(f"/graves/batches/{batch_id}")))
    refused = post(manager, f"/graves/batches/{batch_id}/decision",
                   {"decision_date": (today_berlin() + timedelta(days=3 * 365)).isoformat(),
                    "decision_reference": "S-1/2029", "version": version}, follow_redirects=True)
    assert "Datum des Senatsbeschlusses liegt in der Zukunft" in _text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 1  # the batch's own
        assert db.session.get(RenewalBatch, batch_id).state == "submitted"
        assert db.session.scalar(sa.select(HonoraryGrave.name).where(HonoraryGrave.name == "Zu früh")) is None


def test_importing_the_same_file_twice_asks_about_the_graves_already_there(app):
    officer = _people(app)["referent"]
    upload = lambda: {"file": (io.BytesIO(_rows(False).encode()), "graeber.csv")}  # noqa: E731
    assert post(officer, "/graves/import", upload(), content_type="multipart/form-data").status_code == 302
    again = post(officer, "/graves/import", upload(), content_type="multipart/form-data")
    page = _text(again)
    assert again.status_code == 200 and "20 Zeilen der Datei stehen schon im Register" in page
    assert "Zeile 2: Person 00" in page
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 20
    skipped = post(officer, "/graves/import", {"token": token, "filename": "graeber.csv", "known": "skip"},
                   follow_redirects=True)
    assert "0 Ehrengrabstätten importiert" in _text(skipped) and "20 Zeilen" in _text(skipped)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 20
    # Asked again and told to add them: the office wanted them twice.
    page = _text(post(officer, "/graves/import", upload(), content_type="multipart/form-data"))
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    assert post(officer, "/graves/import", {"token": token, "filename": "graeber.csv", "known": "add"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HonoraryGrave)) == 40


def test_a_viewer_sees_that_a_recognition_has_ended(app):
    clients = _people(app)
    _grave(app, name="Noch geehrt", term_ends_on=date(2040, 1, 1))
    ended = _grave(app, name="Nicht mehr geehrt", term_ends_on=date(2020, 1, 1), status="ended")
    page = _text(clients["leser"].get("/graves/"))
    row = page.split("Nicht mehr geehrt")[1].split("</tr>")[0]
    assert "Anerkennung beendet" in row
    assert "Anerkennung beendet" not in page.split("Noch geehrt")[1].split("</tr>")[0]
    assert "Die Anerkennung als Ehrengrabstätte" in _text(clients["leser"].get(f"/graves/{ended}"))


def test_the_batch_page_shows_why_it_cannot_be_submitted_yet(app):
    clients = _people(app)
    batch_id = _batch_with(app, clients, add_months(today_berlin(), 4))
    page = _text(clients["referent"].get(f"/graves/batches/{batch_id}"))
    blocked = page.split('data-testid="blocked-steps"')[1].split("</ul>")[0]
    assert "Dem Senat vorlegen" in blocked and "disabled" in blocked
    assert "1 Grab braucht noch einen Vorschlag mit Begründung" in blocked


def test_english_readers_get_the_columns_and_dates_in_english(app):
    officer = _people(app)["referent"]
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == "referent@example.org")).locale = "en"
        db.session.commit()
    response = post(officer, "/graves/import", {"file": (io.BytesIO(_rows(True).encode()), "graeber.csv")},
                    content_type="multipart/form-data")
    page = _text(response)
    assert re.search(r"<td>6</td><td>District</td>", page) and re.search(r"<td>13</td><td>Recognised since</td>", page)
    early = post(officer, "/graves/new", {**GRAVE, "recognised_since": "2005-01-01"})
    assert "(from 1 Feb 2007)" in _text(early)


def test_a_graves_recognition_moves_through_the_engine_with_the_batch(app):
    from protocol_app.core.workflow import TransitionLog

    clients = _people(app)
    batch_id = _batch_with(app, clients, add_months(today_berlin(), 4), add_months(today_berlin(), 6))
    _propose_all(app, clients["referent"], batch_id, ["extend", "end"])
    officer, manager = clients["referent"], clients["leitung"]
    version = _version(_text(officer.get(f"/graves/batches/{batch_id}")))
    post(officer, f"/graves/batches/{batch_id}/step", {"action": "submit", "version": version})
    version = _version(_text(manager.get(f"/graves/batches/{batch_id}")))
    post(manager, f"/graves/batches/{batch_id}/decision",
         {"decision_date": today_berlin().isoformat(), "decision_reference": "S-5/2026", "version": version})
    with app.app_context():
        steps = db.session.execute(sa.select(TransitionLog.action, TransitionLog.to_state, User.email)
                                   .join(User, TransitionLog.actor_id == User.id)
                                   .where(TransitionLog.workflow == "honorary_grave")
                                   .order_by(TransitionLog.id)).all()
    assert [(a, s) for a, s, _ in steps] == [("propose_renewal", "extension_pending")] * 2 + [
        ("extend", "recognised"), ("end", "ended")]
    assert {e for *_, e in steps[:2]} == {"referent@example.org"} and {e for *_, e in steps[2:]} == {
        "leitung@example.org"}
