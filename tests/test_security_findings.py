"""Issue 13's findings, one test each: every one of them failed on the tree before the fix."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from protocol_app.core.checklists import services as checklists
from protocol_app.extensions import db
from protocol_app.honours import services as honours
from tests.honours_support import case_values, setup_people, user
from tests.support import PASSWORD, login


def test_an_honours_case_with_a_checklist_task_opens(app):
    setup_people(app)
    with app.app_context():
        case = honours.create_case(actor=user("autorin@example.org"), values=case_values())
        checklists.add_task(scope=honours.NOMINATION_PARTS.scope, subject_id=case.id, title="Akte anlegen",
                            due_on=date(2027, 1, 1), owner_id=None, actor=user("autorin@example.org"))
        db.session.commit()
        reference = case.reference
    client = app.test_client()
    login(client, "autorin@example.org")
    page = client.get(f"/honours/{reference}")
    assert page.status_code == 200
    assert "Akte anlegen" in page.get_data(as_text=True)


@pytest.mark.postgres_only
def test_sixteen_parallel_wrong_guesses_lock_the_account_across_gunicorn_workers(committing_app, tmp_path):
    from protocol_app.auth.models import User
    from protocol_app.core.audit import AuditEvent
    from tests.drill_support import Person, all_at_once
    from tests.support import make_user
    from tests.worker_support import Gunicorn

    make_user(committing_app, "ziel@example.org", roles=["officer"])
    # Rate limits out of the way: what is tested is the lockout counter itself.
    server = Gunicorn(tmp_path, overrides={"LOGIN_RATE_LIMIT_IP": "1000 per minute",
                                           "LOGIN_RATE_LIMIT_ACCOUNT": "1000 per minute"})
    try:
        guessers = [Person(server.url) for _ in range(16)]
        tokens = [g.token("/auth/login") for g in guessers]
        responses = all_at_once(
            (lambda g=g, t=t, n=n: g.post("/auth/login", {"email": "ziel@example.org", "password": f"falsch-{n}"},
                                          token=t)) for n, (g, t) in enumerate(zip(guessers, tokens, strict=True)))
        assert [r.status_code for r in responses] == [200] * 16  # the form again, never a 500
        with committing_app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == "ziel@example.org"))
            assert user.locked_until is not None
            failures = db.session.scalars(sa.select(AuditEvent.summary).where(
                AuditEvent.action == "auth.login_failed")).all()
            refused = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action == "auth.login_refused"))
            # Every guess is counted once; the fifth locks; later ones count on against the lock.
            assert len(failures) + refused == 16
            assert sum("account locked" in s for s in failures) >= 1
            assert {f"failure {n}" for n in range(1, 5)} <= set(failures)
        owner = Person(server.url)
        right = owner.post("/auth/login", {"email": "ziel@example.org", "password": PASSWORD},
                           token=owner.token("/auth/login"))
        assert right.status_code == 200  # locked: even the right password does not get in
    finally:
        server.stop()


def _wrong_login(client, address_header: str | None):
    from tests.support import csrf_token

    headers = {"X-Forwarded-For": address_header} if address_header else {}
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": "a@example.org", "password": "falsch", "csrf_token": token},
                       headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code


def test_behind_the_tls_proxy_limits_count_each_client_not_the_whole_office(tmp_path):
    from tests.conftest import build_app, migrate

    def office_app(hops):
        app = build_app(f"sqlite:///{tmp_path / f'proxy{hops}.sqlite'}", RATELIMIT_ENABLED=True,
                        LOGIN_RATE_LIMIT_IP="3 per minute", LOGIN_RATE_LIMIT_ACCOUNT="1000 per minute",
                        TRUSTED_PROXY_HOPS=hops, UPLOAD_DIR=str(tmp_path / "u"))
        migrate(app)
        return app

    behind = office_app(1).test_client()
    # Two colleagues behind the one proxy address 10.0.0.1: each has their own three attempts.
    assert [_wrong_login(behind, "192.0.2.10") for _ in range(3)] == [200] * 3
    assert _wrong_login(behind, "192.0.2.10") == 429
    assert _wrong_login(behind, "192.0.2.20") == 200
    # Without a configured proxy, a forged header is ignored: the peer address counts.
    direct = office_app(0).test_client()
    assert [_wrong_login(direct, f"198.51.100.{n}") for n in range(4)] == [200, 200, 200, 429]


def _upload(client, ref, name, data):
    import io

    from tests.support import post

    return post(client, f"/visits/{ref}/attachments", {"file": (io.BytesIO(data), name), "description": "x"}, content_type="multipart/form-data", follow_redirects=True)


def test_uploads_are_parsed_and_served_as_what_they_are(app):
    import io

    from PIL import Image

    from protocol_app.visits.models import Visit
    from tests.support import PDF, make_user
    from tests.visit_support import make_visit, reference_data

    reference_data(app)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    ref = make_visit(app, officer_id)
    client = app.test_client()
    login(client, "referent@example.org")
    refused = "Es werden nur PDF-, Word- (DOCX), PNG- und JPEG-Dateien angenommen"
    # Magic bytes alone no longer pass: a "PDF" that is HTML, a PNG header with nothing behind it.
    assert refused in _upload(client, ref, "x.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>").text
    assert refused in _upload(client, ref, "bild.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64).text
    assert refused in _upload(client, ref, "brief.docx", b"PK\x03\x04" + b"\0" * 64).text
    # A real PDF with HTML appended is a PDF: kept, and served as one, as a download.
    assert "Die Datei wurde angehängt." in _upload(client, ref, "x.html", PDF + b"<html><script>1</script>").text
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    assert "Die Datei wurde angehängt." in _upload(client, ref, "foto.jpeg", png.getvalue()).text
    with app.app_context():
        files = {a.file.original_name: a.id for a in db.session.scalar(sa.select(Visit)).attachments}
    assert sorted(files) == ["foto.png", "x.pdf"]
    download = client.get(f"/visits/{ref}/attachments/{files['x.pdf']}")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;") and "x.pdf" in download.headers[
        "Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def _crafted_xlsx(rows: int, columns: int) -> bytes:
    """A workbook whose sheet XML is written by hand: tiny on disk, huge once unpacked."""
    import io
    import zipfile

    from openpyxl import Workbook

    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
        with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            cells = b"".join(b'<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(columns))
            for n in range(1, rows + 1):
                sheet.write(b'<row r="%d">' % n + cells + b"</row>")
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.mark.parametrize("rows, columns", [(60_000, 30), (25_000, 2)])
def test_a_crafted_spreadsheet_gets_a_german_message_and_bounded_memory(app, rows, columns):
    import tracemalloc

    from protocol_app.core.errors import ValidationFailed
    from protocol_app.core.tabular_import import ImportColumn, parse_upload

    data = _crafted_xlsx(rows, columns)
    assert len(data) < 1024 * 1024  # small enough to upload
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "de"}):
        tracemalloc.start()
        with pytest.raises(ValidationFailed) as refused:
            parse_upload("gaeste.xlsx", data, [ImportColumn("name", "Name", required=True)])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("de"):
        assert "Die Datei ist zu groß für einen Import" in str(refused.value.message)
    assert peak < 64 * 1024 * 1024, peak


def test_no_working_reply_or_volunteer_link_is_readable_in_the_database(app):
    """Scan every text column of the outbox and the audit log for a token that opens something."""
    import re

    from protocol_app.core.notifications.models import OutboxMail
    from protocol_app.emigrants.volunteer import stay_for_token
    from protocol_app.events import invitations
    from protocol_app.events.guests import add_adhoc
    from tests.event_support import event_form, officer_client
    from tests.support import post

    _, client = officer_client(app)
    post(client, "/events/new", event_form())
    with app.app_context():
        from protocol_app.auth.models import User
        from protocol_app.events.models import Event

        event, actor = db.session.scalar(sa.select(Event)), db.session.scalar(sa.select(User))
        add_adhoc(event, actor=actor, name="Mit Mail").email = "gast@example.org"
        tokens = invitations.send_invitations(event, actor=actor)
        db.session.commit()
        (token,) = tokens.values()
        assert invitations.guest_for_token(token) is not None  # the mailed link works
        mail = db.session.scalar(sa.select(OutboxMail))
        assert token in mail.body_text  # the worker can still build the mail …
        raw = db.session.execute(sa.text("SELECT * FROM outbox_mails")).mappings().all()
        raw += db.session.execute(sa.text("SELECT * FROM audit_events")).mappings().all()
        words = {w for row in raw for value in row.values() if isinstance(value, str)
                 for w in re.findall(r"[\w-]{20,}", value)}
        assert token not in words  # … but the database holds it only encrypted
        assert all(invitations.guest_for_token(w) is None and stay_for_token(w) is None for w in words)


#: Routes of the honours area that show no case (award types, registers of holders, quotas, figures).
HONOURS_ROUTES_WITHOUT_CASES = {
    "honours.award_types_list", "honours.award_types_new", "honours.award_types_edit", "honours.new",
    "honours.quotas", "honours.holders", "honours.holders_import", "honours.holders_template", "honours.report",
    "honours.report_export", "honours.award_type_steps", "honours.holder_edit",
}


def _audit_since(app, last_id):
    from protocol_app.core.audit import AuditEvent

    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > last_id)).all()


def _last_audit_id(app):
    from protocol_app.core.audit import AuditEvent

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def _walk_and_assert_logged(app, client, prefix, params, record_id, reference, skip):
    walked = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefix) or "GET" not in rule.methods or rule.endpoint in skip:
            continue
        assert set(rule.arguments) <= set(params), f"{rule.endpoint}: give the walk a value for {rule.arguments}"
        url = rule.build({k: params[k] for k in rule.arguments}, append_unknown=False)[1]
        before = _last_audit_id(app)
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code != 200:
            continue  # nothing of the record was shown (refused or sent elsewhere)
        entries = _audit_since(app, before)
        assert any((e.object_id == str(record_id) and e.action.endswith(".read"))
                   or (e.summary and reference in e.summary and e.action.endswith(("list_read", "export")))
                   for e in entries), f"{url} showed {reference} without logging it"
        walked.append(rule.endpoint)
    return walked


def _case_for_the_walk(suggester: str, *, approved: bool):
    from protocol_app.core.record_parts import attach_file
    from tests.support import PDF

    author = user("autorin@example.org")
    case = honours.create_case(actor=author, values=case_values(suggested_by=suggester))
    attachment = attach_file(honours.NOMINATION_PARTS, case, actor=author, filename="lebenslauf.pdf", data=PDF)
    task = checklists.add_task(scope=honours.NOMINATION_PARTS.scope, subject_id=case.id, title="Akte",
                               due_on=date(2027, 1, 1), owner_id=None, actor=author)
    honours.add_merit(case, actor=author, description="Ausstellung", date_from=date(2023, 3, 1),
                      date_to=date(2024, 6, 30))
    honours.submit(case, actor=author)
    honours.start_review(case, actor=user("pruefer@example.org"))
    honours.forward(case, actor=user("pruefer@example.org"))
    honours.approve_step(case, actor=user("referatsleitung@example.org"))
    if approved:
        honours.approve_step(case, actor=user("abteilungsleitung@example.org"))
        honours.record_decision(case, actor=user("pruefer@example.org"), approved=True,
                                decision_date=date(2026, 11, 3), decision_reference="S-1/2026")
    db.session.flush()
    return {"reference": case.reference, "attachment_id": attachment.id, "task_id": task.id,
            "award_type_id": case.award_type_id, "day": case.award_date.isoformat(), "fmt": "csv"}, case.id


def test_every_route_that_shows_an_honours_case_logs_the_read(app):
    from protocol_app.core.audit import AuditEvent
    from tests.support import make_user

    setup_people(app)
    make_user(app, "leserin@example.org", roles=["officer", "manager"], position="head_of_department")
    with app.app_context():
        waiting = _case_for_the_walk("Senatorin Dr. Erika Vorschlag", approved=False)
        decided = _case_for_the_walk("Senator Max Anreger", approved=True)
        from protocol_app.auth.models import User
        from protocol_app.core import letters

        letters.save_signatory("honours.certificate", actor=db.session.scalar(sa.select(User)), name="Karla Muster",
                               function_de="Regierende Bürgermeisterin", function_en="Governing Mayor")
        db.session.commit()
    client = app.test_client()
    login(client, "leserin@example.org")
    ceremony = {"honours.ceremony_page", "honours.ceremony_booklet", "honours.certificate"}
    desk = {"honours.desk", "honours.desk_export"}
    walked = set()
    for (params, case_id), not_shown in ((waiting, ceremony), (decided, desk)):
        walked |= set(_walk_and_assert_logged(app, client, "honours.", params, case_id, params["reference"],
                                              HONOURS_ROUTES_WITHOUT_CASES | not_shown))
    assert {"honours.detail", "honours.index", "honours.attachment_download"} | ceremony | desk <= walked
    with app.app_context():  # and the log names fields, never people — the suggesters included
        texts = [f"{e.summary} {e.changes}" for e in db.session.scalars(sa.select(AuditEvent))]
    assert not any(word in t for t in texts for word in ("Vorschlag", "Anreger", "Beispiel", "Stadthistorikerin"))


def test_every_route_that_shows_a_confidential_visit_logs_the_read(app):
    from protocol_app.visits.models import Visit
    from tests.support import make_user
    from tests.visit_support import make_visit, reference_data

    reference_data(app)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    ref = make_visit(app, officer_id, is_confidential=True, title="Vertraulicher Besuch")
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        visit_id = visit.id
    client = app.test_client()
    login(client, "referent@example.org")
    skip = {"visits.new", "visits.gifts_year", "visits.gifts_export", "visits.report", "visits.report_export",
            # parts of a visit that need an id of their own; their loader is the same `_load`
            "visits.attachment_download", "visits.task", "visits.programme_item", "visits.gift"}
    walked = _walk_and_assert_logged(app, client, "visits.", {"reference": ref}, visit_id, ref, skip)
    assert {"visits.detail", "visits.edit", "visits.index", "visits.programme_print", "visits.programme_pdf",
            "visits.list_export"} <= set(walked)
