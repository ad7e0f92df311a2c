"""a visit's programme item keeps its interpreter booking's id, like events and stays do; the
Sprachendienst's assignment no longer points into the visits' table

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
        batch_op.create_unique_constraint(batch_op.f('uq_visit_programme_items_assignment_id'), ['assignment_id'])
        batch_op.create_foreign_key(batch_op.f('fk_visit_programme_items_assignment_id_assignments'), 'assignments',
                                    ['assignment_id'], ['id'], ondelete='SET NULL')
    # Every booking made from a visit's item keeps its link, now held by the item.
    op.execute("UPDATE visit_programme_items SET assignment_id = (SELECT a.id FROM assignments a "
               "WHERE a.programme_item_id = visit_programme_items.id)")
    with op.batch_alter_table('assignments') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignments_programme_item_id_visit_programme_items'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_assignments_programme_item_id'), type_='unique')
        batch_op.drop_column('programme_item_id')


def downgrade():
    with op.batch_alter_table('assignments') as batch_op:
        batch_op.add_column(sa.Column('programme_item_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_assignments_programme_item_id'), ['programme_item_id'])
        batch_op.create_foreign_key(batch_op.f('fk_assignments_programme_item_id_visit_programme_items'),
                                    'visit_programme_items', ['programme_item_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE assignments SET programme_item_id = (SELECT i.id FROM visit_programme_items i "
               "WHERE i.assignment_id = assignments.id)")
    with op.batch_alter_table('visit_programme_items') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_visit_programme_items_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_visit_programme_items_assignment_id'), type_='unique')
        batch_op.drop_column('assignment_id')
