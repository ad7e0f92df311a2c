"""partner cities' other customary names (for the Golden Book's eligibility rule)

Revision ID: 0040_partner_city_other_names
Revises: 0039_heartbeats
Create Date: 2026-12-07 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0040_partner_city_other_names'
down_revision = '0039_heartbeats'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('partner_cities') as batch_op:
        batch_op.add_column(sa.Column('other_names', sa.String(length=500), nullable=True))
    # The customary names of the cities an installation already has; `seed-reference` fills new ones.
    from protocol_app.directory.reference_data import PARTNER_CITY_OTHER_NAMES

    cities = sa.table('partner_cities', sa.column('name_de', sa.String), sa.column('other_names', sa.String))
    for name_de, other_names in PARTNER_CITY_OTHER_NAMES.items():
        op.execute(cities.update().where(cities.c.name_de == name_de).values(other_names=other_names))


def downgrade():
    with op.batch_alter_table('partner_cities') as batch_op:
        batch_op.drop_column('other_names')
