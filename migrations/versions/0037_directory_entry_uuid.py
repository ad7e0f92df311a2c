"""a directory account is tied to its entry's stable identifier

Existing directory accounts are tied at their next login (the column stays empty until then).

Revision ID: 0037_directory_entry_uuid
Revises: 0036_partnerships_news
Create Date: 2026-12-07 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0037_directory_entry_uuid'
down_revision = '0036_partnerships_news'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_uuid', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_directory_uuid'), ['directory_uuid'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_directory_uuid'), type_='unique')
        batch_op.drop_column('directory_uuid')
