"""the search's GIN indexes are written at once (fastupdate off)

With GIN's fast update, rows inserted by a large import wait in the index's pending list until
autovacuum comes by; until then the planner prices the trigram indexes so high that a visits
search scans every visit. Writing the index at once costs each insert a little and keeps the
search fast right after an import. The pending lists there are are cleaned now.

Revision ID: 0038_gin_fastupdate_off
Revises: 0037_directory_entry_uuid
Create Date: 2026-12-07 04:00:00

"""
from alembic import op


revision = '0038_gin_fastupdate_off'
down_revision = '0037_directory_entry_uuid'
branch_labels = None
depends_on = None

#: The trigram indexes of 0030 (visits list search) and 0031 (global search).
GIN_INDEXES = (
    "ix_visits_title_trgm", "ix_visits_guest_name_trgm",
    "ix_visits_title_fold", "ix_visits_guest_name_fold", "ix_events_title_fold", "ix_event_guests_name_fold",
    "ix_event_guests_organisation_fold", "ix_contacts_name_fold", "ix_contacts_organisation_fold",
    "ix_nominations_nominee_name_fold", "ix_assignments_title_fold",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in GIN_INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in GIN_INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
