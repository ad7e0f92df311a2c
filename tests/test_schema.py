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
