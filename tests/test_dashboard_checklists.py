"""Officer start page and the admin's checklist templates."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.checklists import services as checklists
from protocol_app.core.checklists.models import ChecklistTemplate
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.support import login, make_user, post
from tests.visit_support import make_visit, reference_data


def test_officer_dashboard_shows_my_visits_tasks_due_this_week_and_unassigned(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    soon = now_utc() + timedelta(days=3)
    mine_reference = make_visit(app, uid, title="Mein Besuch", arrival_at=soon, departure_at=soon + timedelta(days=1))
    make_visit(app, uid, title="Niemandes Besuch", arrival_at=soon, departure_at=soon + timedelta(days=1),
               responsible_officer_id=None)
    with app.app_context():
        visit_id = db.session.scalar(sa.select(Visit.id).where(Visit.title == "Mein Besuch"))
        checklists.add_task(scope="visit", subject_id=visit_id, title="Überfällige Aufgabe",
                            due_on=(now_utc() - timedelta(days=2)).date(), owner_id=uid,
                            actor=db.session.get(User, uid))
        for title, days in (("Bald fällige Aufgabe", 3), ("Späte Aufgabe", 20)):
            checklists.add_task(scope="visit", subject_id=visit_id, title=title,
                                due_on=(now_utc() + timedelta(days=days)).date(), owner_id=uid,
                                actor=db.session.get(User, uid))
        db.session.commit()
    client = app.test_client()
    login(client, "referent@example.org")
    page = client.get("/").get_data(as_text=True)
    officer_card = page.split('data-testid="card-visits-officer"')[1].split('data-testid="card-')[0]
    mine, rest = officer_card.split("My tasks due and overdue") if "My tasks due and overdue" in officer_card else \
        officer_card.split("Meine fälligen und überfälligen Aufgaben")
    due, unassigned = rest.split("Besuche ohne") if "Besuche ohne" in rest else rest.split("Visits without")
    assert "Mein Besuch" in mine and "Niemandes Besuch" not in mine
    assert "Überfällige Aufgabe" in due and f"/visits/{mine_reference}#checklist" in due
    assert "Bald fällige Aufgabe" in due and "Späte Aufgabe" not in due
    assert "Niemandes Besuch" in unassigned and "Mein Besuch" not in unassigned


def test_next_visits_card_lists_the_earliest_first_and_hides_confidential_ones_from_a_viewer(app):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    make_user(app, "leser@example.org", roles=["viewer"])
    start = now_utc() + timedelta(days=2)
    for offset, title in ((5, "Später Besuch"), (1, "Früher Besuch")):
        make_visit(app, uid, title=title, arrival_at=start + timedelta(days=offset),
                   departure_at=start + timedelta(days=offset + 1))
    make_visit(app, uid, title="Vertraulicher Besuch", arrival_at=start, departure_at=start + timedelta(days=1),
               is_confidential=True)
    make_visit(app, uid, title="Vergangener Besuch", arrival_at=start - timedelta(days=30),
               departure_at=start - timedelta(days=29))

    def next_visits(email):
        client = app.test_client()
        login(client, email)
        return client.get("/").get_data(as_text=True).split('data-testid="card-visits"')[1]

    card = next_visits("leser@example.org")
    assert card.index("Früher Besuch") < card.index("Später Besuch")
    assert "Vertraulicher Besuch" not in card and "Vergangener Besuch" not in card
    assert "Vertraulicher Besuch" in next_visits("referent@example.org")


def test_dashboard_query_count_does_not_grow_with_the_data(app, count_queries):
    reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    soon = now_utc() + timedelta(days=3)

    def add(n):
        for i in range(n):
            make_visit(app, uid, title=f"Besuch {i}", arrival_at=soon, departure_at=soon + timedelta(days=1))

    add(2)
    with count_queries() as small:
        client.get("/")
    add(12)
    with count_queries() as large:
        client.get("/")
    assert len(large) == len(small)


def test_admin_maintains_checklist_templates(app):
    reference_data(app)
    make_user(app, "admin@example.org", roles=["admin"])
    admin = app.test_client()
    login(admin, "admin@example.org")
    response = post(admin, "/admin/checklists", {"name": "Staatsbesuch", "applies_to": "visit:state_visit"})
    assert response.status_code == 302
    url = response.headers["Location"]
    post(admin, url, {"title": "Ehrenformation anfragen", "offset_days": "-21", "anchor": "start",
                      "owner_rule": "responsible"})
    page = post(admin, url, {"title": "Zu früh", "offset_days": "-400", "anchor": "start",
                             "owner_rule": "responsible"}).get_data(as_text=True)
    assert "innerhalb eines Jahres" in page
    with app.app_context():
        template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.name == "Staatsbesuch"))
        assert [(i.title, i.offset_days) for i in template.items] == [("Ehrenformation anfragen", -21)]
    make_user(app, "referent@example.org", roles=["officer"])
    officer = app.test_client()
    login(officer, "referent@example.org")
    assert officer.get("/admin/checklists").status_code == 403


def test_the_officer_sees_her_event_tasks_due_this_week_on_the_start_page(app):
    from protocol_app.events.models import Event
    from tests.event_support import event_form, officer_client

    uid, client = officer_client(app)
    post(client, "/events/new", event_form(title="Neujahrsempfang"))
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        actor = db.session.get(User, uid)
        for title, days in (("Tischkarten drucken", -1), ("Gästeliste abstimmen", 4), ("Dankschreiben", 30)):
            checklists.add_task(scope="event", subject_id=event.id, title=title,
                                due_on=(now_utc() + timedelta(days=days)).date(), owner_id=uid, actor=actor)
        reference = event.reference
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    card = page.split('data-testid="card-event-tasks"')[1].split('data-testid="card-')[0]
    assert "Tischkarten drucken" in card and "Gästeliste abstimmen" in card and "Dankschreiben" not in card
    assert f"/events/{reference}#checklist" in card
    assert card.index("Tischkarten drucken") < card.index("Gästeliste abstimmen")  # the overdue one first
