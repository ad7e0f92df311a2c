"""assignment life cycle: states on the workflow engine, hand-back of offers

Revision ID: 0020_assignment_states
Revises: 0019_event_embargo
Create Date: 2026-12-01 22:16:30.997156

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_assignment_states'
down_revision = '0019_event_embargo'
branch_labels = None
depends_on = None


ACCEPTED = "(SELECT COUNT(*) FROM assignment_offers o WHERE o.assignment_id = assignments.id AND o.state = 'accepted')"
OFFERED = "EXISTS (SELECT 1 FROM assignment_offers o WHERE o.assignment_id = assignments.id AND o.state = 'offered')"
ASSIGNMENT_STATES = "('open', 'offered', 'partly_staffed', 'staffed', 'done', 'cancelled')"


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('state', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    # The state the assignment is in, read off what was stored so far.
    op.execute(f"""UPDATE assignments SET state = CASE
        WHEN is_cancelled THEN 'cancelled'
        WHEN confirmed_at IS NOT NULL THEN 'done'
        WHEN {ACCEPTED} >= needed THEN 'staffed'
        WHEN {ACCEPTED} > 0 THEN 'partly_staffed'
        WHEN {OFFERED} THEN 'offered'
        ELSE 'open' END""")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.alter_column('state', existing_type=sa.String(length=30), nullable=False)
        batch_op.create_index(batch_op.f('ix_assignments_state'), ['state'], unique=False)
        batch_op.create_check_constraint('state_valid', f"state IN {ASSIGNMENT_STATES}")
        batch_op.drop_column('is_cancelled')
    with op.batch_alter_table('assignment_offers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignment_offers_state_valid'), type_='check')
        batch_op.create_check_constraint(
            'state_valid', "state IN ('offered', 'accepted', 'declined', 'withdrawn', 'handed_back')")


def downgrade():
    op.execute("UPDATE assignment_offers SET state = 'declined' WHERE state = 'handed_back'")
    with op.batch_alter_table('assignment_offers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignment_offers_state_valid'), type_='check')
        batch_op.create_check_constraint('state_valid', "state IN ('offered', 'accepted', 'declined', 'withdrawn')")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_cancelled', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE assignments SET is_cancelled = (state = 'cancelled')")
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignments_state_valid'), type_='check')
        batch_op.drop_index(batch_op.f('ix_assignments_state'))
        batch_op.drop_column('version')
        batch_op.drop_column('state')
        batch_op.drop_column('cancel_reason')
