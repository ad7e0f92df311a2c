"""The logs as the IT service reads them: JSON lines with the request's id, and not one e-mail
address, name or token of the people the office works with — checked on the paths where they
pass through: sign-in (right, wrong, blocked by the limit), a guest's reply link, a guest list import."""

from __future__ import annotations

import io
import json

import pytest

from protocol_app.core import logs
from tests.conftest import build_app, migrate
from tests.event_support import answer_invitation, event_form, invited_guests, officer_client
from tests.support import login, make_user, post

pytestmark = pytest.mark.one_backend


@pytest.fixture
def log_lines(app):
    """Every line the app writes from here on (all loggers, DEBUG and up), as parsed JSON."""
    stream = io.StringIO()
    handler = logs.configure("DEBUG", stream=stream)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    read.stream = stream
    yield read
    logs.configure("INFO")
    handler.close()


def test_every_line_is_json_and_a_request_line_names_its_id_user_endpoint_status_and_duration(app, log_lines):
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    answer = client.get("/visits/", headers={"X-Request-ID": "proxy-4711"})
    made = client.get("/visits/", headers={"X-Request-ID": "not a plausible id; DROP"})
    assert answer.headers["X-Request-ID"] == "proxy-4711"
    assert made.headers["X-Request-ID"] != "not a plausible id; DROP" and len(made.headers["X-Request-ID"]) == 32
    lines = log_lines()
    taken = [line for line in lines if line.get("request_id") == "proxy-4711"]
    request_line = next(line for line in taken if line["message"] == "request")
    assert request_line["endpoint"] == "visits.index"
    assert (request_line["method"], request_line["status"], request_line["user_id"]) == ("GET", 200, uid)
    assert request_line["duration_ms"] >= 0 and request_line["level"] == "INFO" and request_line["time"]


def test_no_address_name_or_token_of_a_person_reaches_the_log(app, log_lines, tmp_path):
    # Sign-in: right, wrong, and wrong until the limit refuses (Flask-Limiter logs its key), on
    # an app whose limits are on.
    limited = build_app(f"sqlite:///{tmp_path / 'limits.sqlite'}", UPLOAD_DIR=str(tmp_path / "u"),
                        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_ACCOUNT="3 per minute")
    migrate(limited)
    logs.configure("DEBUG", stream=log_lines.stream)
    make_user(limited, "rita.referentin@example.org", roles=["officer"], name="Rita Referentin")
    login(limited.test_client(), "rita.referentin@example.org")
    for _ in range(4):
        login(limited.test_client(), "rita.referentin@example.org", password="falsch-falsch-falsch")
    # A guest's reply through the personal link.
    _, officer = officer_client(app)
    tokens = invited_guests(app, officer)
    answer_invitation(app, tokens["Erste Person"], "accept")
    answer_invitation(app, "erraten-" + tokens["Zweite Person"][:8], "accept")
    # A guest list import.
    post(officer, "/events/new", event_form(title="Neujahrsempfang"))
    csv = ("\ufeffName;Anrede;Funktion;Organisation;Kategorie;Rang;Im Amt seit;E-Mail;Sprache;Begleitpersonen\n"
           "Dr. Erika Beispiel;Frau;Generalkonsulin;Generalkonsulat;Diplomatisches Korps;120;01.09.2024;"
           "erika.beispiel@example.org;de;1\nKaputte Zeile;Frau;;;unbekannt;x;;kaputt@example;de;1\n").encode()
    post(officer, "/events/E-2027-0002/guests/import", {"file": (io.BytesIO(csv), "gaeste.csv")},
         content_type="multipart/form-data")

    lines = log_lines()
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    people = ["rita.referentin@example.org", "Rita Referentin", "Referentin", "erste@example.org", "Erste Person",
              "zweite@example.org", "Erika Beispiel", "erika.beispiel@example.org", "kaputt@example", "Kaputte Zeile",
              tokens["Erste Person"], tokens["Zweite Person"][:8]]
    assert [who for who in people if who.lower() in text.lower()] == []
    # The paths did log: sign-ins, refusals and the requests themselves — by number and endpoint.
    endpoints = {line.get("endpoint") for line in lines if line["message"] == "request"}
    assert {"auth.login", "events.reply", "events.guests_import"} <= endpoints
    assert any(line["status"] == 429 for line in lines if line["message"] == "request")
    # The limiter's own line names the account's hash, not its address (the mask is only the net).
    limiter_lines = [line["message"] for line in lines if "login-account:" in line["message"]]
    assert limiter_lines and not any("<e-mail>" in message for message in limiter_lines)


def test_an_address_in_a_message_is_masked_whatever_logged_it(app, log_lines):
    import logging

    logging.getLogger("some.library").warning("could not deliver to %s", "jemand@example.org")
    assert log_lines()[-1]["message"] == "could not deliver to <e-mail>"


def test_the_request_line_names_the_user_without_asking_the_database(app):
    """Seen under load: the log hook loaded the expired account again and, with SQLite locked,
    turned a refused sign-in (503) into a 500. It reads the identity the session holds."""
    import sqlalchemy as sa
    from flask import g

    from protocol_app.auth.models import User
    from protocol_app.extensions import db

    uid = make_user(app, "referent@example.org", roles=["officer"])
    with app.test_request_context("/"):
        user = db.session.get(User, uid)
        g._login_user = user
        db.session.expire(user)  # as after a commit or rollback
        statements = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert logs._signed_in_user_id() == uid
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert statements == []
        g._login_user = None
        assert logs._signed_in_user_id() is None
