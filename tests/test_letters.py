"""Letters and certificates as their recipients read them: each PDF is read back with pdftotext
(the text a recipient's reader extracts) and checked for what an office would not send without —
the salutation from the person's form, the DIN 5008 address with the country line abroad, the
date in words, the signatory admins named, the seal, the programme before the closing — and for
its tags (PDF/UA: structure tree, language, title)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from PIL import Image, ImageDraw
from pypdf import PdfReader

from protocol_app.extensions import db
from tests.documents import pdf_text
from tests.event_support import event_form
from tests.support import ensure_reference_data, login, make_user, post

pytestmark = pytest.mark.one_backend


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _in_order(lines: list[str], *expected: str) -> None:
    """Each expected line appears, in this order (the address block reads top to bottom)."""
    missing = [line for line in expected if line not in lines]
    assert not missing, (missing, lines)
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions), (expected, lines)


def _assert_tagged(data: bytes, *, language: str, title_part: str) -> None:
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == language
    assert title_part in reader.metadata.title and catalog["/ViewerPreferences"]["/DisplayDocTitle"]


def _seal_png() -> bytes:
    image = Image.new("RGB", (240, 240), "white")
    ImageDraw.Draw(image).ellipse((10, 10, 230, 230), outline="red", width=12)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def admin(app):
    ensure_reference_data(app)
    make_user(app, "admin@example.org", roles=["admin"], name="Anna Admin")
    client = app.test_client()
    login(client, "admin@example.org")
    return client


def _name_signatory(admin, kind, name, function_de, function_en):
    response = post(admin, f"/admin/letters/signatories/{kind}", {"name": name, "function_de": function_de,
                                                                  "function_en": function_en})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_certificate_is_signed_and_sealed_as_admins_set_it(app, admin, tmp_path):
    from protocol_app.honours import services
    from protocol_app.honours.models import Nomination
    from tests.honours_support import proposed_case, setup_people, user

    setup_people(app)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False), app.app_context():
        case = proposed_case(nominee_name="Anna Erste")
        services.record_decision(case, actor=user("autorin@example.org"), approved=True,
                                 decision_date=date(2026, 3, 1), decision_reference="S-1/2026")
        db.session.commit()
        reference = db.session.scalar(sa.select(Nomination)).reference
    manager = app.test_client()
    login(manager, "referatsleitung@example.org")
    url = f"/honours/{reference}/certificate.pdf"
    refused = manager.get(url, follow_redirects=True).get_data(as_text=True)
    assert "Niemand ist benannt, die Urkunde zu unterzeichnen" in refused  # never a placeholder signature

    _name_signatory(admin, "honours.certificate", "Karla Beispiel", "Regierende Bürgermeisterin von Berlin",
                    "Governing Mayor of Berlin")
    saved = post(admin, "/admin/letters", {"sender_line": "Senatskanzlei Berlin · Protokoll · 10178 Berlin",
                                           "header_de": "Der Regierende Bürgermeister von Berlin",
                                           "header_en": "The Governing Mayor of Berlin",
                                           "seal": (io.BytesIO(_seal_png()), "landeswappen.png")})
    assert saved.status_code == 302
    not_an_image = post(admin, "/admin/letters", {"sender_line": "x", "header_de": "x", "header_en": "x",
                                                  "seal": (io.BytesIO(b"%PDF-1.4 nothing"), "siegel.pdf")})
    assert not_an_image.status_code == 200  # refused with a message, the seal stays
    certificate = manager.get(url)
    assert certificate.mimetype == "application/pdf"
    lines = _lines(pdf_text(certificate.data, tmp_path, "urkunde"))
    _in_order(lines, "Der Senat von Berlin", "verleiht", "Anna Erste", "Verdienstorden des Landes Berlin",
              "Berlin, 1. Oktober 2026", "Karla Beispiel", "Regierende Bürgermeisterin von Berlin")
    text = "\n".join(lines)
    assert "Landessiegel" not in text and "/ Regierender" not in text and "01.10.2026" not in text
    page = PdfReader(io.BytesIO(certificate.data)).pages[0]
    assert len(page.images) == 1  # the uploaded seal
    _assert_tagged(certificate.data, language="de", title_part="Urkunde")
    with app.app_context():
        from protocol_app.core.audit import AuditEvent

        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"letters.signatory", "letters.letterhead"} <= actions


def _emigrant_letter(app, kind: str, when: datetime, values: dict, prepare=None) -> bytes:
    """The PDF of a letter of `kind` to a new applicant with `values`, made at `when`;
    `prepare(application, actor)` plans what the letter needs first."""
    from protocol_app.auth.models import User
    from protocol_app.emigrants import letters, services
    from protocol_app.emigrants.models import GeneratedLetter

    make_user(app, "team@example.org", roles=["emigration"], name="Emil Team")
    with time_machine.travel(when, tick=False), app.app_context():
        letters.load_default_templates()
        actor = db.session.scalar(sa.select(User).where(User.email == "team@example.org"))
        application = services.create_application(actor=actor, values={"declaration_signed": True, **values})
        if prepare:
            prepare(application, actor)
        letter = letters.generate(application, kind, actor=actor)
        db.session.commit()
        return db.session.get(GeneratedLetter, letter.id).file.path.read_bytes()


def test_an_emigrant_letter_in_english_reads_as_the_office_would_send_it(app, admin, tmp_path):
    _name_signatory(admin, "emigrants.invitation", "Dr. Jonas Muster", "Chef des Protokolls", "Chief of Protocol")
    data = _emigrant_letter(app, "invitation", datetime(2027, 10, 1, 9, 0, tzinfo=UTC), {
        "category": "emigrant", "name": "Eva Lindner", "salutation_form": "female", "birth_date": date(1933, 6, 14),
        "address": "14 Belsize Park Gardens\nLondon NW3 4LH", "country_code": "GB", "language": "en"})
    lines = _lines(pdf_text(data, tmp_path, "invitation"))
    _in_order(lines, "Ms Eva Lindner", "14 Belsize Park Gardens", "London NW3 4LH", "UNITED KINGDOM",
              "Berlin, 1 October 2027", "Invitation to Berlin", "Dear Ms Lindner,", "With kind regards",
              "Dr. Jonas Muster", "Chief of Protocol")
    text = "\n".join(lines)
    assert "geehrte/r" not in text and "{" not in text
    _assert_tagged(data, language="en", title_part="Invitation to Berlin")


def test_the_confirmation_puts_the_programme_before_the_closing(app, admin, tmp_path):
    from protocol_app.emigrants import planning, programme

    def plan_the_week(application, actor):
        application.state = "invited"  # the process is tested in test_emigrants
        planning.save_plan(application, actor=actor, arrives_on=date(2027, 2, 15), hotel="Hotel am Park")
        programme.save_item(application, actor=actor, kind="reception", location="Rotes Rathaus",
                            starts_at=datetime(2027, 2, 16, 10, 0, tzinfo=UTC),
                            ends_at=datetime(2027, 2, 16, 11, 30, tzinfo=UTC))

    _name_signatory(admin, "emigrants.confirmation", "Miriam Team", "Besuchsprogramm", "Visitor programme")
    data = _emigrant_letter(app, "confirmation", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), {
        "category": "forced_labourer", "name": "Tomasz Nowak", "salutation_form": "male",
        "birth_date": date(1927, 2, 3), "address": "ul. Długa 7 m. 3\n00-238 Warszawa", "country_code": "PL",
        "language": "de"}, prepare=plan_the_week)
    lines = _lines(pdf_text(data, tmp_path, "confirmation"))
    _in_order(lines, "Herrn", "Tomasz Nowak", "ul. Długa 7 m. 3", "00-238 Warszawa", "POLEN",
              "Berlin, 20. November 2026", "Sehr geehrter Herr Nowak,", "Ihr Aufenthalt", "Programm",
              "Mit freundlichen Grüßen", "Miriam Team")
    text = "\n".join(lines)
    assert "Rotes Rathaus" in text and text.index("Rotes Rathaus") < text.index("Mit freundlichen Grüßen")
    assert "15. Februar 2027" in text


def test_a_guest_invitation_by_post_has_the_address_and_a_signature(app, admin, tmp_path):
    from protocol_app.events.models import Event, Guest

    make_user(app, "officer@example.org", roles=["officer"], name="Olaf Officer")
    officer = app.test_client()
    login(officer, "officer@example.org")
    _name_signatory(admin, "events.invitation", "Karla Beispiel", "Regierende Bürgermeisterin von Berlin",
                    "Governing Mayor of Berlin")
    post(officer, "/events/new", event_form(reply_by="2027-01-10"))
    with app.app_context():
        reference = db.session.scalar(sa.select(Event)).reference
    guest_page = f"/events/{reference}/guests/new"
    guest = {"name": "Marie Dupont", "rank": "500", "companions": "0", "address_form_id": "0", "category": "other",
             "language": "de", "salutation_form": "female", "postal_country_code": "FR"}
    too_long = post(officer, guest_page, dict(guest, postal_address="1\n2\n3\n4\n5"))
    assert "höchstens 4 Zeilen" in too_long.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Guest.id))) == 0
    assert post(officer, guest_page, dict(guest, postal_address="12 Rue de Rivoli\n75001 Paris")).status_code == 302
    with app.app_context():
        guest_id = db.session.scalar(sa.select(Guest.id))
    data = officer.get(f"/events/{reference}/guests/{guest_id}/invitation.pdf").data
    lines = _lines(pdf_text(data, tmp_path, "einladung"))
    with app.app_context():
        from protocol_app.core.i18n import format_long_d
        from protocol_app.core.time import today_berlin

        with app.test_request_context(headers={"Accept-Language": "de"}):
            today = format_long_d(today_berlin())
    _in_order(lines, "Frau", "Marie Dupont", "12 Rue de Rivoli", "75001 Paris", "FRANKREICH", f"Berlin, {today}",
              "Sehr geehrte Frau Dupont,", "Mit freundlichen Grüßen", "Karla Beispiel",
              "Regierende Bürgermeisterin von Berlin")
    assert "20. Januar 2027" in "\n".join(lines)
    _assert_tagged(data, language="de", title_part="Empfang für das Diplomatische Korps")


def test_salutations_never_guess_and_come_from_the_table_first(app):
    from protocol_app.directory.models import AddressForm
    from protocol_app.directory.salutations import addressee_lines, salutation

    ambassador = AddressForm(name="Botschafterin", address_de="Ihre Exzellenz", address_en="Her Excellency",
                             salutation_de="Sehr geehrte Frau Botschafterin", salutation_en="Dear Madam Ambassador")
    assert salutation("de", "Ruth Goldmann", form="female") == "Sehr geehrte Frau Goldmann"
    assert salutation("de", "Kim Meyer", form="neutral") == "Guten Tag Kim Meyer"
    assert salutation("de", "Kim Meyer") == "Guten Tag Kim Meyer"  # nothing known: by name, no guess
    assert salutation("he", "Sarah Levy", form="female") == "Dear Ms Levy"  # letters fall back to English
    assert salutation("de", "Amara Okafor", address_form=ambassador, form="female") == \
        "Sehr geehrte Frau Botschafterin"
    assert addressee_lines("de", "Amara Okafor", address_form=ambassador) == ["Ihre Exzellenz", "Amara Okafor"]
    assert addressee_lines("de", "Max Muster", form="male") == ["Herrn", "Max Muster"]
    assert addressee_lines("en", "Max Muster", form="male") == ["Mr Max Muster"]


def test_a_contacts_postal_address_goes_with_them_onto_the_guest_list(app, admin, tmp_path):
    from protocol_app.directory.models import Contact
    from protocol_app.events.models import Event, Guest

    make_user(app, "officer@example.org", roles=["officer"], name="Olaf Officer")
    officer = app.test_client()
    login(officer, "officer@example.org")
    contact = {"name": "Hiroshi Sato", "function": "Botschafter", "organisation": "Botschaft von Japan",
               "mission_id": "0", "address_form_id": "0", "language": "en", "category": "", "rank": "100",
               "salutation_form": "male", "postal_address": "Hiroshimastraße 6\n10785 Berlin",
               "postal_country_code": "DE"}
    assert post(officer, "/directory/contacts/new", contact).status_code == 302
    post(officer, "/events/new", event_form())
    with app.app_context():
        contact_id = db.session.scalar(sa.select(Contact.id))
        reference = db.session.scalar(sa.select(Event)).reference
    post(officer, f"/events/{reference}/guests/contact", {"contact_id": str(contact_id), "companions": "0"})
    with app.app_context():
        guest = db.session.scalar(sa.select(Guest))
        assert (guest.postal_address, guest.postal_country_code, guest.salutation_form) == (
            "Hiroshimastraße 6\n10785 Berlin", "DE", "male")
        guest_id = guest.id
    lines = _lines(pdf_text(officer.get(f"/events/{reference}/guests/{guest_id}/invitation.pdf").data, tmp_path))
    # In English, at home: no country line.
    _in_order(lines, "Mr Hiroshi Sato", "Botschafter", "Botschaft von Japan", "Hiroshimastraße 6", "10785 Berlin",
              "Dear Mr Sato,")
    assert "GERMANY" not in lines and "DEUTSCHLAND" not in lines


def test_the_visit_programme_carries_the_letterhead_admins_set(app, admin, tmp_path):
    from tests.visit_support import make_visit, reference_data

    reference_data(app)
    officer_id = make_user(app, "officer@example.org", roles=["officer"], name="Olaf Officer")
    officer = app.test_client()
    login(officer, "officer@example.org")
    reference = make_visit(app, officer_id)
    post(admin, "/admin/letters", {"sender_line": "Senatskanzlei · 10178 Berlin", "header_de": "Land Berlin · Protokoll",
                                   "header_en": "Land Berlin · Protocol"})
    text = pdf_text(officer.get(f"/visits/{reference}/programme.pdf?lang=en").data, tmp_path)
    assert "Land Berlin · Protocol" in text and "Senate Chancellery of Berlin · Protocol" not in text
