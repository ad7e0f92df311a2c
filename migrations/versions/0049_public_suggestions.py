"""public suggestions: a citizen's honours suggestion through the public page

Revision ID: 0049_public_suggestions
Revises: 0048_guest_needs
Create Date: 2026-12-08 00:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0049_public_suggestions'
down_revision = '0048_guest_needs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations') as batch_op:
        batch_op.add_column(sa.Column('suggester_address', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('suggester_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('received_online_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('public_proof', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_nominations_public_proof'), ['public_proof'])


def downgrade():
    with op.batch_alter_table('nominations') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_nominations_public_proof'), type_='unique')
        batch_op.drop_column('public_proof')
        batch_op.drop_column('received_online_at')
        batch_op.drop_column('suggester_email')
        batch_op.drop_column('suggester_address')
