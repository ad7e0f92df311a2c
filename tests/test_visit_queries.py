"""The busiest pages run a number of SQL queries that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

from protocol_app.auth.models import User
from protocol_app.core.checklists import services as checklists
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from protocol_app.visits import services
from tests.support import login, make_user
from tests.visit_support import reference_data


def _grow(app, officer_id, host_id, visits: int, items: int):
    """Add visits in the coming weeks, each with `items` programme items, tasks and gifts."""
    with app.app_context():
        officer = db.session.get(User, officer_id)
        start = now_utc().replace(microsecond=0) + timedelta(days=2)
        for n in range(visits):
            arrival = start + timedelta(hours=n)
            visit = services.create_visit(actor=officer, host_ids=[host_id], values={
                "title": f"Besuch {n}", "kind": "delegation", "guest_name": f"Gast {n}", "country_code": "FR",
                "arrival_at": arrival, "departure_at": arrival + timedelta(days=1),
                "travel_timezone": "Europe/Berlin", "responsible_officer_id": officer_id,
                "is_confidential": False})
            for i in range(items):
                services.save_programme_item(visit, None, actor=officer, host_ids=[host_id], values={
                    "title": f"Punkt {i}", "starts_at": arrival + timedelta(minutes=10 * i),
                    "ends_at": arrival + timedelta(minutes=10 * i + 5), "dress_code": "none",
                    "press": "none"}, conflict_reason="Test")
                checklists.add_task(scope="visit", subject_id=visit.id, title=f"Aufgabe {i}",
                                    due_on=(arrival - timedelta(days=3)).date(), owner_id=officer_id, actor=officer)
                services.save_gift(visit, None, actor=officer, values={
                    "direction": "given", "description": f"Geschenk {i}", "giver": "A", "recipient": "B"})
            services.add_delegation_member(visit, actor=officer, name=f"Mitglied {n}", precedence=1)
        db.session.commit()
        return visit.reference


def test_query_counts_stay_flat_as_data_grows(app, count_queries):
    data = reference_data(app)
    uid = make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    login(client, "referent@example.org")
    month = (now_utc() + timedelta(days=2)).strftime("%Y-%m-%d")
    pages = ["/visits/", "/visits/?q=besuch&kind=delegation&sort=title", "/visits/?q=Delegation",
             f"/calendar/?view=month&date={month}", "/", "/search/?q=Gast", "/search/?q=Gats"]

    def measure(reference):
        counts = {}
        for path in [*pages, f"/visits/{reference}"]:
            key = "detail" if path.startswith("/visits/V-") else path
            with count_queries() as statements:
                assert client.get(path).status_code == 200
            counts[key] = len(statements)
        return counts

    # 1× and 10× the visits and programme items (a busy day of the month then has more than the
    # three entries it shows; the search ranks more candidates).
    small = measure(_grow(app, uid, data["host_id"], visits=2, items=2))
    large = measure(_grow(app, uid, data["host_id"], visits=18, items=4))
    assert large == small
    assert max(small.values()) <= 25
