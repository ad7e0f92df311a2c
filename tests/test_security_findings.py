"""Issue 13's findings, one test each: every one of them failed on the tree before the fix."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from protocol_app.core.checklists import services as checklists
from protocol_app.extensions import db
from protocol_app.honours import services as honours
from tests.honours_support import case_values, setup_people, user
from tests.support import login


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
