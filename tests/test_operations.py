"""Operator-facing parts: health check, production guards, CLI seeding."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import INSECURE_DEFAULT_SECRET, ProductionConfig
from protocol_app import create_app
from protocol_app.auth.models import User
from protocol_app.cli import DEMO_USERS
from protocol_app.directory.models import Country, PartnerCity, Venue
from protocol_app.extensions import db


def test_readiness_reports_database_broker_and_backlog(app, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["database"] == "ok"
    assert report["broker"] == "ok"  # the embedded filesystem broker
    assert report["outbox"] == {"pending": 0, "failed": 0, "uncertain": 0}


def test_health_reports_a_dead_broker(app):
    from tests.conftest import build_app
    from tests.smtp import free_port

    broken = build_app(app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    report = broken.test_client().get("/readyz").get_json()
    assert report["broker"].startswith("error") and report["status"] == "degraded"
    # Liveness asks neither: a dead Redis (or database) never gets a live process restarted.
    assert broken.test_client().get("/healthz").get_json()["status"] == "ok"


def test_readiness_reports_the_beat_leader_late_when_its_heartbeat_is_old(app, client):
    from datetime import timedelta

    from protocol_app.core.heartbeats import BEAT, record
    from protocol_app.core.time import now_utc

    assert client.get("/readyz").get_json()["beat"] == {"status": "unknown", "last_heartbeat": None}
    with app.app_context():
        record(db.session.connection(), BEAT, at=now_utc() - timedelta(seconds=30))
        db.session.commit()
    assert client.get("/readyz").get_json()["beat"]["status"] == "ok"
    with app.app_context():
        record(db.session.connection(), BEAT, at=now_utc() - timedelta(minutes=5))
        db.session.commit()
    beat = client.get("/readyz").get_json()["beat"]
    assert beat["status"] == "late" and beat["age_seconds"] >= 300


def test_production_refuses_default_secret_and_sqlite(monkeypatch):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SECRET_KEY=INSECURE_DEFAULT_SECRET)
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        create_app(ProductionConfig, SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app(
        ProductionConfig, SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://",
        ALLOW_SQLITE_IN_PRODUCTION=True,
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_seed_demo_is_idempotent_and_loads_reference_data(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        emails = set(db.session.scalars(sa.select(User.email)))
        assert {e for e, *_ in DEMO_USERS} == emails
        assert db.session.scalar(sa.select(sa.func.count(PartnerCity.id))) == 18
        assert db.session.get(Country, "DE").name_de == "Deutschland"
        assert db.session.scalar(sa.select(PartnerCity).where(PartnerCity.name_de == "Moskau")).status == "frozen"
        assert db.session.scalar(sa.select(Venue).where(Venue.name == "Großer Festsaal"))
        from protocol_app.news.models import NewsNote
        from protocol_app.partnerships.models import Partnership
        from protocol_app.visits.demo import DEMO_VISITS
        from protocol_app.visits.models import Visit

        states = list(db.session.scalars(sa.select(Visit.state)))
        assert len(states) == len(DEMO_VISITS) == 11  # not doubled by the second run
        assert db.session.scalar(sa.select(sa.func.count(Partnership.id))) == 4
        assert list(db.session.scalars(sa.select(NewsNote.state))) == ["published", "published"]
        assert {"completed", "confirmed", "planning", "requested"} <= set(states)
        from protocol_app.events.models import Event, Guest

        events = {e.title: e for e in db.session.scalars(sa.select(Event))}
        assert len(events) == 6  # next year's occasions, not doubled
        flag_day = next(e for title, e in events.items() if title.startswith("Flaggentag"))
        assert flag_day.state == "invitations_sent"
        invited = db.session.scalars(sa.select(Guest).where(Guest.event_id == flag_day.id)).all()
        assert {g.category for g in invited} == {"senate", "press", "diplomatic_corps"}
        assert all(g.status == "invited" for g in invited)
        from protocol_app.honours.models import Holder, Nomination

        cases = sorted(db.session.scalars(sa.select(Nomination.state)))
        assert cases == ["draft", "in_approval", "in_review", "proposed"]  # not doubled either
        assert db.session.scalar(sa.select(sa.func.count(Holder.id))) == 10
        from protocol_app.language_service.models import TranslatorProfile

        assert db.session.scalar(sa.select(sa.func.count(TranslatorProfile.id))) == 3


def test_seed_demo_refuses_to_run_in_production(app):
    app.config["IS_PRODUCTION"] = True
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code != 0 and "production" in result.output


def test_demo_login_works(app, client):
    from protocol_app.cli import DEMO_PASSWORD
    from tests.support import login

    app.test_cli_runner().invoke(args=["seed-demo"])
    assert login(client, "referent@protokoll.example", DEMO_PASSWORD).status_code == 302
    assert client.get("/directory/partner-cities").status_code == 200


def test_create_admin_prints_a_temporary_password_that_must_be_changed(app):
    from tests.support import login

    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "it@example.org", "--name", "IT-Betrieb"]
    )
    assert result.exit_code == 0, result.output
    temporary = result.output.strip().rsplit(" ", 1)[1]
    client = app.test_client()
    assert login(client, "it@example.org", temporary).status_code == 302
    assert client.get("/admin/users").headers["Location"] == "/auth/password?next=/admin/users"
    again = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "it@example.org", "--name", "X"]
    )
    assert again.exit_code != 0


def test_seed_bulk_adds_visits_items_and_tasks_with_valid_references(app):
    from protocol_app.core.checklists.models import Task
    from protocol_app.visits.models import Visit, VisitProgrammeItem

    result = app.test_cli_runner().invoke(args=["seed-bulk", "--visits", "60", "--items", "200", "--tasks", "90"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VisitProgrammeItem.id))) >= 200  # plus demo items
        assert db.session.scalar(sa.select(sa.func.count(Task.id))) >= 90
        # New visits continue the numbering of the bulk years without collisions.
        years = db.session.execute(sa.select(Visit.year, sa.func.count(), sa.func.max(Visit.number))
                                   .group_by(Visit.year)).all()
        assert years and all(count == top for _year, count, top in years)
