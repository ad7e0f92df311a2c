"""honorary graves: register, suggestions, renewal batches

Revision ID: 0034_graves
Revises: 0033_sign_in
Create Date: 2026-12-03 15:02:59.264200

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034_graves'
down_revision = '0033_sign_in'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grave_renewal_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('first_term_end', sa.Date(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_reference', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'decided')", name=op.f('ck_grave_renewal_batches_state_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grave_renewal_batches'))
    )
    with op.batch_alter_table('grave_renewal_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grave_renewal_batches_first_term_end'), ['first_term_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_grave_renewal_batches_state'), ['state'], unique=False)

    op.create_table('honorary_graves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('born_on', sa.Date(), nullable=True),
    sa.Column('died_on', sa.Date(), nullable=True),
    sa.Column('honoured_for', sa.String(length=500), nullable=True),
    sa.Column('cemetery', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=100), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('recognised_since', sa.Date(), nullable=True),
    sa.Column('term_ends_on', sa.Date(), nullable=True),
    sa.Column('honorary_citizen', sa.Boolean(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_reference', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('recognised', 'extension_pending', 'ended')", name=op.f('ck_honorary_graves_status_valid')),
    sa.CheckConstraint('died_on IS NULL OR born_on IS NULL OR died_on >= born_on', name=op.f('ck_honorary_graves_death_after_birth')),
    sa.CheckConstraint('term_ends_on IS NULL OR recognised_since IS NULL OR term_ends_on > recognised_since', name=op.f('ck_honorary_graves_term_after_recognition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honorary_graves'))
    )
    with op.batch_alter_table('honorary_graves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honorary_graves_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_honorary_graves_term_ends_on'), ['term_ends_on'], unique=False)

    op.create_table('grave_renewal_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('grave_id', sa.Integer(), nullable=False),
    sa.Column('proposal', sa.String(length=10), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.CheckConstraint("proposal IS NULL OR proposal IN ('extend', 'end')", name=op.f('ck_grave_renewal_entries_proposal_valid')),
    sa.ForeignKeyConstraint(['batch_id'], ['grave_renewal_batches.id'], name=op.f('fk_grave_renewal_entries_batch_id_grave_renewal_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grave_id'], ['honorary_graves.id'], name=op.f('fk_grave_renewal_entries_grave_id_honorary_graves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grave_renewal_entries')),
    sa.UniqueConstraint('batch_id', 'grave_id', name='uq_grave_renewal_entries_grave')
    )
    with op.batch_alter_table('grave_renewal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grave_renewal_entries_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grave_renewal_entries_grave_id'), ['grave_id'], unique=False)

    op.create_table('grave_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('born_on', sa.Date(), nullable=True),
    sa.Column('died_on', sa.Date(), nullable=False),
    sa.Column('honoured_for', sa.String(length=500), nullable=True),
    sa.Column('cemetery', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=100), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=False),
    sa.Column('honorary_citizen', sa.Boolean(), nullable=False),
    sa.Column('suggested_by', sa.String(length=200), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('decision_reference', sa.String(length=100), nullable=True),
    sa.Column('grave_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('received', 'departments', 'council', 'recognised', 'not_recognised')", name=op.f('ck_grave_suggestions_state_valid')),
    sa.ForeignKeyConstraint(['grave_id'], ['honorary_graves.id'], name=op.f('fk_grave_suggestions_grave_id_honorary_graves')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grave_suggestions'))
    )
    with op.batch_alter_table('grave_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grave_suggestions_state'), ['state'], unique=False)

    op.create_table('grave_suggestion_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('suggestion_id', sa.Integer(), nullable=False),
    sa.Column('by_council', sa.Boolean(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['grave_suggestions.id'], name=op.f('fk_grave_suggestion_statements_suggestion_id_grave_suggestions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grave_suggestion_statements'))
    )
    with op.batch_alter_table('grave_suggestion_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grave_suggestion_statements_suggestion_id'), ['suggestion_id'], unique=False)



def downgrade():
    with op.batch_alter_table('grave_suggestion_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grave_suggestion_statements_suggestion_id'))

    op.drop_table('grave_suggestion_statements')
    with op.batch_alter_table('grave_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grave_suggestions_state'))

    op.drop_table('grave_suggestions')
    with op.batch_alter_table('grave_renewal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grave_renewal_entries_grave_id'))
        batch_op.drop_index(batch_op.f('ix_grave_renewal_entries_batch_id'))

    op.drop_table('grave_renewal_entries')
    with op.batch_alter_table('honorary_graves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honorary_graves_term_ends_on'))
        batch_op.drop_index(batch_op.f('ix_honorary_graves_status'))

    op.drop_table('honorary_graves')
    with op.batch_alter_table('grave_renewal_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grave_renewal_batches_state'))
        batch_op.drop_index(batch_op.f('ix_grave_renewal_batches_first_term_end'))

    op.drop_table('grave_renewal_batches')
