"""sign-in with the Land's login (OpenID Connect): an account may sign in with the provider and
keeps the provider's subject

Revision ID: 0044_provider_sign_in
Revises: 0043_awardee_guest_id
Create Date: 2026-12-07 20:25:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0044_provider_sign_in'
down_revision = '0043_awardee_guest_id'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_provider_subject'), ['provider_subject'])
        # A wider check, not a narrower one: the release before never writes 'provider', and
        # everything it writes stays allowed.
        batch_op.drop_constraint(batch_op.f('ck_users_sign_in_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_sign_in_valid'),
                                         "sign_in IN ('local', 'directory', 'provider')")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_sign_in_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_sign_in_valid'), "sign_in IN ('local', 'directory')")
        batch_op.drop_constraint(batch_op.f('uq_users_provider_subject'), type_='unique')
        batch_op.drop_column('provider_subject')
