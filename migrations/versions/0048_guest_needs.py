"""guest needs: the reply's questions per event, the guests' answers (sealed) and their erasure

Revision ID: 0048_guest_needs
Revises: 0047_mail_texts
Create Date: 2026-12-08 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0048_guest_needs'
down_revision = '0047_mail_texts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events') as batch_op:
        batch_op.add_column(sa.Column('reply_questions', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('reply_required', sa.String(length=60), nullable=True))
    with op.batch_alter_table('event_guests') as batch_op:
        batch_op.add_column(sa.Column('needs_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('conversation_language', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('needs_erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('event_guests') as batch_op:
        batch_op.drop_column('needs_erased_at')
        batch_op.drop_column('conversation_language')
        batch_op.drop_column('needs_sealed')
    with op.batch_alter_table('events') as batch_op:
        batch_op.drop_column('reply_required')
        batch_op.drop_column('reply_questions')
