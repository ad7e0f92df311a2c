"""The manager's desk, a case page, the quota dashboard and the case list run a number of
SQL queries that does not grow with the number of cases and holders."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from protocol_app.extensions import db
from protocol_app.honours import services
from tests.honours_support import award, case_values, setup_people, user
from tests.support import login

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _grow(app, cases: int, holders: int) -> str:
    """Add `cases` cases waiting in the first step (with merits, statements, decisions) and holders."""
    with time_machine.travel(NOW, tick=False), app.app_context():
        author, reviewer = user("autorin@example.org"), user("pruefer@example.org")
        for n in range(holders):
            services.add_holder(award(), actor=author, name=f"Träger {n}", gender="fm"[n % 2],
                                awarded_on=date(2010 + n % 15, 10, 1))
        for n in range(cases):
            case = services.create_case(actor=author, values=case_values(nominee_name=f"Person {n}"))
            for i in range(3):
                services.add_merit(case, actor=author, description=f"Verdienst {i}", date_from=date(2024, 1, 1 + i))
                statement = services.request_statement(case, actor=author, from_whom=f"Stelle {i}",
                                                       requested_on=date(2026, 1, 1))
                services.receive_statement(statement, actor=author, received_on=date(2026, 2, 1))
            services.submit(case, actor=author)
            services.start_review(case, actor=reviewer)
            services.forward(case, actor=reviewer)
            services.approve_step(case, actor=user("referatsleitung@example.org"))
            services.return_step(case, actor=user("abteilungsleitung@example.org"), comment="Bitte prüfen")
        db.session.commit()
        return case.reference


def test_honours_pages_keep_their_query_count_as_cases_and_holders_grow(app, count_queries):
    setup_people(app)
    def measure(reference):
        counts = {}
        with time_machine.travel(NOW, tick=False):
            client = app.test_client()
            login(client, "referatsleitung@example.org")  # inside the travel: sessions have a lifetime
            for path in ("/honours/desk", f"/honours/{reference}", "/honours/quotas", "/honours/"):
                with count_queries() as statements:
                    assert client.get(path).status_code == 200, path
                counts[path.split("/")[2] if not path.startswith("/honours/N-") else "case"] = len(statements)
        return counts

    small = measure(_grow(app, cases=2, holders=3))
    large = measure(_grow(app, cases=15, holders=40))
    assert small == large, (small, large)
