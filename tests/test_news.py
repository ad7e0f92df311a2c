"""Press notes: drafted from a visit or event that took place (never a confidential one, one under
embargo or anything of the emigrant programme), approved by a manager, and read by the public
website as an Atom feed (parsed with feedparser) and a JSON list, in German and English."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.audit import AuditEvent
from protocol_app.core.notifications.models import Notification
from protocol_app.core.time import today_berlin
from protocol_app.events import services as events
from protocol_app.extensions import db
from protocol_app.news.models import NewsNote
from protocol_app.visits import services as visits
from protocol_app.visits.models import Visit
from tests.support import (
    ensure_reference_data,
    make_user,
    office_clients,
    post,
    sweep_reminders_twice,
)

TEXTS = {"title_de": "Delegation aus Brüssel im Roten Rathaus", "lead_de": "Die Staatssekretärin war zu Gast.",
         "text_de": "Es ging um die Europapolitik beider Hauptstädte.", "title_en": "Brussels delegation at the Rotes Rathaus",
         "lead_en": "The State Secretary was our guest.", "text_en": "The talks were about European policy.",
         "photo_credit": ""}


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(out, "PNG")
    return out.getvalue()


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _visit(app, *, days_ago=20, completed=True, confidential=False, title="Delegation der Region Brüssel-Hauptstadt") -> int:
    """A delegation visit `days_ago` days ago, taken through its steps up to completed."""
    with app.app_context():
        officer, manager = _user("referent@example.org"), _user("leitung@example.org")
        day = today_berlin() - timedelta(days=days_ago)
        arrival = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        visit = visits.create_visit(actor=officer, values={
            "title": title, "kind": "delegation", "guest_name": "Claire Dubois",
            "guest_function": "Staatssekretärin", "country_code": "BE", "arrival_at": arrival,
            "departure_at": arrival + timedelta(hours=8), "travel_timezone": "Europe/Berlin",
            "responsible_officer_id": officer.id, "is_confidential": confidential})
        visits.move_visit(visit, "start_planning", actor=manager)
        visits.move_visit(visit, "confirm", actor=manager)
        if completed:
            visits.move_visit(visit, "complete", actor=manager)
        db.session.commit()
        return visit.id


def _event(app, *, embargo_until=None) -> int:
    with app.app_context():
        officer = _user("referent@example.org")
        start = datetime.combine(today_berlin() - timedelta(days=3), datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)
        event = events.create_event(actor=officer, values={
            "title": "Verleihung des Verdienstordens", "kind": "award_ceremony", "starts_at": start,
            "ends_at": start + timedelta(hours=2), "dress_code": "business", "press": "closed"})
        events.move_event(event, "mark_held", actor=officer)
        if embargo_until:
            events.set_embargo(event, embargo_until, actor=officer)
        db.session.commit()
        return event.id


def _notes(app) -> list[NewsNote]:
    with app.app_context():
        notes = db.session.scalars(sa.select(NewsNote).order_by(NewsNote.id)).all()
        db.session.expunge_all()
        return notes


def _text(response) -> str:
    return response.get_data(as_text=True)


def _version(client, path) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', _text(client.get(path))).group(1)


def _step(client, note_id, action, comment=""):
    """Take a step on the note's current version (as the page's form would carry it)."""
    with client.application.app_context():
        version = db.session.get(NewsNote, note_id).version
    return post(client, f"/news/{note_id}/step", {"action": action, "comment": comment, "version": str(version)})


def _published_note(app, clients, **visit) -> int:
    visit_id = _visit(app, **visit)
    assert post(clients["referent"], f"/news/new?scope=visit&id={visit_id}", TEXTS).status_code == 302
    note_id = _notes(app)[-1].id
    assert _step(clients["referent"], note_id, "submit").status_code == 302
    assert _step(clients["leitung"], note_id, "approve").status_code == 302
    assert _notes(app)[-1].state == "published"
    return note_id


def _feed(client, language: str):
    response = client.get(f"/public/news/{language}/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return feedparser.parse(response.data)


def _json(client, language: str, section: str = "aktuelles") -> dict:
    response = client.get(f"/public/news/{language}/news.json?section={section}")
    assert response.status_code == 200
    return json.loads(response.data)


def test_an_officer_drafts_a_manager_approves_and_the_public_reads_it_in_both_languages(app):
    clients = office_clients(app)
    officer, manager = clients["referent"], clients["leitung"]
    visit_id = _visit(app)
    # The visit's page offers the draft; the draft starts from the visit's title.
    assert f"/news/new?scope=visit&amp;id={visit_id}" in _text(officer.get(f"/visits/{_reference(app, visit_id)}"))
    assert "Delegation der Region Brüssel-Hauptstadt" in _text(officer.get(f"/news/new?scope=visit&id={visit_id}"))
    german_only = {**TEXTS, "title_en": "", "lead_en": "", "text_en": ""}
    assert post(officer, f"/news/new?scope=visit&id={visit_id}", german_only).status_code == 302
    [note] = _notes(app)
    assert (note.state, note.source_scope, note.source_id, note.occasion_on) == (
        "draft", "visit", visit_id, today_berlin() - timedelta(days=20))
    # Without the English texts it cannot go for approval; the page says what is missing.
    _step(officer, note.id, "submit")
    assert _notes(app)[0].state == "draft"
    assert "the English title" in _text(officer.get(f"/news/{note.id}")) or "den englischen Titel" in _text(
        officer.get(f"/news/{note.id}"))
    assert post(officer, f"/news/{note.id}", {**TEXTS, "version": _version(officer, f"/news/{note.id}")}).status_code == 302
    assert _step(officer, note.id, "submit").status_code == 302
    # The officer cannot approve; the manager can. Nothing is public before.
    _step(officer, note.id, "approve")
    assert _notes(app)[0].state == "in_review"
    anonymous = app.test_client()
    assert _feed(anonymous, "de").entries == []
    assert _step(manager, note.id, "approve").status_code == 302
    assert _notes(app)[0].state == "published"
    assert "Veröffentlicht" in _text(manager.get(f"/news/{note.id}"))

    german, english = _feed(anonymous, "de"), _feed(anonymous, "en")
    assert german.bozo == 0 and english.bozo == 0
    assert german.feed.title == "Berlin International: Aktuelles"
    assert [(e.title, e.summary) for e in german.entries] == [(TEXTS["title_de"], TEXTS["lead_de"])]
    assert [(e.title, e.summary) for e in english.entries] == [(TEXTS["title_en"], TEXTS["lead_en"])]
    assert english.entries[0].content[0].value == TEXTS["text_en"]
    assert german.entries[0].id != "" and german.entries[0].published_parsed is not None
    current = _json(anonymous, "en")
    assert [(i["title"], i["date"]) for i in current["items"]] == [
        (TEXTS["title_en"], (today_berlin() - timedelta(days=20)).isoformat())]
    assert _json(anonymous, "de", "rueckblick")["items"] == []
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "news_notes")))
    assert {"news_note.create", "news_note.update", "news_note.submit", "news_note.approve"} <= actions


def _reference(app, visit_id: int) -> str:
    with app.app_context():
        return db.session.get(Visit, visit_id).reference


@pytest.mark.parametrize("source", ["confidential", "not_completed", "embargo", "emigrant_programme", "unknown"])
def test_what_may_not_be_told_cannot_become_a_note(app, source):
    clients = office_clients(app)
    officer = clients["referent"]
    if source == "confidential":
        scope, subject_id, says = "visit", _visit(app, confidential=True), ("confidential", "vertraulich")
    elif source == "not_completed":
        scope, subject_id, says = "visit", _visit(app, completed=False), ("not taken place", "nicht stattgefunden")
    elif source == "embargo":
        scope, subject_id, says = "event", _event(app, embargo_until=today_berlin() + timedelta(days=10)), (
            "embargo", "Sperrfrist")
    elif source == "emigrant_programme":
        scope, subject_id, says = "emigrant_application", 1, ("emigrant programme", "Emigrantenprogramm")
    else:
        scope, subject_id, says = "visit", 99999, ("Only a visit or an event", "Nur ein Besuch")
    response = post(officer, f"/news/new?scope={scope}&id={subject_id}", TEXTS, follow_redirects=True)
    assert response.status_code == 200
    assert any(s in _text(response) for s in says), _text(response)[:3000]
    assert _notes(app) == []
    if source in ("confidential", "embargo"):
        page = f"/visits/{_reference(app, subject_id)}" if scope == "visit" else None
        if page:
            assert "/news/new" not in _text(officer.get(page))


def test_an_event_that_was_held_without_embargo_can_be_told(app):
    clients = office_clients(app)
    event_id = _event(app)
    assert post(clients["referent"], f"/news/new?scope=event&id={event_id}", TEXTS).status_code == 302
    assert [(n.source_scope, n.source_id) for n in _notes(app)] == [("event", event_id)]


def test_a_visit_made_confidential_after_review_is_not_published(app):
    clients = office_clients(app)
    visit_id = _visit(app)
    post(clients["referent"], f"/news/new?scope=visit&id={visit_id}", TEXTS)
    note_id = _notes(app)[0].id
    _step(clients["referent"], note_id, "submit")
    with app.app_context():
        db.session.get(Visit, visit_id).is_confidential = True
        db.session.commit()
    _step(clients["leitung"], note_id, "approve")
    page = _text(clients["leitung"].get(f"/news/{note_id}"))
    assert _notes(app)[0].state == "in_review"
    assert "confidential" in page or "vertraulich" in page


def test_drafts_returned_and_withdrawn_notes_are_not_served(app):
    clients = office_clients(app)
    anonymous = app.test_client()
    note_id = _published_note(app, clients)
    second = _visit(app, title="Arbeitsbesuch aus Warschau")
    post(clients["referent"], f"/news/new?scope=visit&id={second}", {**TEXTS, "title_de": "Entwurf Warschau"})
    draft_id = _notes(app)[-1].id
    assert [e.title for e in _feed(anonymous, "de").entries] == [TEXTS["title_de"]]
    _step(clients["referent"], draft_id, "submit")
    assert _step(clients["leitung"], draft_id, "return", comment="").status_code == 302  # a reason is needed
    assert _notes(app)[-1].state == "in_review"
    _step(clients["leitung"], draft_id, "return", comment="Bitte kürzen.")
    assert _notes(app)[-1].state == "draft"
    assert "Entwurf Warschau" not in json.dumps(_json(anonymous, "de"), ensure_ascii=False)

    before = anonymous.get("/public/news/de/feed.atom")
    _step(clients["leitung"], note_id, "withdraw", comment="Falsches Datum")
    assert _notes(app)[0].state == "withdrawn"
    after = anonymous.get("/public/news/de/feed.atom", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # the withdrawal changed the feed's ETag
    assert feedparser.parse(after.data).entries == []
    assert _json(anonymous, "de")["items"] == [] and _json(anonymous, "en")["items"] == []
    # Revised, the note goes through approval again.
    assert _step(clients["referent"], note_id, "revise").status_code == 302
    assert _notes(app)[0].state == "draft"


def test_the_public_routes_are_cached_and_refuse_what_they_do_not_know(app):
    clients = office_clients(app)
    _published_note(app, clients)
    anonymous = app.test_client()
    first = anonymous.get("/public/news/de/news.json")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert anonymous.get("/public/news/de/news.json", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert anonymous.get("/public/news/fr/feed.atom").status_code == 404
    assert anonymous.get("/public/news/de/news.json?section=alles").status_code == 404
    assert anonymous.get("/public/news/de/news.json?page=0").status_code == 404
    # The office's pages stay behind the login.
    assert anonymous.get("/news/").status_code == 302


def test_an_old_visit_is_told_in_the_review(app):
    clients = office_clients(app)
    _published_note(app, clients, days_ago=200)
    anonymous = app.test_client()
    assert _json(anonymous, "de")["items"] == []
    [item] = _json(anonymous, "de", "rueckblick")["items"]
    assert item["title"] == TEXTS["title_de"]


def test_a_photo_needs_its_credit_and_is_public_only_with_the_published_note(app):
    clients = office_clients(app)
    officer = clients["referent"]
    visit_id = _visit(app)
    post(officer, f"/news/new?scope=visit&id={visit_id}", TEXTS)
    note_id = _notes(app)[0].id
    page = _text(post(officer, f"/news/{note_id}/photo", {"file": (io.BytesIO(b"%PDF-1.4 not a photo"), "a.pdf")},
                      follow_redirects=True))
    assert "PNG or JPEG" in page or "PNG- oder JPEG" in page
    assert post(officer, f"/news/{note_id}/photo", {"file": (io.BytesIO(_png()), "rathaus.png")}).status_code == 302
    _step(officer, note_id, "submit")
    assert _notes(app)[0].state == "draft"  # no credit yet
    anonymous = app.test_client()
    assert anonymous.get(f"/public/news/{note_id}/photo").status_code == 404
    post(officer, f"/news/{note_id}", {**TEXTS, "photo_credit": "Foto: Senatskanzlei",
                                       "version": _version(officer, f"/news/{note_id}")})
    _step(officer, note_id, "submit")
    _step(clients["leitung"], note_id, "approve")
    photo = anonymous.get(f"/public/news/{note_id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    [item] = _json(anonymous, "de")["items"]
    assert item["photo"]["credit"] == "Foto: Senatskanzlei" and item["photo"]["url"].endswith(f"/{note_id}/photo")
    [entry] = _feed(anonymous, "de").entries
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [item["photo"]["url"]]


def test_who_may_do_what(app):
    clients = office_clients(app)
    visit_id = _visit(app)
    assert clients["leser"].get("/news/").status_code == 403
    assert clients["emigration"].get("/news/").status_code == 403
    assert post(clients["leser"], f"/news/new?scope=visit&id={visit_id}", TEXTS).status_code == 403
    assert post(clients["leitung"], f"/news/new?scope=visit&id={visit_id}", TEXTS).status_code == 403
    assert _notes(app) == []
    post(clients["referent"], f"/news/new?scope=visit&id={visit_id}", TEXTS)
    note_id = _notes(app)[0].id
    assert clients["leitung"].get(f"/news/{note_id}").status_code == 200
    assert post(clients["leitung"], f"/news/{note_id}", {**TEXTS, "title_de": "Geändert"}).status_code == 403
    assert clients["leser"].get(f"/news/{note_id}").status_code == 403
    # A second draft of the same visit leads to the first.
    response = clients["referent"].get(f"/news/new?scope=visit&id={visit_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/news/{note_id}")


def test_bad_input_changes_nothing(app):
    clients = office_clients(app)
    officer = clients["referent"]
    visit_id = _visit(app)
    page = _text(post(officer, f"/news/new?scope=visit&id={visit_id}", {**TEXTS, "title_de": ""}))
    assert "Please give the German title" in page or "Bitte geben Sie den deutschen Titel an" in page
    assert _notes(app) == []
    post(officer, f"/news/new?scope=visit&id={visit_id}", TEXTS)
    note_id = _notes(app)[0].id
    stale = post(officer, f"/news/{note_id}", {**TEXTS, "title_de": "Alt", "version": "0"})
    assert stale.status_code == 409
    assert _notes(app)[0].title_de == TEXTS["title_de"]
    assert post(officer, f"/news/{note_id}/step", {"action": "fly", "version": "1"}).status_code in (302, 400)
    assert _notes(app)[0].state == "draft"


def test_a_note_waiting_for_approval_is_reminded_to_the_managers_once(app):
    clients = office_clients(app)
    visit_id = _visit(app)
    post(clients["referent"], f"/news/new?scope=visit&id={visit_id}", TEXTS)
    note_id = _notes(app)[0].id
    _step(clients["referent"], note_id, "submit")
    sweep_reminders_twice(app, datetime.now(UTC) + timedelta(days=1))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.link == f"/news/{note_id}")) == 0
    sweep_reminders_twice(app, datetime.now(UTC) + timedelta(days=3))
    with app.app_context():
        recipients = db.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                        .where(Notification.link == f"/news/{note_id}")).all()
    assert recipients == ["leitung@example.org"]


@pytest.mark.postgres_only
def test_two_officers_drafting_the_same_visit_at_once_make_one_note(committing_app):
    from tests.drill_support import Person, all_at_once, serve

    app = committing_app
    ensure_reference_data(app)
    for n in (1, 2):
        make_user(app, f"referent{n}@example.org", roles=["officer"])
    make_user(app, "referent@example.org", roles=["officer"])
    make_user(app, "leitung@example.org", roles=["manager"])
    visit_id = _visit(app)
    server = serve(app)
    try:
        people = [Person(server.url).log_in(f"referent{n}@example.org") for n in (1, 2)]
        path = f"/news/new?scope=visit&id={visit_id}"
        tokens = [p.token(path) for p in people]
        results = all_at_once([lambda p=p, t=t: p.post(path, TEXTS, token=t) for p, t in zip(people, tokens, strict=True)])
    finally:
        server.stop()
    statuses = sorted(r.status_code for r in results)
    assert statuses in ([302, 302], [302, 409]), statuses  # the loser sees "changed meanwhile" or the note
    assert all(r.status_code != 500 for r in results)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(NewsNote.id))) == 1


@pytest.mark.one_backend
def test_the_feed_is_rate_limited_per_address(app):
    from protocol_app.extensions import limiter
    from tests.conftest import build_app

    limited = build_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    try:
        client = limited.test_client()
        statuses = [client.get("/public/news/de/feed.atom", environ_base={"REMOTE_ADDR": "10.1.0.1"}).status_code
                    for _ in range(121)]
        assert statuses[:120] == [200] * 120 and statuses[120] == 429
        assert client.get("/public/news/de/feed.atom", environ_base={"REMOTE_ADDR": "10.1.0.2"}).status_code == 200
    finally:
        limiter.enabled = False


def test_the_demo_publishes_its_notes(app):
    from protocol_app.cli import seed_demo_data

    with app.app_context():
        seed_demo_data()
        db.session.commit()
    anonymous = app.test_client()
    titles = {e.title for e in _feed(anonymous, "en").entries}
    assert {"Warsaw delegation at the Rotes Rathaus", "Paris and Berlin celebrate their partnership"} <= titles
    assert date.fromisoformat(_json(anonymous, "de", "rueckblick")["items"][0]["date"]) < today_berlin()


def test_a_manual_line_break_from_word_is_refused_and_the_feed_stays_valid_xml(app):
    """Issue 30, item 10: Word's manual line break (U+000B) in a note made both Atom feeds invalid
    XML until the note was withdrawn; every form now refuses control characters."""
    from defusedxml.minidom import parseString

    clients = office_clients(app)
    visit_id = _visit(app)
    pasted = dict(TEXTS, text_de="Erster Absatz\x0bzweite Zeile aus Word.", lead_en="Our guest\x00.")
    refused = post(clients["referent"], f"/news/new?scope=visit&id={visit_id}", pasted)
    assert refused.status_code == 200 and "Steuerzeichen (U+000B" in _text(refused)
    assert _notes(app) == []  # nothing stored
    _published_note(app, clients)
    for language in ("de", "en"):
        body = clients["referent"].application.test_client().get(f"/public/news/{language}/feed.atom").data
        parseString(body)  # well-formed XML: raises otherwise
        assert _feed(app.test_client(), language).bozo == 0


def test_the_second_officer_drafting_the_same_note_is_told_and_keeps_the_text(app):
    from tests.support import login

    clients = office_clients(app)
    visit_id = _visit(app)
    make_user(app, "zweite@example.org", roles=["officer"], name="Zora Zweite")
    second = app.test_client()
    login(second, "zweite@example.org")
    path = f"/news/new?scope=visit&id={visit_id}"
    assert "Delegation" in _text(second.get(path))  # both have the empty draft open
    assert post(clients["referent"], path, TEXTS).status_code == 302
    mine = {**TEXTS, "title_de": "Mein eigener Titel", "text_de": "Mein sorgfältig formulierter Absatz."}
    response = post(second, path, mine)
    page = _text(response)
    assert response.status_code == 409
    warning = page.split('data-testid="drafted-meanwhile"')[1].split("</div>")[0]
    assert "nicht gespeichert" in warning and "hat inzwischen eine Pressemeldung" in warning
    assert "Mein sorgfältig formulierter Absatz." in page and 'value="Mein eigener Titel"' in page
    [note] = _notes(app)
    assert f"/news/{note.id}" in warning and note.title_de == TEXTS["title_de"]
