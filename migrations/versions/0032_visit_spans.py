"""a GiST index over the visits' stays, programme items by visit with their span (PostgreSQL)

Revision ID: 0032_visit_spans
Revises: 0031_search
Create Date: 2026-12-03 14:10:00

The calendar asks which visits overlap its six weeks; a B-tree on departure_at finds every
visit that departs after the window's start (a third of 20,000) and filters them. The stay
is closed at both ends ('[]') so that a visit arriving and departing at one moment is no
empty range the index would never find.

The month view ranks the window's ~2,300 items per day by start and title: with those
columns in the index by visit (INCLUDE), PostgreSQL ranks them from the index alone
instead of fetching each item's row from all over the table (28 → 12 ms on the bulk data).
"""
from alembic import op

revision = '0032_visit_spans'
down_revision = '0031_search'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_visits_stay ON visits USING gist (tstzrange(arrival_at, departure_at, '[]'))")
    op.execute("CREATE INDEX ix_visit_programme_items_visit_span ON visit_programme_items (visit_id) "
               "INCLUDE (id, starts_at, ends_at, title)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_visit_programme_items_visit_span")
    op.execute("DROP INDEX IF EXISTS ix_visits_stay")
