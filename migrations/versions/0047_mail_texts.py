"""mail texts: the office's own words for its mails, versioned; the outbox names the words used

Revision ID: 0047_mail_texts
Revises: 0046_access_tokens
Create Date: 2026-12-07 23:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0047_mail_texts'
down_revision = '0046_access_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_text_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_mail_text_versions_changed_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_text_versions')),
        sa.UniqueConstraint('kind', 'language', 'version', name=op.f('uq_mail_text_versions_kind_language_version')),
    )
    with op.batch_alter_table('outbox_mails') as batch_op:
        batch_op.add_column(sa.Column('mail_kind', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('mail_text_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_mails') as batch_op:
        batch_op.drop_column('mail_text_version')
        batch_op.drop_column('mail_kind')
    op.drop_table('mail_text_versions')
