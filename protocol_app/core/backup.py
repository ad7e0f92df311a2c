"""Backup and restore of a whole installation: the database and the uploaded files.

One archive (`.tar.gz`) holds
- `database.dump` (PostgreSQL, `pg_dump` custom format) or `database.sqlite` (SQLite,
  copied with the online backup API, so a running app is no obstacle);
- `uploads/…`, the upload folder as it was;
- `manifest.json`: when, which backend and migration revision, the row count of every
  table and the SHA-256 of every file.

`restore_backup` loads an archive into an *empty* database and upload folder only, then
checks every count and every hash against the manifest: a restore that does not match
says so instead of leaving a quietly different installation.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import make_url

from ..extensions import db
from .time import now_utc

FORMAT = 1


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _table_names() -> list[str]:
    names = [t.name for t in db.metadata.sorted_tables]
    if sa.inspect(db.engine).has_table("alembic_version"):
        names.append("alembic_version")
    return names


def _count(conn, names) -> dict[str, int]:
    # Table names come from the app's own metadata, never from input.
    return {name: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()  # noqa: S608
            for name in names}


def row_counts() -> dict[str, int]:
    """{table: number of rows} of every table of the app, as the database holds them now."""
    with db.engine.connect() as conn:
        return _count(conn, _table_names())


def _revision() -> str | None:
    with db.engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _pg_target() -> tuple[str, dict, str | None]:
    """(libpq URL, environment, schema of the search path or None) of the app's database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    options = url.query.get("options", "")
    schema = None
    for part in (options if isinstance(options, str) else " ".join(options)).split():
        if part.startswith("-csearch_path="):
            schema = part.split("=", 1)[1].split(",")[0]
    plain = url.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env, schema


def _run(cmd: list[str], env: dict) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} is not installed (PostgreSQL client tools are needed)") from exc
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[:500]}")


def _dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    """Dump the database into `folder`; return the file name and the row counts of the dump."""
    names = _table_names()
    if db.engine.dialect.name == "postgresql":
        url, env, schema = _pg_target()
        target = folder / "database.dump"
        with db.engine.connect() as conn:
            # Count and dump one and the same snapshot, however busy the app is meanwhile.
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
                counts = _count(conn, names)
                cmd = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                       f"--file={target}"]
                if schema:
                    cmd.append(f"--schema={schema}")
                _run([*cmd, url], env)
        return target.name, counts
    target = folder / "database.sqlite"
    path = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        counts = {name: dest.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}  # noqa: S608
        dest.close()
    finally:
        source.close()
    return target.name, counts


def create_backup(output: str | Path) -> dict:
    """Write the archive to `output`; return its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database_file, counts = _dump_database(folder)
        files = {}
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                files[path.relative_to(uploads).as_posix()] = _sha256(path)
        manifest = {"format": FORMAT, "created_at": now_utc().isoformat(), "backend": db.engine.dialect.name,
                    "revision": _revision(), "database_file": database_file, "tables": counts, "files": files}
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(folder / database_file, arcname=database_file)
            for name in files:
                archive.add(uploads / name, arcname=f"uploads/{name}")
        partial.replace(output)  # a half-written archive never carries the final name
    return manifest


def _require_empty_database() -> None:
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        tables = [t for t in inspector.get_table_names() if not t.startswith("sqlite_")]
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables); restore only into an empty one")


def _load_postgres(dump: Path) -> None:
    url, env, schema = _pg_target()
    cmd = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if schema:
        # The dump creates its schema; the empty one of the search path is replaced by it.
        cmd += ["--clean", "--if-exists"]
    _run([*cmd, f"--dbname={url}", str(dump)], env)


def _load_sqlite(copy: Path) -> None:
    path = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    db.engine.dispose()
    source = sqlite3.connect(copy)
    try:
        dest = sqlite3.connect(path)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()


def _safe_members(archive: tarfile.TarFile, prefix: str):
    for member in archive.getmembers():
        name = member.name
        if name.startswith(prefix) and member.isfile() and ".." not in Path(name).parts and not name.startswith("/"):
            yield member


def restore_backup(archive_path: str | Path) -> RestoreReport:
    """Load an archive into the empty database and upload folder; verify it against its manifest."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"no such archive: {archive_path}")
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.is_dir() and any(uploads.iterdir()):
        raise BackupError(f"the upload folder {uploads} is not empty; restore only into an empty one")
    _require_empty_database()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive_path, "r:gz") as archive:
        folder = Path(tmp)
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except KeyError as exc:
            raise BackupError("the archive has no manifest.json") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        if manifest["backend"] != db.engine.dialect.name:
            raise BackupError(f"the archive is of a {manifest['backend']} database, this one is "
                              f"{db.engine.dialect.name}")
        archive.extract(manifest["database_file"], folder, filter="data")
        dump = folder / manifest["database_file"]
        if manifest["backend"] == "postgresql":
            _load_postgres(dump)
        else:
            _load_sqlite(dump)
        uploads.mkdir(parents=True, exist_ok=True)
        for member in _safe_members(archive, "uploads/"):
            archive.extract(member, folder, filter="data")
            target = uploads / member.name.removeprefix("uploads/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder / member.name, target)
    db.engine.dispose()
    counts = row_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the manifest: {wrong}")
    for name, digest in manifest["files"].items():
        path = uploads / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"restored file differs from the manifest: {name}")
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=len(manifest["files"]))
