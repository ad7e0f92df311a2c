"""global search: a folding function and trigram indexes over the names searched (PostgreSQL)

Revision ID: 0031_search
Revises: 0030_programme_spans
Create Date: 2026-12-02 16:10:00

`protokoll_fold(text)` folds as core.search.folding.fold does: lower case, ß→ss, no
diacritics (unaccent), ae/oe/ue→a/o/u. It is declared IMMUTABLE (with the unaccent
dictionary named) so that expression indexes may use it. SQLite registers the Python
function on each connection instead.
"""
from alembic import op


revision = '0031_search'
down_revision = '0030_programme_spans'
branch_labels = None
depends_on = None

#: (table, column) searched by the global search, each with a trigram index on its folded text.
SEARCHED = (
    ("visits", "title"), ("visits", "guest_name"), ("events", "title"), ("event_guests", "name"),
    ("event_guests", "organisation"), ("contacts", "name"), ("contacts", "organisation"),
    ("nominations", "nominee_name"), ("assignments", "title"),
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    op.execute("""
        CREATE OR REPLACE FUNCTION public.protokoll_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
            SELECT btrim(regexp_replace(replace(replace(replace(
                lower(public.unaccent('public.unaccent'::regdictionary, replace(lower(value), 'ß', 'ss'))),
                'ae', 'a'), 'oe', 'o'), 'ue', 'u'), '\\s+', ' ', 'g'))
        $$""")
    for table, column in SEARCHED:
        op.execute(f"CREATE INDEX ix_{table}_{column}_fold ON {table} "
                   f"USING gin (public.protokoll_fold({column}) public.gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in SEARCHED:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_fold")
    # The function lives in schema public: another installation's schema in the same database
    # may still index with it, and then it stays.
    op.execute("""
        DO $$ BEGIN
            DROP FUNCTION IF EXISTS public.protokoll_fold(text);
        EXCEPTION WHEN dependent_objects_still_exist THEN NULL;
        END $$""")
