"""Emigrant programme, first parts: applications only the team sees (every read and every
refusal logged), the duplicate and eligibility check against earlier applicants and imported
participants, and the waiting list by priority."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from protocol_app.core.errors import DomainError, ValidationFailed
from protocol_app.emigrants import duplicates, services, waiting_list
from protocol_app.emigrants.models import Application, HistoricalParticipant
from protocol_app.extensions import db
from tests.support import ensure_reference_data, login, make_user, post, sweep_reminders_twice

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def team(app):
    ensure_reference_data(app)
    make_user(app, "team@example.org", roles=["emigration"], name="Emil Team")
    make_user(app, "team2@example.org", roles=["emigration"], name="Erika Team")
    client = app.test_client()
    login(client, "team@example.org")
    return client


def _user(email):
    from protocol_app.auth.models import User

    return db.session.scalar(sa.select(User).where(User.email == email))


def _values(**overrides):
    values = {"category": "emigrant", "name": "Ruth Schwarz", "birth_name": "Ruth Weiß",
              "birth_date": date(1931, 4, 2), "birth_place": "Berlin", "address": "12 Herzl St, Haifa",
              "country_code": "IL", "language": "en", "declaration_signed": True,
              "companion_name": "David Schwarz", "companion_relation": "son", "companion_birth_date": date(1960, 1, 1),
              "needs_medical": "Rollator"}
    values.update(overrides)
    return values


def _form(**overrides):
    data = {"category": "emigrant", "name": "Ruth Schwarz", "birth_name": "Ruth Weiß", "birth_date": "1931-04-02",
            "address": "12 Herzl St, Haifa", "country_code": "IL", "language": "en", "declaration_signed": "y",
            "berlin_born_or_resident": "", "persecuted_or_forced_labour": "", "not_visited_before": ""}
    data.update(overrides)
    return data


def test_only_the_team_sees_anything_and_every_refusal_is_logged(app, team):
    post(team, "/emigrants/new", _form())
    with app.app_context():
        reference = db.session.scalar(sa.select(Application)).reference
    for role in ("officer", "manager", "admin", "viewer", "translator"):
        make_user(app, f"{role}@example.org", roles=[role])
        other = app.test_client()
        login(other, f"{role}@example.org")
        for path in ("/emigrants/", f"/emigrants/{reference}", "/emigrants/waiting-list", "/emigrants/new",
                     "/emigrants/participants/import", "/emigrants/blank-form"):
            assert other.get(path).status_code == 403, (role, path)
        assert "Emigrantenprogramm" not in other.get("/").get_data(as_text=True)
    with app.app_context():
        refused = db.session.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'emigrants.access_refused'")).scalar()
    assert refused == 5 * 6


def test_every_read_of_an_application_is_logged_without_personal_data_in_the_log(app, team):
    post(team, "/emigrants/new", _form())
    with app.app_context():
        reference = db.session.scalar(sa.select(Application)).reference
    team.get(f"/emigrants/{reference}")
    team.get(f"/emigrants/{reference}")
    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT action, summary, changes FROM audit_events WHERE object_type = 'emigrant_applications'")).all()
    assert [r.action for r in rows].count("application.read") == 2
    assert not any("Schwarz" in f"{r.summary}{r.changes}" or "Rollator" in f"{r.changes}" for r in rows)


def test_bad_applications_are_refused_in_german_and_nothing_is_stored(app, team):
    without = post(team, "/emigrants/new", _form(declaration_signed=""))
    assert "braucht die unterschriebene Erklärung" in without.get_data(as_text=True)
    future = post(team, "/emigrants/new", _form(companion_name="X", companion_birth_date="2090-01-01"))
    assert "Das Geburtsdatum der Begleitperson muss in der Vergangenheit liegen." in future.get_data(as_text=True)
    language = post(team, "/emigrants/new", _form(language="qq"))
    assert "Bitte wählen Sie die Sprache aus der Liste." in language.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def _import(team, rows: list[str]):
    data = ("\ufeff" + "\n".join(["Name;Geburtsname;Geburtsdatum;Geburtsjahr;Besuchsjahr;Land", *rows]) + "\n")
    page = "/emigrants/participants/import"
    return post(team, page, {"file": (io.BytesIO(data.encode()), "teilnehmer.csv")},
                content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def test_importing_historical_participants_is_all_or_nothing(app, team):
    rows = [f"Gast {i};;;1925;1985;US" for i in range(200)]
    rows[17] = "Gast 17;;31.13.1925;;1985;US"
    rows[99] = "Gast 99;;;;1985;XX"
    broken = _import(team, rows)
    assert "Nichts wurde importiert." in broken and "<td>19</td>" in broken and "<td>101</td>" in broken
    assert "Bitte das Datum als TT.MM.JJJJ eingeben." in broken and "Unbekannter Ländercode „XX“" in broken
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(HistoricalParticipant.id))) == 0
    assert "3 historische Teilnehmende importiert." in _import(team, [
        "Ruth Shvarts;Rut Vais;02.04.1931;1931;1989;IL", "Hans Schwarz;;;1931;1990;DE", "Miriam Cohen;;;1931;1975;US"])


def test_the_duplicate_check_finds_transliterated_names_and_needs_reasoned_decisions(app, team):
    _import(team, ["Ruth Shvarts;Rut Vais;02.04.1931;1931;1989;IL", "Miriam Cohen;;;1931;1975;US"])
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        earlier = services.create_application(actor=actor, values=_values(name="Ruth Schwartz", birth_name=None))
        application = services.create_application(actor=actor, values=_values())
        matches = duplicates.possible_duplicates(application)
        found = {(m.kind, m.name) for m in matches}
        assert ("participant", "Ruth Shvarts") in found and ("application", "Ruth Schwartz") in found
        assert not any(m.name == "Miriam Cohen" for m in matches)
        with pytest.raises(ValidationFailed, match="Grund"):
            duplicates.decide_duplicate(application, actor=actor, kind="participant", match_id=matches[0].id,
                                      same_person=False, reason=" ")
        application.berlin_born_or_resident = application.persecuted_or_forced_labour = True
        application.not_visited_before = True
        from protocol_app.core.errors import NotAllowed

        with pytest.raises(NotAllowed, match="Duplikat"):
            services.move(application, "check", actor=actor)
        for match in matches:
            duplicates.decide_duplicate(application, actor=actor, kind=match.kind, match_id=match.id,
                                      same_person=False, reason="Anderer Geburtsort laut Urkunde")
        services.move(application, "check", actor=actor)
        assert application.state == "checked" and earlier.state == "received"


def test_the_waiting_list_puts_the_oldest_ill_and_hardship_cases_first_with_reasons(app, team):
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        made = {}
        for name, born, health, hardship in (("Jung", date(1944, 1, 1), False, False),
                                             ("Alt", date(1927, 1, 1), False, False),
                                             ("Krank", date(1940, 1, 1), True, False),
                                             ("Härtefall", date(1944, 6, 1), False, True)):
            application = services.create_application(actor=actor, values=_values(
                name=name, birth_date=born, health_flag=health, hardship_flag=hardship))
            application.state = "waiting"  # the process itself is tested above
            made[name] = application
        db.session.flush()
        order = [a.name for a, _score, _why in waiting_list.waiting_list()]
        assert order == ["Alt", "Krank", "Härtefall", "Jung"]  # 99 y: 38 points; 86 y ill: 12+20; hardship 15
        with pytest.raises(ValidationFailed, match="Grund"):
            waiting_list.set_override(made["Jung"], actor=actor, points=100, reason="")
        waiting_list.set_override(made["Jung"], actor=actor, points=100, reason="Letzte Gelegenheit vor Umzug ins Heim")
        rows = waiting_list.waiting_list()
        assert rows[0][0].name == "Jung" and "Letzte Gelegenheit" in str(rows[0][2][0])
        db.session.commit()
    table = team.get("/emigrants/waiting-list").get_data(as_text=True).split('data-testid="waiting-list"')[1]
    assert table.index(">Jung<") < table.index(">Alt<")


def test_the_blank_form_prints_in_german_and_english(app, team):
    assert "Antrag auf einen Besuch in Berlin" in team.get("/emigrants/blank-form").get_data(as_text=True)
    english = team.get("/emigrants/blank-form?lang=en").get_data(as_text=True)
    assert "Application for a visit to Berlin at the invitation of the Senate" in english


def test_the_duplicate_check_keeps_its_query_count_as_the_participants_grow(app, team, count_queries):
    def grow(n: int) -> int:
        with time_machine.travel(NOW, tick=False), app.app_context():
            db.session.execute(sa.insert(HistoricalParticipant), [
                {"name": f"Gast {n}-{i}", "birth_year": 1931, "visit_year": 1980} for i in range(n)])
            application = services.create_application(actor=_user("team@example.org"),
                                                      values=_values(name=f"Neu {n}"))
            db.session.commit()
            return application.id

    def measure(application_id):
        with app.app_context():
            application = db.session.get(Application, application_id)
            with count_queries() as statements:
                duplicates.possible_duplicates(application)
            return len(statements)

    assert measure(grow(5)) == measure(grow(300))


def test_the_subject_access_export_holds_every_piece_and_no_table_is_forgotten(app, team):
    import json
    import zipfile

    from protocol_app.emigrants import subject_access

    _import(team, ["Ruth Shvarts;Rut Vais;02.04.1931;1931;1989;IL"])
    post(team, "/emigrants/new", _form(contact_name="Tamar Levi", needs_medical="Rollator",
                                       companion_name="David Schwarz"))
    with app.app_context():
        application = db.session.scalar(sa.select(Application))
        reference, match = application.reference, duplicates.possible_duplicates(application)[0]
    page = f"/emigrants/{reference}"
    post(team, f"{page}/duplicates/{match.kind}/{match.id}", {"verdict": "different", "reason": "Andere Eltern"})
    assert team.get(page).status_code == 200  # the team read the case: the export lists that read too
    response = team.get(f"{page}/subject-access.zip")
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("daten.json"))
    summary = archive.read("zusammenfassung.html").decode()
    for piece in ("Ruth Schwarz", "Tamar Levi", "Rollator", "David Schwarz", "Andere Eltern"):
        assert piece in summary and piece in json.dumps(data, ensure_ascii=False), piece
    assert any(e["action"] == "application.read" for e in data["audit_events"])
    # The schema walk: every table of the module, and every table pointing at an application, is exported.
    with app.app_context():
        module_tables = {t.name for t in db.metadata.sorted_tables if t.name.startswith("emigrant_")}
        referring = {t.name for t in subject_access.referring_tables()}
    expected = (module_tables | referring) - subject_access.NOT_ABOUT_THE_APPLICANT
    assert expected <= set(data), expected - set(data)


def test_consent_to_the_magazine_is_dated_can_be_withdrawn_and_drives_the_mailing_list(app, team):
    from openpyxl import load_workbook

    from protocol_app.emigrants import retention

    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        yes = services.create_application(actor=actor, values=_values(name="Zustimmung"))
        no = services.create_application(actor=actor, values=_values(name="Widerruf", birth_date=date(1930, 1, 1)))
        for application in (yes, no):
            application.state = "visited"  # the process itself is tested above
            retention.set_mailing_consent(application, actor=actor, consent=True)
        retention.set_mailing_consent(no, actor=actor, consent=False)
        assert yes.mailing_consent_at is not None and no.mailing_withdrawn_at is not None
        db.session.commit()
    sheet = load_workbook(io.BytesIO(team.get("/emigrants/alumni.xlsx").data)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Zustimmung"]
    assert sheet["B2"].value == "12 Herzl St, Haifa"


def test_retention_erases_health_notes_then_the_whole_case_leaving_only_statistics(app, team):
    from protocol_app.core.workflow import TransitionLog
    from protocol_app.emigrants.models import AnonymousStatistic

    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        application = services.create_application(actor=actor, values=_values())
        from protocol_app.emigrants import letters

        letter_path = letters.generate(application, "invitation", actor=actor).file.path
        services.move(application, "reject", actor=actor, comment="Keine Verbindung zu Berlin belegt (Haifa)")
        application_id, ended = application.id, application.ended_at
        assert ended is not None
        db.session.commit()
    sweep_reminders_twice(app, datetime(2028, 11, 19, 9, 0, tzinfo=UTC))  # two years less a day
    with app.app_context():
        assert db.session.get(Application, application_id).needs_medical == "Rollator"
    sweep_reminders_twice(app, datetime(2028, 11, 21, 9, 0, tzinfo=UTC))
    with app.app_context():
        kept = db.session.get(Application, application_id)
        assert kept.needs_medical is None and kept.companion_needs is None and kept.name == "Ruth Schwarz"
    sweep_reminders_twice(app, datetime(2036, 11, 20, 9, 0, tzinfo=UTC))  # ten years on
    with app.app_context():
        assert db.session.get(Application, application_id) is None
        assert not letter_path.exists()  # the letter's file is gone from the disk too
        assert db.session.scalar(sa.select(sa.func.count(TransitionLog.id)).where(
            TransitionLog.workflow == "application")) == 0
        stats = db.session.scalars(sa.select(AnonymousStatistic)).all()
        assert [(s.year, s.category, s.country_code, s.outcome) for s in stats] == [(2026, "emigrant", "IL", "rejected")]
        audit = db.session.execute(sa.text(
            "SELECT action, summary, changes FROM audit_events WHERE action LIKE 'application.%erased'")).all()
        assert {a.action for a in audit} == {"application.health_erased", "application.erased"}
        assert not any("Schwarz" in f"{a.summary}{a.changes}" or "Rollator" in f"{a.changes}" for a in audit)


def test_letters_follow_the_applicants_language_fall_back_to_english_and_are_kept_with_the_case(app, team):
    import json
    import zipfile

    from pypdf import PdfReader

    post(team, "/emigrants/new", _form(name="Ruth Schwarz", language="de"))
    post(team, "/emigrants/new", _form(name="Sarah Levy", birth_date="1932-05-05", language="he"))
    with app.app_context():
        refs = {a.name: a.reference for a in db.session.scalars(sa.select(Application))}
    texts = {}
    for name, reference in refs.items():
        page = f"/emigrants/{reference}"
        post(team, f"{page}/letters/invitation", {})
        html = team.get(page).get_data(as_text=True)
        link = html.split('data-testid="letters"')[1].split('href="')[1].split('"')[0]
        texts[name] = "".join(p.extract_text() for p in PdfReader(io.BytesIO(team.get(link).data)).pages)
    assert "Guten Tag Ruth Schwarz" in texts["Ruth Schwarz"]  # nothing known of her form: by name, no "/r"
    assert "Dear Sarah Levy" in texts["Sarah Levy"]  # no Hebrew template: English
    archive = zipfile.ZipFile(io.BytesIO(team.get(f"/emigrants/{refs['Sarah Levy']}/subject-access.zip").data))
    assert any(name.startswith("dokumente/") and name.endswith(".pdf") for name in archive.namelist())
    assert json.loads(archive.read("daten.json"))["emigrant_letters"][0]["language"] == "en"


def test_admins_keep_the_letter_templates(app, team):
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    from protocol_app.emigrants.models import LetterTemplate

    with app.app_context():
        template_id = db.session.scalar(sa.select(LetterTemplate.id).where(
            LetterTemplate.kind == "invitation", LetterTemplate.language == "en"))
    page = f"/emigrants/letter-templates/{template_id}"
    post(admin, page, {"kind": "invitation", "language": "en", "subject": "A warm invitation",
                       "body": "Dear {name}, welcome ({reference})."})
    post(team, "/emigrants/new", _form(language="en"))
    with app.app_context():
        reference = db.session.scalar(sa.select(Application)).reference
    detail = f"/emigrants/{reference}"
    post(team, f"{detail}/letters/invitation", {})
    with app.app_context():
        from pypdf import PdfReader

        from protocol_app.emigrants.models import GeneratedLetter

        letter = db.session.scalar(sa.select(GeneratedLetter))
        text = "".join(p.extract_text() for p in PdfReader(letter.file.path).pages)
    assert "A warm invitation" in text and f"Dear Ruth Schwarz, welcome ({reference})." in text
    assert team.get("/emigrants/letter-templates").status_code == 403  # the team does not edit wording


def test_planning_the_stay_and_travel_against_the_budget(app, team):
    from decimal import Decimal

    from protocol_app.emigrants import planning

    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    post(admin, "/emigrants/budget", {"year": "2027", "amount": "3000.00"})
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        application = services.create_application(actor=actor, values=_values(companion_birth_date=date(1960, 1, 1)))
        with pytest.raises(DomainError, match="Nur der Besuch"):
            planning.save_plan(application, actor=actor, arrives_on=date(2027, 5, 3))
        application.state = "invited"  # the process itself is tested above
        plan = planning.save_plan(application, actor=actor, arrives_on=date(2027, 5, 3), hotel="Hotel am Park",
                                  hotel_cost=Decimal("1400"), volunteer="Frau Ehrenamt")
        assert plan.departs_on == date(2027, 5, 10)  # a week
        planning.add_booking(application, actor=actor, traveller="guest", mode="flight", carrier="El Al",
                             number="LY 2371", departs_at=datetime(2027, 5, 3, 6, 0, tzinfo=UTC),
                             arrives_at=datetime(2027, 5, 3, 10, 0, tzinfo=UTC), booking_code="X7Q2", cost=Decimal("900"))
        with pytest.raises(ValidationFailed, match="Budget"):
            planning.add_booking(application, actor=actor, traveller="companion", mode="flight", carrier="El Al",
                                 departs_at=datetime(2027, 5, 3, 6, 0, tzinfo=UTC),
                                 arrives_at=datetime(2027, 5, 3, 10, 0, tzinfo=UTC), cost=Decimal("900"))
        assert len(planning.bookings_of(application)) == 1  # refused: nothing stored
        planning.add_booking(application, actor=actor, traveller="companion", mode="flight", carrier="El Al",
                             departs_at=datetime(2027, 5, 3, 6, 0, tzinfo=UTC),
                             arrives_at=datetime(2027, 5, 3, 10, 0, tzinfo=UTC), cost=Decimal("900"),
                             overrun_reason="Rollstuhlplatz nur in dieser Maschine")
        status = planning.budget_status(2027)
        assert (status.committed, status.spent, status.left) == (Decimal("3200"), Decimal("0"), Decimal("-200"))
        db.session.commit()
    page = team.get("/emigrants/budget?year=2027").get_data(as_text=True)
    assert "3.200,00\u00a0€" in page and "-200,00\u00a0€" in page  # money as German readers write it
    assert post(team, "/emigrants/budget", {"year": "2027", "amount": "9"}).status_code == 403


def test_statistics_count_applications_visits_and_costs_with_history_and_erased_cases(app, team):
    from decimal import Decimal

    from openpyxl import load_workbook

    from protocol_app.emigrants import planning
    from protocol_app.emigrants.models import AnonymousStatistic

    _import(team, ["Alt Gast;;;1925;2026;IL", "Noch Einer;;;1926;2026;US"])
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        visited = services.create_application(actor=actor, values=_values(name="Besucht"))
        visited.state = "invited"  # the process itself is tested above
        planning.save_plan(visited, actor=actor, arrives_on=date(2027, 5, 3), hotel_cost=Decimal("1200"))
        visited.state = "visited"
        services.create_application(actor=actor, values=_values(name="Wartet", birth_date=date(1933, 1, 1)))
        db.session.add(AnonymousStatistic(year=2026, category="emigrant", country_code="IL", outcome="closed"))
        db.session.commit()
    page = team.get("/emigrants/statistics?from=2026&to=2026").get_data(as_text=True)
    assert 'data-testid="chart"' in page
    sheet = load_workbook(io.BytesIO(team.get("/emigrants/statistics.xlsx?from=2026&to=2026").data)).active
    rows = {(r[1], r[2]): r[3:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    # Two applications from Israel plus one erased case; two visits (one now, one erased); costs of the stay.
    # Categories and countries in words, as the team reads them.
    emigrant = "Ehemalige/r Berliner/in, im Nationalsozialismus verfolgt"
    assert rows[(emigrant, "Israel")] == (3, 2, 1200)
    assert rows[("Historische Teilnehmende", "Israel")] == (0, 1, 0)
    assert rows[("Historische Teilnehmende", "Vereinigte Staaten")] == (0, 1, 0)


def test_reminders_for_unanswered_invitations_and_missing_bookings_go_to_the_team_without_names(app, team):
    from decimal import Decimal

    from protocol_app.core.notifications.models import Notification, OutboxMail
    from protocol_app.emigrants import planning

    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        silent = services.create_application(actor=actor, values=_values(name="Schweigt"))
        silent.state = "waiting"  # the earlier steps are tested above
        services.move(silent, "invite", actor=actor)
        travelling = services.create_application(actor=actor, values=_values(name="Reist",
                                                                             birth_date=date(1930, 2, 2)))
        travelling.state = "invited"
        planning.save_plan(travelling, actor=actor, arrives_on=date(2026, 12, 20), hotel_cost=Decimal("800"))
        planning.add_booking(travelling, actor=actor, traveller="guest", mode="flight", carrier="El Al",
                             departs_at=datetime(2026, 12, 20, 6, 0, tzinfo=UTC),
                             arrives_at=datetime(2026, 12, 20, 10, 0, tzinfo=UTC), cost=Decimal("500"))
        travelling.state = "confirmed"
        db.session.commit()
        refs = (silent.reference, travelling.reference)

    def told(email, fragment):
        with app.app_context():
            return [m for m in db.session.scalars(sa.select(Notification.message).where(
                Notification.user_id == _user(email).id)) if fragment in m]

    sweep_reminders_twice(app, datetime(2026, 12, 19, 9, 0, tzinfo=UTC))  # 29 days after the invitation
    assert told("team@example.org", "Einladung") == []
    assert len(told("team@example.org", "nicht vollständig gebucht")) == 1  # the companion has no flight
    sweep_reminders_twice(app, datetime(2026, 12, 21, 9, 0, tzinfo=UTC))
    assert told("team2@example.org", "keine Antwort auf die Einladung") == [
        f"Antrag {refs[0]}: seit 30 Tagen keine Antwort auf die Einladung."]
    with app.app_context():
        mails = [m.subject + m.body_text for m in db.session.scalars(sa.select(OutboxMail))]
    assert mails and not any("Schweigt" in m or "Reist" in m or "Rollator" in m for m in mails)


def test_statistics_before_the_programme_began_are_refused_with_a_message(app, team):
    page = team.get("/emigrants/statistics?from=1950&to=1960").get_data(as_text=True)
    assert "Bitte einen Zeitraum von 1969 bis 2100 angeben" in page


def test_a_withdrawn_guest_releases_the_budget_and_a_visit_takes_place_only_from_the_arrival_day(app, team):
    from decimal import Decimal

    from protocol_app.core.errors import NotAllowed
    from protocol_app.emigrants import planning

    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        leaving, coming = (services.create_application(actor=actor, values=_values(name=name))
                           for name in ("Zieht Zurück", "Kommt An"))
        for application, cost in ((leaving, "1400"), (coming, "1000")):
            application.state = "invited"  # the process itself is tested above
            planning.save_plan(application, actor=actor, arrives_on=date(2027, 5, 3), hotel_cost=Decimal(cost))
        assert planning.budget_status(2027).committed == Decimal("2400")
        services.move(leaving, "withdraw", actor=actor, comment="Gesundheitlich verhindert")
        assert planning.budget_status(2027).committed == Decimal("1000")  # her planned costs are free again
        coming.state = "travel_booked"
        with pytest.raises(NotAllowed, match="ab dem Anreisetag"):
            services.move(coming, "mark_visited", actor=actor)
        db.session.commit()
        coming_id = coming.id
    with time_machine.travel(datetime(2027, 5, 3, 12, 0, tzinfo=UTC), tick=False), app.app_context():
        coming = db.session.get(Application, coming_id)
        services.move(coming, "mark_visited", actor=_user("team@example.org"))
        status = planning.budget_status(2027)
        assert (status.committed, status.spent) == (Decimal("1000"), Decimal("1000"))


@pytest.mark.parametrize("earlier, kind", [
    (("Ruth Schwarz", None, "02.04.1932", 1932), "participant"),        # born a year later on the card
    (("Ruth Schwarz", None, "04.02.1931", 1931), "participant"),        # day and month swapped
    (("Ruth Schwarz", None, "03.04.1931", 1931), "participant"),        # a day apart
    (("Ruth Schwarz", None, "", 1931), "participant"),                  # the year only
    (("Rut Shvarts", None, "02.04.1931", 1931), "participant"),         # transliterated
    (("Ruth Cohen", "Ruth Weiß", "02.04.1931", 1931), "participant"),   # married name, maiden name as hers
])
def test_the_duplicate_check_finds_the_same_person_written_differently(app, team, earlier, kind):
    name, birth_name, born, year = earlier
    _import(team, [f"{name};{birth_name or ''};{born};{year};1989;IL"])
    with time_machine.travel(NOW, tick=False), app.app_context():
        application = services.create_application(actor=_user("team@example.org"), values=_values())
        assert [(m.kind, m.name) for m in duplicates.possible_duplicates(application)] == [(kind, name)]


def test_the_duplicate_check_finds_given_name_variants_among_earlier_applicants(app, team):
    with time_machine.travel(NOW, tick=False), app.app_context():
        actor = _user("team@example.org")
        for name, born in (("Charlotte Müller", date(1931, 4, 2)), ("Johannes Schmitt", date(1930, 1, 5)),
                           ("Moses Levandovsky", date(1929, 7, 7))):
            services.create_application(actor=actor, values=_values(name=name, birth_name=None, birth_date=born))
        for name, born, expected in (("Lotte Mueller", date(1932, 4, 2), "Charlotte Müller"),
                                     ("Hans Schmidt", date(1930, 5, 1), "Johannes Schmitt"),
                                     ("Mosche Lewandowski", date(1929, 7, 8), "Moses Levandovsky")):
            application = services.create_application(actor=actor, values=_values(name=name, birth_name=None,
                                                                                   birth_date=born))
            assert [m.name for m in duplicates.possible_duplicates(application)] == [expected], name


def test_different_people_of_one_family_or_one_name_are_not_taken_for_each_other(app, team):
    _import(team, ["Eva Schwarz;;02.04.1931;1931;1989;IL",      # her sister, born the same day
                   "Ruth Klein;;02.04.1931;1931;1989;IL",       # another Ruth
                   "Ruth Schwarz;;02.04.1936;1936;1989;IL"])    # a namesake five years younger
    with time_machine.travel(NOW, tick=False), app.app_context():
        application = services.create_application(actor=_user("team@example.org"),
                                                  values=_values(birth_name=None))
        assert duplicates.possible_duplicates(application) == []
