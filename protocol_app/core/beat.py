"""Exactly one active beat: a scheduler that sends periodic tasks only while it holds a lock.

Two beats started by mistake (a second host, `worker -B` next to `beat`) would send
every sweep twice. The sweeps are idempotent, but twice the load and twice the log is
how an office loses trust. The lock lives where the one source of truth is:

- PostgreSQL: a session advisory lock on a connection of its own, released by the
  server the moment the holder's process or connection dies;
- SQLite (the embedded default): an exclusive `flock` on a file beside the database,
  released by the kernel when the holder's process ends.

A beat that does not get the lock stays passive and asks again every few seconds, so
it takes over when the active one stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time

import sqlalchemy as sa
from celery.beat import PersistentScheduler

log = logging.getLogger(__name__)

#: The advisory lock's key (any constant unique to this app).
PG_LOCK_KEY = 0x50524F54  # "PROT"
#: How often a passive beat asks for the lock again.
STANDBY_SECONDS = 2.0
#: How often the active beat writes its heartbeat (the readiness check and the metrics read it).
HEARTBEAT_SECONDS = 15.0


class _PostgresLock:
    def __init__(self, url: str):
        self._engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self._conn = None

    def hold(self) -> bool:
        try:
            if self._conn is not None:
                self._conn.exec_driver_sql("SELECT 1")  # still ours while the session lives
                return True
            conn = self._engine.connect()
            got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar()
            conn.commit()
            if got:
                self._conn = conn
                return True
            conn.close()
            return False
        except sa.exc.DBAPIError:
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sa.exc.DBAPIError):
                self._conn.close()
            self._conn = None


class _FileLock:
    def __init__(self, path: str):
        self._path = path
        self._fd = None

    def hold(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def beat_lock(database_url: str):
    """The lock for the database at `database_url`."""
    if database_url.startswith("postgresql"):
        return _PostgresLock(database_url)
    path = database_url.removeprefix("sqlite:///") if database_url.startswith("sqlite:///") else None
    return _FileLock(f"{path}.beat.lock" if path else os.path.join(os.getcwd(), "protokoll-beat.lock"))


class SingleBeatScheduler(PersistentScheduler):
    """Celery's persistent scheduler, active only while it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = beat_lock(self.app.conf["protokoll_database_url"])
        self._active = None
        self._heartbeat_engine = sa.create_engine(self.app.conf["protokoll_database_url"], poolclass=sa.pool.NullPool)
        self._last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        holds = self._lock.hold()
        if holds != self._active:
            self._active = holds
            if holds:
                log.info("beat lock held: this beat is the active one")
            else:
                log.warning("beat lock held by another beat: this one stands by")
        if not holds:
            return STANDBY_SECONDS
        self._beat()
        return min(super().tick(*args, **kwargs), STANDBY_SECONDS)

    def _beat(self) -> None:
        """The leader's heartbeat, every HEARTBEAT_SECONDS; a database hiccup costs one beat, not the beat."""
        if time.monotonic() - self._last_heartbeat < HEARTBEAT_SECONDS:
            return
        from .heartbeats import BEAT, record

        try:
            with self._heartbeat_engine.begin() as conn:
                record(conn, BEAT)
            self._last_heartbeat = time.monotonic()
        except sa.exc.DBAPIError as exc:
            log.warning("beat heartbeat not written: %s", exc.__class__.__name__)

    def close(self):
        self._lock.release()
        super().close()
