"""Database conventions: column types, mixins, the per-service savepoint and the
single commit per request or task."""

from __future__ import annotations

import functools
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from ..extensions import db
from .time import as_utc, now_utc


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_utc, onupdate=now_utc, nullable=False
    )


class VersionedMixin:
    """Optimistic locking: every UPDATE carries `WHERE version = <loaded version>`.

    The version also serves as iCalendar SEQUENCE and as the stale-form check.
    """

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


def check_version(record, expected_version: int | None) -> None:
    """Refuse a form saved on an older version of `record` than the one in the database."""
    from flask_babel import lazy_gettext as _l

    from .errors import ConcurrentChangeError

    if expected_version is not None and record.version != expected_version:
        raise ConcurrentChangeError(_l("This record was changed meanwhile. Please reload it."))


def insert_missing(model, key: str, rows: list[dict]) -> int:
    """Insert the reference rows whose `key` value is not in the table yet; return the count.

    Rows already there are left as the admins edited them.
    """
    existing = set(db.session.scalars(sa.select(getattr(model, key))))
    new = [row for row in rows if row[key] not in existing]
    db.session.add_all(model(**row) for row in new)
    db.session.flush()
    return len(new)


def enum_check(column: str, values) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column within an enum's values."""
    allowed = ", ".join(f"'{v.value if hasattr(v, 'value') else v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def transactional(func):
    """Run a service inside a SAVEPOINT: if it raises, none of its writes remain.

    The outer transaction is committed once per request or task (see
    `commit_or_rollback`), so a refused request never leaves a half-written record.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with db.session.begin_nested():
            return func(*args, **kwargs)

    return wrapper


def commit_or_rollback(success: bool) -> None:
    """Commit the unit of work if it succeeded, otherwise roll it back."""
    if success:
        db.session.commit()
    else:
        db.session.rollback()


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    # pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy issue BEGIN.
    # WAL and a busy timeout let the web process, the worker and beat share one file. The wait is
    # long: a page view that logs a read holds the write lock until it is rendered, and on a busy
    # machine fifty sign-ins queued behind such views waited more than ten seconds (a 503 then).
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _reads_only() -> bool:
    from flask import g, has_request_context, request

    return has_request_context() and (request.method in ("GET", "HEAD", "OPTIONS")
                                      or g.get("reads_before_writing", False))


def reads_before_writing() -> None:
    """Mark this request as one that reads and then thinks before it writes (a sign-in checks a
    password hash): on SQLite its transaction begins as a read snapshot and takes the write lock
    at its first write, so the lock is not held while it thinks and other sign-ins wait less."""
    from flask import g

    g.reads_before_writing = True


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # A deferred BEGIN that reads and then writes fails at once with "database is locked"
    # when another writer committed in between (WAL cannot upgrade a stale snapshot), so
    # writing requests and tasks take the write lock up front and wait (busy_timeout) for
    # it instead. Page views keep the deferred BEGIN: WAL lets them read beside a writer.
    if conn.dialect.name == "sqlite":
        deferred = _reads_only()
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
        conn.info[_READ_SNAPSHOT] = deferred


#: Set on a SQLite connection whose transaction began deferred (a page view) and has not written.
_READ_SNAPSHOT = "protokoll_sqlite_read_snapshot"


def _take_write_lock(conn) -> None:
    """A page view that writes after all (a logged read, a session touched): end its read snapshot,
    which has written nothing, and take the write lock the way writing requests do, waiting
    (busy_timeout) for it. Writing on the stale snapshot would fail at once with "database is
    locked" whenever another request committed since the view began."""
    if conn.dialect.name == "sqlite" and conn.info.pop(_READ_SNAPSHOT, False):
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Engine, "savepoint")
def _sqlite_savepoint(conn, name):
    # A service's savepoint is where a view starts to write: the lock first (savepoints survive
    # nothing of the COMMIT above, so it must come before them).
    _take_write_lock(conn)


@event.listens_for(Engine, "before_execute")
def _sqlite_statement(conn, clauseelement, multiparams, params, execution_options):
    # A write issued as a statement (a conditional UPDATE) rather than by a flush.
    if getattr(clauseelement, "is_dml", False):
        _take_write_lock(conn)


@event.listens_for(Session, "before_flush")
def _sqlite_flush(session, flush_context, instances):
    if session.new or session.dirty or session.deleted:
        _take_write_lock(session.connection())


def lock_for_update(obj):
    """Lock `obj`'s row until the end of the transaction and reload it; return it.

    Every "last place" decision (capacity, waiting list, seats, invitations) starts
    with this on the record that owns the places, so that concurrent requests decide
    one after the other on what the previous one committed. On SQLite the write lock
    taken by BEGIN IMMEDIATE already serialises writers.
    """
    model = type(obj)
    return db.session.scalars(
        sa.select(model)
        .where(model.id == obj.id)
        .options(sa.orm.lazyload("*"))  # no eager outer joins: FOR UPDATE locks this row only
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    ).one()


def advisory_lock(*keys: str) -> None:
    """Serialise transactions that claim the same named resources (PostgreSQL).

    Keys are taken in sorted order so that two transactions asking for overlapping
    sets cannot deadlock; the locks are released at commit or rollback. SQLite needs
    none: its writers are serialised by BEGIN IMMEDIATE.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                           {"key": key})


#: Indexes only PostgreSQL has (GiST over time spans, trigram search): created by their
#: migrations on PostgreSQL, left out of the models (SQLite has no such index types), and
#: skipped when models and migrations are compared.
POSTGRESQL_ONLY_INDEXES = {
    "ix_visit_programme_items_span", "ix_event_programme_items_span", "ix_emigrant_programme_items_span",
    "ix_visits_title_trgm", "ix_visits_guest_name_trgm",
    "ix_visits_title_fold", "ix_visits_guest_name_fold", "ix_events_title_fold", "ix_event_guests_name_fold",
    "ix_event_guests_organisation_fold", "ix_contacts_name_fold", "ix_contacts_organisation_fold",
    "ix_nominations_nominee_name_fold", "ix_assignments_title_fold", "ix_visits_stay",
    "ix_visit_programme_items_visit_span",
}


#: What the database keeps for the release before while no model maps it any more (expand now,
#: contract later: docs/upgrades.md), by table → column, constraint and index names. The next
#: release's migration copies what the old release wrote meanwhile and drops them.
AWAITING_CONTRACTION = {
    # 0042: a visit's item holds its booking's id; the assignment's pointer into the visits' table.
    "assignments": {"programme_item_id", "fk_assignments_programme_item_id_visit_programme_items",
                    "uq_assignments_programme_item_id"},
    # 0042: a programme item keeps its booking's id without a foreign key into the Sprachendienst's table.
    "event_programme_items": {"fk_event_programme_items_assignment_id_assignments"},
    "emigrant_programme_items": {"fk_emigrant_programme_items_assignment_id_assignments"},
    # 0043: an award keeps its ceremony occasion's id without a foreign key into the events' table.
    "award_types": {"fk_award_types_occasion_id_occasion_templates"},
}


def include_in_schema_comparison(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: everything but the PostgreSQL-only indexes and what waits for
    its contraction."""
    if type_ == "index" and name in POSTGRESQL_ONLY_INDEXES:
        return False
    table = getattr(getattr(obj, "table", None), "name", None)
    return not (reflected and compare_to is None and name in AWAITING_CONTRACTION.get(table, ()))


class span_overlaps(sa.sql.functions.FunctionElement):
    """[starts, ends) of a row overlaps [start, end). On PostgreSQL written as range overlap
    (`tstzrange(starts, ends) && tstzrange(start, end)`) so that a GiST index over the row's
    span answers it; a plain `starts < end AND ends > start` scans every row before `end`."""

    type = sa.Boolean()
    inherit_cache = True
    name = "span_overlaps"


@compiles(span_overlaps)
def _span_overlaps_default(element, compiler, **kw):
    starts, ends, start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"({starts} < {end} AND {ends} > {start})"


@compiles(span_overlaps, "postgresql")
def _span_overlaps_postgresql(element, compiler, **kw):
    starts, ends, start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(tstzrange({starts}, {ends}) && tstzrange({start}, {end}))"


class stay_overlaps(span_overlaps):
    """As span_overlaps, for rows whose start may equal their end (a visit's stay): on
    PostgreSQL the closed range of the GiST index finds the candidates and the plain
    comparison keeps the meaning exact."""

    inherit_cache = True
    name = "stay_overlaps"


@compiles(stay_overlaps, "postgresql")
def _stay_overlaps_postgresql(element, compiler, **kw):
    starts, ends, start, end = (compiler.process(c, **kw) for c in element.clauses)
    return (f"(tstzrange({starts}, {ends}, '[]') && tstzrange({start}, {end}) "
            f"AND {starts} < {end} AND {ends} > {start})")
