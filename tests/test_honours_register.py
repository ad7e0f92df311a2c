"""Registers of holders: importing earlier holders with a preview (all or nothing),
deaths and revocations, and the quota dashboard."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from openpyxl import load_workbook

from protocol_app.extensions import db
from protocol_app.honours import services
from protocol_app.honours.models import Holder
from tests.honours_support import award, case_values, proposed_case, setup_people, user
from tests.support import login, post

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def officer(app):
    setup_people(app)
    client = app.test_client()
    login(client, "autorin@example.org")
    with app.app_context():
        client.order_id = award().id
    return client


def _csv(rows) -> bytes:
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def _upload(client, data, name="register.csv"):
    page = f"/honours/award-types/{client.order_id}/holders/import"
    return post(client, page, {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data").get_data(as_text=True)


def _holders(app):
    with app.app_context():
        return {h.name: h for h in db.session.scalars(sa.select(Holder))}


HEADER = "Name;Verliehen am;Nummer;Geburtsdatum;Geschlecht;Verstorben am"


def test_earlier_holders_are_previewed_then_imported_on_confirmation(app, officer):
    preview = _upload(officer, _csv([HEADER, "Erika Erste;01.10.1990;1;12.03.1930;w;04.05.2010",
                                     "Max Zweiter;01.10.1991;2;;m;", "Ohne Nummer;01.10.2001;;;;"]))
    assert 'data-testid="import-preview"' in preview and "3 Zeilen sind korrekt." in preview
    assert _holders(app) == {}  # nothing before the confirmation
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
    page = f"/honours/award-types/{officer.order_id}/holders/import"
    done = post(officer, page, {"token": token, "filename": "register.csv"},
                follow_redirects=True).get_data(as_text=True)
    assert "3 Trägerinnen und Träger importiert." in done
    holders = _holders(app)
    assert (holders["Erika Erste"].number, holders["Erika Erste"].died_on) == (1, date(2010, 5, 4))
    assert holders["Ohne Nummer"].number == 3  # the next free number
    again = post(officer, page, {"token": token, "filename": "register.csv"},
                 follow_redirects=True).get_data(as_text=True)
    assert "Die Vorschau ist abgelaufen" in again and len(_holders(app)) == 3


def test_a_bad_date_in_row_731_stops_the_whole_import(app, officer):
    rows = [HEADER] + [f"Träger {i};01.10.2000;{i};;w;" for i in range(1, 801)]
    rows[730] = "Träger 730;31.02.2000;730;;w;"  # data row 730 is row 731 of the file
    page = _upload(officer, _csv(rows))
    assert "Nichts wurde importiert." in page and "<td>731</td>" in page
    assert "Bitte das Datum als TT.MM.JJJJ eingeben." in page
    assert _holders(app) == {}


def test_duplicate_numbers_and_impossible_dates_are_named_by_row(app, officer):
    with app.app_context():
        services.add_holder(award(), actor=user("autorin@example.org"), name="Schon da", awarded_on=date(1999, 10, 1),
                            number=5)
        db.session.commit()
    page = _upload(officer, _csv([HEADER, "A;01.10.2000;5;;;", "B;01.10.2000;6;;;", "C;01.10.2000;6;;;",
                                  "D;01.10.2090;;;;", "E;01.10.2000;;01.01.1950;x;01.01.1940"]))
    for fragment in ("Nummer 5 ist im Register bereits vergeben.", "Nummer 6 steht schon in Zeile 3.",
                     "Das Datum liegt in der Zukunft.", "Geschlecht „x“ ist unbekannt",
                     "Das Sterbedatum liegt vor dem Geburtsdatum."):
        assert fragment in page, fragment
    assert set(_holders(app)) == {"Schon da"}


def test_the_template_downloads_with_the_import_columns(officer):
    sheet = load_workbook(io.BytesIO(officer.get("/honours/holders-template.xlsx").data)).active
    assert [c.value for c in sheet[1]] == HEADER.split(";")


def test_deaths_and_revocations_change_the_living_count_on_the_quota_dashboard(app, officer):
    with time_machine.travel(NOW, tick=False), app.app_context():
        author = user("autorin@example.org")
        for i, gender in enumerate(("f", "f", "m", "u")):
            services.add_holder(award(), actor=author, name=f"Träger {i}", gender=gender,
                                awarded_on=date(2020 + i, 10, 1))
        proposed_case()  # one case on its way
        approved = proposed_case(nominee_name="Bewilligt")
        services.record_decision(approved, actor=author, approved=True, decision_date=date(2026, 3, 1),
                                 decision_reference="S-9/2026")
        services.create_case(actor=author, values=case_values(nominee_name="Entwurf"))
        db.session.commit()
        holder_id = db.session.scalar(sa.select(Holder.id).where(Holder.name == "Träger 0"))
    with time_machine.travel(NOW, tick=False):
        login(officer, "autorin@example.org")
        row = officer.get("/honours/quotas").get_data(as_text=True).split('data-award="Verdienstorden des Landes Berlin"')[1]
        cells = re.findall(r'<td class="text-end[^"]*"[^>]*>(\d+)</td>', row.split("</tr>")[0])
        assert cells == ["4", "1", "2", "400", "395"]  # living, approved, pending, cap, room
        assert "50 %" in row  # two of the four awarded in the last ten years are women
        post(officer, f"/honours/holders/{holder_id}/death", {"died_on": "2026-02-01"})
        refused = post(officer, f"/honours/holders/{holder_id}/revoke", {"revoked_on": "2026-02-01", "reason": ""}, follow_redirects=True).get_data(as_text=True)
        assert "Bitte Datum und Grund der Aberkennung angeben." in refused
        row = officer.get("/honours/quotas").get_data(as_text=True).split('data-award="Verdienstorden des Landes Berlin"')[1]
        assert re.findall(r'<td class="text-end[^"]*"[^>]*>(\d+)</td>', row.split("</tr>")[0])[0] == "3"


def test_an_error_after_blank_lines_names_the_row_the_spreadsheet_shows(app, officer):
    # Row 1 header, row 2 a holder, rows 3 and 4 blank, row 5 the bad date.
    page = _upload(officer, _csv([HEADER, "A;01.10.2000;1;;w;", ";;;;;", "", "B;31.02.2000;2;;w;"]))
    assert "Nichts wurde importiert." in page and "<td>5</td>" in page and "<td>3</td>" not in page


def test_a_register_entry_is_corrected_with_a_reason_and_audited_without_the_name(app, officer):
    from protocol_app.core.audit import AuditEvent

    with app.app_context():
        holder = services.add_holder(award(), actor=user("autorin@example.org"), name="Erika Muster",
                                     awarded_on=date(2001, 10, 1))
        db.session.commit()
        holder_id = holder.id
    page = f"/honours/holders/{holder_id}/edit"
    form = {"name": "Erika Mustermann", "birth_date": "1950-03-12", "gender": "f", "awarded_on": "2001-10-01"}
    refused = post(officer, page, {**form, "reason": " "}).get_data(as_text=True)
    assert "Bitte den Grund der Berichtigung angeben." in refused
    assert _holders(app)["Erika Muster"].birth_date is None  # nothing changed
    later = post(officer, page, {**form, "awarded_on": "2099-10-01", "reason": "Tippfehler"}).get_data(as_text=True)
    assert "Zukunft" in later and "Erika Muster" in _holders(app)
    done = post(officer, page, {**form, "reason": "Schreibfehler im Namen laut Urkunde"}, follow_redirects=True)
    assert "Der Eintrag wurde berichtigt." in done.get_data(as_text=True)
    corrected = _holders(app)["Erika Mustermann"]
    assert (corrected.birth_date, corrected.gender) == (date(1950, 3, 12), "f")
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "holder.corrected"))
        assert event.summary == "Schreibfehler im Namen laut Urkunde"
        assert event.changes["name"] == ["…", "…"] and event.changes["gender"] == ["u", "f"]
        assert "Mustermann" not in str(event.changes)


def test_a_death_recorded_by_mistake_is_taken_back_by_an_officer(app, officer):
    with app.app_context():
        holder = services.add_holder(award(), actor=user("autorin@example.org"), name="Lebt Noch",
                                     awarded_on=date(2001, 10, 1))
        db.session.commit()
        holder_id = holder.id
    listing = f"/honours/award-types/{officer.order_id}/holders"
    page = officer.get(listing).get_data(as_text=True)
    assert 'data-confirm="Den Tod dieser Trägerin oder dieses Trägers erfassen?"' in page
    post(officer, f"/honours/holders/{holder_id}/death", {"died_on": "2025-01-01"})
    assert _holders(app)["Lebt Noch"].died_on == date(2025, 1, 1)
    refused = post(officer, f"/honours/holders/{holder_id}/death/undo", {"reason": ""}, follow_redirects=True)
    assert _holders(app)["Lebt Noch"].died_on == date(2025, 1, 1) and "Grund" in refused.get_data(as_text=True)
    post(officer, f"/honours/holders/{holder_id}/death/undo", {"reason": "Verwechslung mit Namensvetter"})
    assert _holders(app)["Lebt Noch"].died_on is None and _holders(app)["Lebt Noch"].is_living
