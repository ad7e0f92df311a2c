"""German first: a complete catalogue, German formats, per-user language."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from protocol_app.core.i18n import format_dt
from tests.support import login, make_user, post

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend

ROOT = Path(__file__).resolve().parent.parent


def test_german_catalogue_is_complete_and_not_fuzzy(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        template = read_po(f)
    with (ROOT / "protocol_app/translations/de/LC_MESSAGES/messages.po").open("rb") as f:
        german = read_po(f, locale="de")
    missing, fuzzy = [], []
    for message in template:
        if not message.id:
            continue
        translated = german.get(message.id)
        if translated is None or not translated.string or (
            isinstance(translated.string, tuple) and not all(translated.string)
        ):
            missing.append(message.id)
        elif translated.fuzzy:
            fuzzy.append(message.id)
    assert missing == [], f"German translation missing for: {missing}"
    assert fuzzy == [], f"German translation fuzzy for: {fuzzy}"


def test_dates_are_shown_in_berlin_time_with_german_format(app):
    winter = datetime(2026, 11, 22, 13, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    with app.test_request_context():
        assert format_dt(winter) == "22.11.2026, 14:30"
        assert format_dt(summer) == "01.07.2026, 14:00"


def test_language_is_chosen_per_user_and_remembered(app):
    make_user(app, "a@example.org")
    client = app.test_client()
    login(client, "a@example.org")
    assert "Abmelden" in client.get("/").get_data(as_text=True)
    post(client, "/auth/profile?next=/", {"locale": "en"})
    page = client.get("/").get_data(as_text=True)
    assert "Log out" in page and 'lang="en"' in page
    post(client, "/auth/logout")
    again = app.test_client()
    login(again, "a@example.org")
    assert "Log out" in again.get("/").get_data(as_text=True)


def test_invalid_language_is_refused(app):
    make_user(app, "a@example.org")
    client = app.test_client()
    login(client, "a@example.org")
    page = post(client, "/auth/profile", {"locale": "fr"}).get_data(as_text=True)
    assert "Not a valid choice" in page or "Keine gültige Auswahl" in page
    assert "Abmelden" in client.get("/").get_data(as_text=True)


def test_form_validation_messages_are_german(app, client):
    from tests.support import csrf_token

    token = csrf_token(client)
    html = client.post("/auth/login", data={"csrf_token": token}).get_data(as_text=True)
    assert "Dieses Feld wird benötigt." in html


def _visible_controls_without_label(html: str) -> list[str]:
    """The ids (or names) of form controls a sighted user sees without a label naming them."""
    from html.parser import HTMLParser

    class Controls(HTMLParser):
        def __init__(self):
            super().__init__()
            self.controls, self.labelled, self.open_labels = [], set(), 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "label":
                self.open_labels += 1
                if attrs.get("for"):
                    self.labelled.add(attrs["for"])
            elif (tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button")
                  and not self.open_labels):
                self.controls.append(attrs.get("id") or attrs.get("name"))

        def handle_endtag(self, tag):
            if tag == "label":
                self.open_labels -= 1

    parser = Controls()
    parser.feed(html)
    return [c for c in parser.controls if c not in parser.labelled]


def test_languages_are_picked_by_their_name_and_shown_in_words(app):
    from tests.visit_support import reference_data, visit_form

    reference_data(app)
    make_user(app, "o@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "o@example.org")
    form = client.get("/visits/new").get_data(as_text=True)
    assert '<option value="fr">Französisch</option>' in form
    assert "ISO" not in form
    names = [line.split(">")[1].split("<")[0] for line in form.split("<option value=")
             if line.startswith(('"ar"', '"am"', '"az"', '"ab"'))]
    assert names == sorted(names, key=str.casefold)  # "Abchasisch, Amharisch, Arabisch, Aserbaidschanisch"
    refused = post(client, "/visits/new", visit_form(languages=["pl", "xx"])).get_data(as_text=True)
    assert "Sprachen des Besuchs: Bitte wählen Sie die Sprache aus der Liste." in refused
    page = post(client, "/visits/new", visit_form(languages=["pl", "en"]), follow_redirects=True).get_data(as_text=True)
    assert "Polnisch, Englisch" in page
    assert "Dienstag, 4. Mai 2027, 10:00 Uhr" in page  # the arrival, in words on the record's page
    post(client, "/auth/profile?next=/", {"locale": "en"})
    english = client.get("/visits/new").get_data(as_text=True)
    assert '<option value="fr">French</option>' in english


def test_every_control_on_the_record_pages_has_a_visible_label(app):
    from tests.visit_support import reference_data, visit_form

    reference_data(app)
    make_user(app, "o@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "o@example.org")
    visit = post(client, "/visits/new", visit_form(), follow_redirects=True).get_data(as_text=True)
    assert _visible_controls_without_label(visit) == []
    # the check notices a control that only a screen reader could name
    assert _visible_controls_without_label('<input id="x" aria-label="Name">') == ["x"]


def test_the_accessibility_statement_gives_its_date_in_words(client):
    page = client.get("/barrierefreiheit").get_data(as_text=True)
    assert "am 2. Dezember 2026" in page and "2026-12-02" not in page
