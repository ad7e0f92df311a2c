"""The schema comes only from migrations, and models and migrations agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from protocol_app.core.db import include_in_schema_comparison
from protocol_app.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context():
        context = MigrationContext.configure(
            db.session.connection(), opts={"compare_type": True, "include_object": include_in_schema_comparison}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_table_has_a_migration(app):
    with app.app_context():
        inspector = db.inspect(db.session.connection())
        tables = set(inspector.get_table_names())
    assert set(db.metadata.tables) <= tables


def test_an_embedded_installation_with_data_upgrades_where_sqlite_copies_a_table(tmp_path):
    """SQLite widens a check or adds a unique key by copying the table and dropping the old one;
    with users, their sessions and the audit log pointing at them, that drop must not fail (it
    did, for the users table of every embedded installation past 0043)."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path / 'old.sqlite'}", UPLOAD_DIR=str(tmp_path / "up"),
                    EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))
    with app.app_context():
        upgrade(revision="0043_awardee_guest_id")
        db.session.execute(sa.text(
            "INSERT INTO users (id, email, full_name, password_hash, is_active_account, must_change_password, locale, "
            "failed_logins, sign_in, created_at, updated_at) VALUES (1, 'a@example.org', 'A', 'x', 1, 0, 'de', 0, 'directory', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text("INSERT INTO user_sessions (id, user_id, method, created_at, last_seen_at) "
                                   "VALUES ('s1', 1, 'directory', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.session.commit()
        upgrade()
        assert db.session.execute(sa.text("SELECT sign_in FROM users")).scalar() == "directory"
        assert db.session.execute(sa.text("SELECT user_id FROM user_sessions")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # enforced again
        db.session.remove()
