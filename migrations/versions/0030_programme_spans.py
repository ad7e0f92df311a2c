"""GiST indexes over programme items' time spans, trigram indexes for the visits search
(PostgreSQL), open tasks by owner, visits by departure

Revision ID: 0030_programme_spans
Revises: 0029_mail_parts
Create Date: 2026-12-02 16:20:00

The calendar and the double-booking check ask which items overlap a window; a B-tree on
starts_at cannot bound that search from below. The visits list searches titles and guests
for a part of a word (LIKE '%…%'): pg_trgm's GIN indexes answer that. SQLite keeps its plain
indexes. The extension needs a role allowed to create it (README, Production set-up).
"""
from alembic import op
import sqlalchemy as sa


revision = '0030_programme_spans'
down_revision = '0029_mail_parts'
branch_labels = None
depends_on = None

TABLES = ("visit_programme_items", "event_programme_items", "emigrant_programme_items")


def upgrade():
    op.create_index("ix_visits_departure_at", "visits", ["departure_at"])
    op.create_index("ix_tasks_open_owner_due", "tasks", ["owner_id", "due_on"],
                    postgresql_where=sa.text("done_at IS NULL"), sqlite_where=sa.text("done_at IS NULL"))
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"CREATE INDEX ix_{table}_span ON {table} USING gist (tstzrange(starts_at, ends_at))")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    for column in ("title", "guest_name"):
        op.execute(f"CREATE INDEX ix_visits_{column}_trgm ON visits USING gin (lower({column}) gin_trgm_ops)")


def downgrade():
    op.drop_index("ix_tasks_open_owner_due", "tasks")
    op.drop_index("ix_visits_departure_at", "visits")
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in ("title", "guest_name"):
        op.execute(f"DROP INDEX IF EXISTS ix_visits_{column}_trgm")
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_span")
