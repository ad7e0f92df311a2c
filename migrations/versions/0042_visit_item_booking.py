"""a visit's programme item keeps its interpreter booking's id, like events and stays do; the
Sprachendienst's assignment no longer points into the visits' table (expand: the old column
`assignments.programme_item_id` stays for the release before, which still reads and writes it
during an upgrade; the next release copies what it wrote meanwhile and drops it — see
`core.db.AWAITING_CONTRACTION` and docs/upgrades.md)

Revision ID: 0042_visit_item_booking
Revises: 0041_sort_key
Create Date: 2026-12-07 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0042_visit_item_booking'
down_revision = '0041_sort_key'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visit_programme_items') as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        # The booking's id, no foreign key: the item's layer knows no domain's tables.
        batch_op.create_unique_constraint(batch_op.f('uq_visit_programme_items_assignment_id'), ['assignment_id'])
    # Every booking made from a visit's item keeps its link, now held by the item.
    op.execute("UPDATE visit_programme_items SET assignment_id = (SELECT a.id FROM assignments a "
               "WHERE a.programme_item_id = visit_programme_items.id)")


def downgrade():
    with op.batch_alter_table('visit_programme_items') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_visit_programme_items_assignment_id'), type_='unique')
        batch_op.drop_column('assignment_id')
