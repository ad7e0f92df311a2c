"""outbox bodies encrypted at rest

Revision ID: 0017_outbox_sealed
Revises: 0016_outbox_once
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_outbox_sealed'
down_revision = '0016_outbox_once'
branch_labels = None
depends_on = None

mails = sa.table("outbox_mails", sa.column("id", sa.Integer), sa.column("body_sealed", sa.Text))


def _convert(transform):
    conn = op.get_bind()
    for mail_id, body in conn.execute(sa.select(mails.c.id, mails.c.body_sealed)).all():
        conn.execute(mails.update().where(mails.c.id == mail_id).values(body_sealed=transform(body)))


def upgrade():
    from protocol_app.core.sealing import seal

    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('body_text', new_column_name='body_sealed', existing_type=sa.Text(),
                              existing_nullable=False)
    _convert(seal)  # mails already waiting keep their links, now encrypted


def downgrade():
    from protocol_app.core.sealing import unseal

    _convert(unseal)
    with op.batch_alter_table('outbox_mails', schema=None) as batch_op:
        batch_op.alter_column('body_sealed', new_column_name='body_text', existing_type=sa.Text(),
                              existing_nullable=False)
