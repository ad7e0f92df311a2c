"""A citizen suggests someone for an honour on the public page: no account, a proof of work the
app serves itself, a confirmation mail with the reference; the suggestion becomes a confidential
case in its first step. The public form gets the tests every form gets: CSRF, markup, uploads,
a replayed proof, the rate limit."""

from __future__ import annotations

import io
import re

import altcha
import pytest
import sqlalchemy as sa

from protocol_app.core.notifications.models import OutboxMail
from protocol_app.extensions import db, limiter
from protocol_app.honours.models import AwardType, Nomination, NominationAttachment
from tests.conftest import build_app
from tests.support import PDF, audit_events, csrf_token, ensure_reference_data, login, make_user

PAGE = "/ehrungen/vorschlag"


def _proof(client) -> str:
    """What the browser's widget sends: the app's challenge, solved."""
    challenge = altcha.Challenge.from_dict(client.get(PAGE + "/challenge").get_json())
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def _form(app, client, **changes) -> dict:
    with app.app_context():
        award = db.session.scalar(sa.select(AwardType.id).where(AwardType.name.like("Verdienstorden%")))
    data = {"award_type_id": str(award), "nominee_name": "Gertrud Beispiel", "occupation": "Leiterin einer Suppenküche",
            "justification": "Seit dreißig Jahren kocht sie jeden Winter für Obdachlose in Moabit.",
            "suggested_by": "Erika Muster", "suggester_address": "Musterstraße 1\n10115 Berlin",
            "suggester_email": "erika.muster@example.org", "consent": "y", "csrf_token": csrf_token(client),
            "altcha": _proof(client)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _cases(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Nomination.id)))


def test_a_citizen_suggests_someone_and_the_office_gets_a_confidential_draft(app):
    ensure_reference_data(app)
    citizen = app.test_client()
    page = citizen.get(PAGE)
    assert page.status_code == 200 and "altcha-widget" in page.get_data(as_text=True)
    sent = citizen.post(PAGE, data={**_form(app, citizen), "letters": [(io.BytesIO(PDF), "empfehlung.pdf")]},
                        content_type="multipart/form-data")
    assert sent.status_code == 200, sent.get_data(as_text=True)[:3000]
    reference = re.search(r"N-\d{4}-\d{4}", sent.get_data(as_text=True)).group(0)
    with app.app_context():
        case = db.session.scalar(sa.select(Nomination))
        assert (case.reference, case.state, case.suggested_by, case.suggester_email) == (
            reference, "draft", "Erika Muster", "erika.muster@example.org")
        assert case.received_online_at and case.created_by_id is None
        assert db.session.scalar(sa.select(sa.func.count(NominationAttachment.id))) == 1
        mail = db.session.scalar(sa.select(OutboxMail))
        assert mail.recipient == "erika.muster@example.org" and reference in mail.subject
        assert "Gertrud" not in mail.subject and reference in mail.body_text
    assert [e.summary for e in audit_events(app, "nomination.public_suggestion")] == [reference]
    # The honours desk finds it among its cases and opens it; nobody else does.
    make_user(app, "leitung@example.org", roles=["manager"])
    desk = app.test_client()
    login(desk, "leitung@example.org")
    assert reference in desk.get("/honours/").get_data(as_text=True)
    opened = desk.get(f"/honours/{reference}").get_data(as_text=True)
    assert "Gertrud Beispiel" in opened and "empfehlung.pdf" in opened
    make_user(app, "leser@example.org", roles=["viewer"])
    viewer = app.test_client()
    login(viewer, "leser@example.org")
    assert viewer.get(f"/honours/{reference}").status_code == 403


def test_the_page_speaks_english_and_the_confirmation_too(app):
    ensure_reference_data(app)
    citizen = app.test_client()
    assert "Suggest someone for an honour of Berlin" in citizen.get(PAGE + "?lang=en").get_data(as_text=True)
    assert citizen.post(PAGE, data=_form(app, citizen)).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(OutboxMail.subject)).startswith("Your suggestion has arrived")


@pytest.mark.one_backend  # what the form refuses cannot depend on the database
@pytest.mark.parametrize("changes, named", [
    ({"altcha": None}, "bis die Überprüfung unter dem Formular fertig ist"),
    ({"altcha": "eyJub3QiOiAiYSBwcm9vZiJ9"}, "fehlgeschlagen"),
    ({"justification": "<script>alert(1)</script>"}, "ohne HTML"),
    ({"suggester_email": "keine-adresse"}, "E-Mail-Adresse (für die Bestätigung): "),
    ({"consent": None}, "stimmen Sie zu"),
    ({"nominee_name": ""}, "benötigt"),
])
def test_a_suggestion_that_cannot_be_taken_is_refused_with_its_reason_and_nothing_is_kept(app, changes, named):
    ensure_reference_data(app)
    citizen = app.test_client()
    answer = citizen.post(PAGE, data=_form(app, citizen, **changes)).get_data(as_text=True)
    assert named in answer and "<script>alert(1)</script>" not in answer.replace("&lt;script&gt;", "")
    assert _cases(app) == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_a_proof_counts_once_and_a_form_without_its_csrf_token_is_refused(app):
    ensure_reference_data(app)
    citizen = app.test_client()
    form = _form(app, citizen)
    assert citizen.post(PAGE, data=form).status_code == 200
    again = citizen.post(PAGE, data={**form, "nominee_name": "Noch jemand"}).get_data(as_text=True)
    assert "bereits gesendet" in again and _cases(app) == 1
    assert citizen.post(PAGE, data={**_form(app, citizen), "csrf_token": "falsch"}).status_code == 400
    assert _cases(app) == 1


def test_only_the_honours_open_to_everyone_can_be_suggested(app):
    ensure_reference_data(app)
    citizen = app.test_client()
    page = citizen.get(PAGE).get_data(as_text=True)
    assert "Ernst-Reuter-Plakette" in page and "Ehrenbürgerrecht" not in page
    with app.app_context():
        other = db.session.scalar(sa.select(AwardType.id).where(AwardType.name == "Ehrenbürgerrecht"))
    assert citizen.post(PAGE, data=_form(app, citizen, award_type_id=str(other))).status_code == 200
    assert _cases(app) == 0


def test_only_real_documents_are_taken_as_letters(app):
    ensure_reference_data(app)
    citizen = app.test_client()
    answer = citizen.post(PAGE, data={**_form(app, citizen), "letters": [(io.BytesIO(b"MZ\x90\x00 not a pdf"), "brief.pdf")]},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Es werden nur PDF-, Word- (DOCX), PNG- und JPEG-Dateien angenommen" in answer and _cases(app) == 0
    four = [(io.BytesIO(PDF), f"brief{n}.pdf") for n in range(4)]
    answer = citizen.post(PAGE, data={**_form(app, citizen), "letters": four},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Höchstens 3" in answer and _cases(app) == 0


@pytest.fixture
def _limits_off_after():
    yield
    limiter.enabled = False  # one Limiter per process: the next apps start without limits


@pytest.mark.one_backend
def test_one_address_sending_again_and_again_is_stopped(app, _limits_off_after):
    limited = build_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                        HONOURS_SUGGESTION_RATE_LIMIT="2 per hour")
    citizen = limited.test_client()
    statuses = [citizen.post(PAGE, data={"csrf_token": csrf_token(citizen)}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
