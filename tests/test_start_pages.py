"""Each role's start page shows the work waiting for that role, on the demo data, and every item
leads to the page where it is done (the items are checked against the database, not against
fixed references: other tests on the same demo server move records along)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from protocol_app.cli import DEMO_PASSWORD
from protocol_app.emigrants.models import Application
from protocol_app.extensions import db
from protocol_app.honours.models import Nomination
from protocol_app.language_service.models import Offer
from protocol_app.news.models import NewsNote
from tests.support import login


@pytest.fixture(scope="module")
def demo(live_server):
    return live_server.app


def _start_page(app, user: str) -> str:
    client = app.test_client()
    assert login(client, f"{user}@protokoll.example", DEMO_PASSWORD).status_code == 302
    page = client.get("/", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    return page.get_data(as_text=True), client


def _card(page: str, name: str) -> str:
    assert f'data-testid="card-{name}"' in page, f"no card {name}"
    return page.split(f'data-testid="card-{name}"')[1].split('data-testid="card-')[0]


def _links(card: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', card)


def _count(app, statement) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def test_the_manager_sees_the_honours_case_waiting_for_her_and_can_decide_it_there(demo):
    page, client = _start_page(demo, "leitung")
    card = _card(page, "honours-decisions")
    cases = [link for link in _links(card) if re.fullmatch(r"/honours/N-\d{4}-\d{4}", link)]
    waiting = _count(demo, sa.select(Nomination.id).where(Nomination.state == "in_approval"))
    assert waiting >= 1 and len(cases) >= 1, card
    decision_page = client.get(cases[0]).get_data(as_text=True)
    assert 'data-testid="steps"' in decision_page  # her step's buttons are there
    notes = _card(page, "news-approval")
    in_review = _count(demo, sa.select(NewsNote.id).where(NewsNote.state == "in_review"))
    assert len([link for link in _links(notes) if re.fullmatch(r"/news/\d+", link)]) == min(in_review, 8)
    assert "card-graves-decisions" in page
    assert "Wartet auf Ihre Entscheidung" in page  # German, as her account is


def test_the_officer_sees_tasks_the_next_two_weeks_and_unanswered_offers(demo):
    page, client = _start_page(demo, "referent")
    assert "Meine fälligen und überfälligen Aufgaben" in _card(page, "visits-officer")
    weeks = _card(page, "next-two-weeks")
    entries = [link for link in _links(weeks) if link.startswith(("/visits/", "/events/", "/translations/"))]
    assert entries, weeks
    assert all(client.get(link).status_code == 200 for link in entries[:3])
    offers = _card(page, "officer-offers")
    unanswered = _count(demo, sa.select(Offer.assignment_id).where(Offer.state == "offered").distinct())
    assignments = [link for link in _links(offers) if re.fullmatch(r"/translations/S-\d{4}-\d{4}", link)]
    assert len(assignments) == min(unanswered, 8)


def test_the_translator_sees_her_open_offers_with_their_deadline(demo):
    page, client = _start_page(demo, "dolmetscher")
    card = _card(page, "translator-offers")
    with demo.app_context():
        mine = db.session.scalar(sa.select(sa.func.count(Offer.id)).join(Offer.profile)
                                 .where(Offer.state == "offered",
                                        Offer.profile.has(user=_user(demo, "dolmetscher"))))
    offers = [link for link in _links(card) if re.fullmatch(r"/translations/offers/\d+", link)]
    assert len(offers) == min(mine, 8) and mine >= 1, card
    assert "Bitte antworten bis" in card
    assert "Annehmen" in client.get(offers[0]).get_data(as_text=True)  # answered where it is shown
    assert "card-translator-assignments" in page
    assert "card-honours-decisions" not in page and "card-officer-offers" not in page


def test_the_emigration_team_sees_applications_to_check_and_stays_starting(demo):
    page, _client = _start_page(demo, "emigration")
    card = _card(page, "emigrants-to-check")
    received = _count(demo, sa.select(Application.id).where(Application.state == "received"))
    listed = [link for link in _links(card) if re.fullmatch(r"/emigrants/EP-\d{4}-\d{4}", link)]
    assert len(listed) == min(received, 8)
    assert "card-emigrants-stays" in page
    assert "card-visits-officer" not in page


def test_the_admin_sees_failed_mails_blocked_accounts_and_the_last_backup(demo):
    page, _client = _start_page(demo, "admin")
    card = _card(page, "admin")
    assert "E-Mails gescheitert oder unbestätigt" in card
    assert 'data-testid="blocked-users"' in card and 'data-testid="last-backup"' in card


def test_an_empty_card_says_so_in_one_line(demo):
    page, _client = _start_page(demo, "leitung")
    graves = _card(page, "graves-decisions")
    if "/graves/batches/" not in graves and "/graves/suggestions/" not in graves:
        assert "Kein Senatsbeschluss zu Ehrengrabstätten einzutragen." in graves


def _user(app, name):
    from protocol_app.auth.models import User

    return db.session.scalar(sa.select(User).where(User.email == f"{name}@protokoll.example"))
