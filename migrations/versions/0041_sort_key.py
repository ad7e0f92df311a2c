"""the sort key of text columns on lists (German order: case and diacritics do not count)

`protokoll_sort_key(text)` makes the key as core.search.folding.sort_key does: lower case,
ß→ss, no diacritics (unaccent). SQLite registers the Python function on each connection.

Revision ID: 0041_sort_key
Revises: 0040_partner_city_other_names
Create Date: 2026-12-07 15:00:00

"""
from alembic import op


revision = '0041_sort_key'
down_revision = '0040_partner_city_other_names'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE OR REPLACE FUNCTION public.protokoll_sort_key(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
            SELECT lower(public.unaccent('public.unaccent'::regdictionary, replace(lower(value), 'ß', 'ss')))
        $$""")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS public.protokoll_sort_key(text)")
