"""User administration by admins: create, roles, deactivate, reset; the audit page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.audit import AuditEvent
from protocol_app.extensions import db
from tests.support import login, make_user, post

#: Pages, forms and texts: nothing here can behave differently on PostgreSQL.
pytestmark = pytest.mark.one_backend


def _admin_client(app):
    make_user(app, "admin@example.org", roles=["admin"], name="Anna Admin")
    client = app.test_client()
    login(client, "admin@example.org")
    return client


def _user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_admin_creates_user_who_must_change_the_temporary_password(app):
    client = _admin_client(app)
    response = post(
        client,
        "/admin/users/new",
        {"email": "Neu@Example.org", "full_name": "Nora Neu", "roles": ["officer", "viewer"], "locale": "en"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    temporary = re.search(r'data-testid="temporary-password">([^<]+)<', html).group(1)
    user = _user(app, "neu@example.org")
    assert {r.value for r in user.roles} == {"officer", "viewer"} and user.must_change_password
    newcomer = app.test_client()
    login(newcomer, "neu@example.org", temporary)
    assert newcomer.get("/").headers["Location"] == "/auth/password"
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.create"
                                                              , AuditEvent.object_id == str(user.id)))
        assert event.changes["roles"][1] == ["officer", "viewer"]
        assert temporary not in repr(event.changes)


def test_create_user_validation_messages_and_nothing_stored(app):
    client = _admin_client(app)
    html = post(
        client,
        "/admin/users/new",
        {"email": "kein-mail", "full_name": "<b>X</b>", "locale": "de"},
    ).get_data(as_text=True)
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in html
    assert "Bitte geben Sie reinen Text ohne HTML-Tags ein." in html
    assert "Bitte wählen Sie mindestens eine Rolle." in html
    html = post(
        client,
        "/admin/users/new",
        {"email": "admin@example.org", "full_name": "Doppelt", "roles": ["viewer"], "locale": "de"},
    ).get_data(as_text=True)
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_deactivation_logs_the_user_out_at_once(app):
    client = _admin_client(app)
    target_id = make_user(app, "t@example.org", roles=["officer"])
    victim = app.test_client()
    login(victim, "t@example.org")
    assert victim.get("/").status_code == 200
    post(client, f"/admin/users/{target_id}/active", {"active": "0"})
    assert victim.get("/").status_code == 302
    assert not _user(app, "t@example.org").is_active_account
    post(client, f"/admin/users/{target_id}/active", {"active": "1"})
    assert _user(app, "t@example.org").is_active_account


def test_admin_cannot_deactivate_or_demote_themselves(app):
    client = _admin_client(app)
    admin_id = _user(app, "admin@example.org").id
    page = post(
        client, f"/admin/users/{admin_id}/active", {"active": "0"}, follow_redirects=True,
    ).get_data(as_text=True)
    assert "Sie können Ihr eigenes Konto nicht deaktivieren." in page
    page = post(
        client, f"/admin/users/{admin_id}", {"full_name": "Anna", "roles": ["viewer"], "locale": "de"},
    ).get_data(as_text=True)
    assert "Sie können sich die eigene Administrationsrolle nicht entziehen." in page
    assert {r.value for r in _user(app, "admin@example.org").roles} == {"admin"}


def test_role_change_is_audited_with_before_and_after(app):
    client = _admin_client(app)
    target_id = make_user(app, "t@example.org", roles=["officer"], name="Tom")
    post(
        client, f"/admin/users/{target_id}", {"full_name": "Tom Neu", "roles": ["manager"], "locale": "de"},
    )
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.update"))
        assert event.changes["roles"] == [["officer"], ["manager"]]
        assert event.changes["full_name"] == ["Tom", "Tom Neu"]
    page = client.get("/admin/audit?action=user.update").get_data(as_text=True)
    assert "Tom Neu" in page
    # In words for the reader (the code only in the filter); the record by its kind, not its table.
    assert "Benutzerkonto: geändert" in page and "Benutzerkonto #" in page and "<td>users " not in page
    assert "<td>user.update" not in page and "Protokollreferent" in page and "officer" not in page.split("<tbody>")[1]
    deactivated = post(client, f"/admin/users/{target_id}/active", {"active": "0"}, follow_redirects=True)
    assert deactivated.status_code == 200
    page = client.get("/admin/audit?action=user.deactivate").get_data(as_text=True)
    assert "Benutzerkonto: deaktiviert" in page and ": ja → nein" in page and "True" not in page


def test_admins_give_a_manager_the_post_that_decides_an_approval_step(app):
    from protocol_app.auth.models import User

    client = _admin_client(app)
    target_id = make_user(app, "l@example.org", roles=["manager"], name="Lena")
    form = {"full_name": "Lena", "roles": ["manager"], "locale": "de"}
    wrong = post(client, f"/admin/users/{target_id}", {**form, "position": "chef"}, follow_redirects=True)
    assert "Bitte eine Funktion aus der Liste wählen." in wrong.get_data(as_text=True)
    post(client, f"/admin/users/{target_id}", {**form, "position": "head_of_department"})
    with app.app_context():
        assert db.session.get(User, target_id).position == "head_of_department"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.update"))
        assert event.changes["position"] == [None, "head_of_department"]
    post(client, f"/admin/users/{target_id}", {**form, "position": ""})  # the post handed on
    with app.app_context():
        assert db.session.get(User, target_id).position is None


def test_password_reset_ends_sessions_and_forces_change(app):
    client = _admin_client(app)
    target_id = make_user(app, "t@example.org")
    victim = app.test_client()
    login(victim, "t@example.org")
    html = post(client, f"/admin/users/{target_id}/reset-password", {}).get_data(as_text=True)
    temporary = re.search(r'data-testid="temporary-password">([^<]+)<', html).group(1)
    assert victim.get("/").status_code == 302
    again = app.test_client()
    assert login(again, "t@example.org", temporary).status_code == 302
    assert again.get("/").headers["Location"] == "/auth/password"


def test_users_list_search_sort_and_pagination(app):
    client = _admin_client(app)
    for i in range(30):
        make_user(app, f"person{i:02d}@example.org", name=f"Person {i:02d}", roles=["viewer"])
    page1 = client.get("/admin/users?sort=name&dir=asc").get_data(as_text=True)
    assert "Seite 1 von 2" in page1 and "Anna Admin" in page1
    page2 = client.get("/admin/users?sort=name&dir=asc&page=2").get_data(as_text=True)
    assert "Person 29" in page2 and "Person 00" not in page2
    found = client.get("/admin/users?q=person07").get_data(as_text=True)
    assert "Person 07" in found and "Person 08" not in found
    assert client.get("/admin/users?sort=bogus&page=abc&per_page=7").status_code == 200
    empty = client.get("/admin/users?q=niemand").get_data(as_text=True)
    assert "Keine Konten entsprechen Ihrer Suche." in empty


def test_audit_log_filters_by_date_and_rejects_bad_dates_kindly(app):
    client = _admin_client(app)
    page = client.get("/admin/audit?from=gestern").get_data(as_text=True)
    assert "Bitte geben Sie Daten als JJJJ-MM-TT ein." in page
    assert "Anmeldung: angemeldet" in client.get("/admin/audit?from=2020-01-01").get_data(as_text=True)
    assert "Anmeldung: angemeldet" not in client.get("/admin/audit?to=2020-01-01").get_data(as_text=True)


def test_unknown_user_id_is_404(app):
    client = _admin_client(app)
    assert client.get("/admin/users/99999").status_code == 404


def test_every_audit_entry_reads_in_words_with_the_records_reference(app):
    from protocol_app.core.audit import record_event
    from protocol_app.visits.models import Gift, Visit
    from tests.visit_support import make_visit, reference_data

    client = _admin_client(app)
    reference_data(app)
    officer = make_user(app, "o@example.org", roles=["officer"], name="Olga Offizierin")
    ref = make_visit(app, officer)
    with app.app_context():
        visit = db.session.scalar(sa.select(Visit))
        gift = Gift(visit=visit, direction="given", description="Vase", giver="RBm", recipient="Gast")
        db.session.add(gift)
        db.session.flush()
        record_event("visit.read", target=visit)
        record_event("visit.gift_create", target=gift, changes={"description": [None, "Vase"]})
        record_event("book_entry.update", object_type="book_entries", object_id=7,
                     changes={"signed_on": ["2027-03-11", "2027-03-12"], "book": ["guest", "golden"]})
        record_event("news_note.create", object_type="news_notes", object_id=3)
        db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert f"Besuch {ref}" in body and "Geschenk #" in body and f"· {ref}" in body
    assert "Besuch: geöffnet" in body and "visit.read" not in body and "book_entry.update" not in body
    assert "Datum der Eintragung: 11.03.2027 → 12.03.2027" in body and "signed_on" not in body
    assert "Buch: Gästebuch → Goldenes Buch" in body
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', page.split('id="object_type"')[1].split("</select>")[0])
    labels = [label for _, label in options]
    assert "Pressemeldung" in labels and "news_notes" not in labels and len(labels) == len(set(labels))
    visits_option = next(value for value, label in options if label == "Besuch")
    filtered = client.get(f"/admin/audit?object_type={visits_option}").get_data(as_text=True).split("<tbody>")[1]
    assert "Besuch: geöffnet" in filtered and "Pressemeldung" not in filtered
    with app.app_context():
        from protocol_app.auth.models import User

        db.session.scalar(sa.select(User).where(User.email == "admin@example.org")).locale = "en"
        db.session.commit()
    english = app.test_client()
    login(english, "admin@example.org")
    body = english.get("/admin/audit").get_data(as_text=True).split("<tbody>")[1]
    assert f"Visit {ref}" in body and "Date of the signing: 11 Mar 2027 → 12 Mar 2027" in body


def test_every_action_and_record_kind_of_the_app_has_words():
    import pathlib

    from protocol_app import create_app
    from protocol_app.core.audit import labels

    app = create_app()
    actions = set()
    for path in pathlib.Path("protocol_app").rglob("*.py"):
        text = path.read_text()
        actions |= set(re.findall(r'(?:record_event\(\s*|audit_action=)"([a-z_]+(?:\.[a-z_]+)+)"', text))
        for pair in re.findall(r'"([a-z_]+\.[a-z_]+)" if is_new else "([a-z_]+\.[a-z_]+)"', text):
            actions |= set(pair)
    with app.app_context():
        for name, (_, flow) in labels._workflows().items():
            actions |= {f"{name}.{t.action}" for t in flow.transitions}
        # the reads of confidential records, in every way they are shown (`record_read`)
        actions |= {f"{scope}.{how}" for scope in ("visit", "event", "nomination", "book_entry", "application")
                    for how in labels.READ_WAYS}
        assert len(actions) > 150
        assert [a for a in sorted(actions) if labels.action_label(a) == a] == []
        assert [t for t in labels._mapped_classes() if labels.record_label(t) == t] == []
