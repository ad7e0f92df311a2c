"""The audit log nobody can erase: the app's role may only append, and the hash chain
names every entry that the owner deleted, changed or truncated afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from protocol_app.core.audit import record_event
from protocol_app.core.audit.chain import seal_audit_log, verify_chain
from protocol_app.extensions import db
from tests import services

APP_ROLE = services.own("protokoll_app_test")


def _events(app, n=6) -> list[int]:
    with app.app_context():
        events = [record_event("visit.update", summary=f"change {i}", changes={"title": [f"a{i}", f"b{i}"]})
                  for i in range(n)]
        db.session.commit()
        return [event.id for event in events]


def _verify(app):
    with app.app_context():
        return verify_chain()


def test_the_chain_verifies_and_sealing_twice_adds_nothing(app):
    with app.app_context():
        before = seal_audit_log()  # what the installation logged before (loading its reference data)
        db.session.commit()
    ids = _events(app)
    with app.app_context():
        assert seal_audit_log() == len(ids)
        assert seal_audit_log() == 0
        db.session.commit()
    report = _verify(app)
    assert report.ok and report.sealed == before + len(ids)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and f"audit chain intact: {before + len(ids)} links" in result.output


def _as_owner(app, *statements):
    """What someone holding the owner's rights can do: switch the guard off and edit."""
    with app.app_context():
        for statement in statements:
            db.session.execute(sa.text(statement))
        db.session.commit()


@pytest.mark.postgres_only
@pytest.mark.parametrize("attack, finding", [
    ("DELETE FROM audit_events WHERE id = {third}", "link 3: audit event {third} is missing (deleted)"),
    ("UPDATE audit_events SET summary = 'harmless' WHERE id = {fifth}",
     "link 5: audit event {fifth} was changed after it was sealed"),
    ("TRUNCATE audit_events", "link 1: audit event {first} is missing (deleted)"),
    ("DELETE FROM audit_chain WHERE seq = 2", "link 2 to 2 missing from the chain"),
])
def test_the_owner_deleting_changing_or_truncating_is_named_by_verify(committing_app, attack, finding):
    app = committing_app
    ids = _events(app)
    with app.app_context():
        seal_audit_log()
        db.session.commit()
    marks = {"first": ids[0], "third": ids[2], "fifth": ids[4]}
    _as_owner(app, "ALTER TABLE audit_events DISABLE TRIGGER USER", attack.format(**marks),
              "ALTER TABLE audit_events ENABLE TRIGGER USER")
    report = _verify(app)
    assert not report.ok
    assert report.problems[0] == finding.format(**marks)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and finding.format(**marks) in result.output


@pytest.mark.postgres_only
def test_the_apps_role_may_append_to_the_audit_log_but_not_erase_it(committing_app):
    app = committing_app
    grants = app.test_cli_runner().invoke(args=["grants", "--role", APP_ROLE, "--schema", services.own("protokoll_commit")])
    assert grants.exit_code == 0 and "GRANT SELECT, INSERT ON" in grants.output
    owner = sa.create_engine(services.PG_BASE_URL)
    with owner.begin() as conn:
        conn.execute(sa.text(f"DO $$ BEGIN CREATE ROLE {APP_ROLE} LOGIN; "
                             "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        conn.execute(sa.text(f"SET search_path TO {services.own('protokoll_commit')}"))
        for statement in grants.output.splitlines():
            if statement and not statement.startswith("--"):
                conn.execute(sa.text(statement))
    owner.dispose()
    _events(app, 2)
    url = sa.engine.make_url(services.pg_url("protokoll_commit")).set(username=APP_ROLE)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:  # the app's everyday work goes on
            conn.execute(sa.text("INSERT INTO audit_events (occurred_at, action) VALUES (now(), 'test.append')"))
            assert conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar() == 3
            conn.execute(sa.text("SELECT count(*) FROM users"))
        for attack in ("TRUNCATE audit_events", "DELETE FROM audit_events", "UPDATE audit_events SET summary = 'x'",
                       "ALTER TABLE audit_events DISABLE TRIGGER USER", "DROP TRIGGER audit_events_no_update "
                       "ON audit_events", "DELETE FROM audit_chain", "TRUNCATE users"):
            with engine.connect() as conn, pytest.raises(sa.exc.ProgrammingError) as refused:
                conn.execute(sa.text(attack))
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value), attack
    finally:
        engine.dispose()
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM audit_events")) == 3


@pytest.mark.postgres_only
@pytest.mark.parametrize("attack", [
    ("DELETE FROM audit_chain WHERE seq > {cut}", "DELETE FROM audit_events WHERE id > {cut_event}"),
    ("TRUNCATE audit_chain", "TRUNCATE audit_events"),
])
def test_an_owner_cutting_or_emptying_the_chain_is_found_by_its_anchor_outside_the_database(
        committing_app, tmp_path, attack):
    """Issue 30, item 8: before, both attacks left a chain that verified ("intact: 0 links")."""
    app = committing_app
    anchors = tmp_path / "audit-anchors.log"
    app.config["AUDIT_ANCHOR_FILE"] = str(anchors)
    try:
        ids = _events(app)
        with app.app_context():
            seal_audit_log()
            db.session.commit()
            head = db.session.scalar(sa.text("SELECT max(seq) FROM audit_chain"))
            cut_event = db.session.scalar(sa.text("SELECT event_id FROM audit_chain WHERE seq = :s"), {"s": head - 2})
        db_hash = _head_hash(app, head)
        assert anchors.read_text().splitlines()[-1] == f"protokoll-audit-head seq={head} hash={db_hash}"
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
        marks = {"cut": head - 2, "cut_event": cut_event}
        _as_owner(app, "ALTER TABLE audit_events DISABLE TRIGGER USER", *(s.format(**marks) for s in attack),
                  "ALTER TABLE audit_events ENABLE TRIGGER USER")
        assert _verify(app).ok  # the chain alone cannot tell
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 1
        assert f"link {head}, anchored outside the database, is missing" in result.output
        # The operator's export of the journal serves as well as the file.
        exported = tmp_path / "journal.txt"
        exported.write_text(f"Dec 07 03:00:01 host protokoll-audit[42]: protokoll-audit-head seq={head} hash={db_hash}\n")
        app.config["AUDIT_ANCHOR_FILE"] = None
        assert app.test_cli_runner().invoke(args=["audit", "verify", "--anchors", str(exported)]).exit_code == 1
        assert len(ids) == 6
    finally:
        app.config["AUDIT_ANCHOR_FILE"] = None


def _head_hash(app, seq) -> str:
    with app.app_context():
        return db.session.scalar(sa.text("SELECT entry_hash FROM audit_chain WHERE seq = :s"), {"s": seq})
