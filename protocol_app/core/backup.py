"""Backup and restore of a whole installation: the database and the uploaded files.

One archive (`.tar.gz`) holds
- `database.dump` (PostgreSQL, `pg_dump` custom format) or `database.sqlite` (SQLite,
  copied with the online backup API, so a running app is no obstacle);
- `uploads/…`, the upload folder as it was;
- `manifest.json`: when, which backend and migration revision, the row count of every
  table and the SHA-256 of every file.

With BACKUP_RECIPIENTS set (age public keys) the archive is encrypted for them (`.tar.gz.age`,
age's format through pyrage); the key that opens it (BACKUP_IDENTITY) is kept apart from the
hosts that make backups. Archives and their folder are readable by the app's user alone.

`restore_backup` loads an archive into an *empty* database and upload folder only. It checks
the database file's and every uploaded file's hash against the manifest *before* loading
anything, checks every table's count after, and leaves nothing loaded when a check fails.
After a restore every login session has ended: a cookie of the live installation must not
open the restored one.
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
from .private_files import open_private, private_folder
from .time import now_utc

FORMAT = 1
#: How an age-encrypted archive begins.
AGE_HEADER = b"age-encryption.org/v1"
#: What runs after a restore has loaded and checked everything (auth ends every session).
AFTER_RESTORE: list = []


def after_restore(func):
    """Register `func()` to run (in the restore's transaction) once a restore is complete."""
    AFTER_RESTORE.append(func)
    return func


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


def create_backup(output: str | Path, recipients: list[str] | None = None) -> dict:
    """Write the archive to `output` (mode 0600, its folder 0700), encrypted for the age
    `recipients` when given; return its manifest."""
    output = Path(output)
    private_folder(output.parent)
    uploads = Path(current_app.config["UPLOAD_DIR"])
    keys = _recipients(recipients or [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database_file, counts = _dump_database(folder)
        files = {}
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                files[path.relative_to(uploads).as_posix()] = _sha256(path)
        manifest = {"format": FORMAT, "created_at": now_utc().isoformat(), "backend": db.engine.dialect.name,
                    "revision": _revision(), "database_file": database_file,
                    "database_sha256": _sha256(folder / database_file), "tables": counts, "files": files}
        plain = folder / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(folder / database_file, arcname=database_file)
            for name in files:
                archive.add(uploads / name, arcname=f"uploads/{name}")
        partial = output.with_name(output.name + ".partial")
        with plain.open("rb") as source, open_private(partial) as target:
            if keys:
                import pyrage

                pyrage.encrypt_io(source, target, keys)
            else:
                shutil.copyfileobj(source, target)
        partial.replace(output)  # a half-written archive never carries the final name
    return manifest


def _recipients(keys: list[str]):
    import pyrage

    try:
        return [pyrage.x25519.Recipient.from_str(key.strip()) for key in keys]
    except pyrage.RecipientError as exc:
        raise BackupError("BACKUP_RECIPIENTS holds something that is not an age public key (age1…)") from exc


def remove_old_archives(folder: str | Path, keep_days: int) -> list[Path]:
    """Delete this installation's archives in `folder` older than `keep_days` days; return them."""
    cutoff = now_utc().timestamp() - keep_days * 86400
    old = [p for p in Path(folder).glob("protokoll-*.tar.gz*")
           if p.is_file() and not p.name.endswith(".partial") and p.stat().st_mtime < cutoff]
    for path in old:
        path.unlink()
    return old


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


def _decrypted(archive_path: Path, folder: Path, identities: list[str]) -> Path:
    """The archive as plain tar.gz: itself, or decrypted into `folder` with the age identities."""
    with archive_path.open("rb") as fh:
        encrypted = fh.read(len(AGE_HEADER)) == AGE_HEADER
    if not encrypted:
        return archive_path
    import pyrage

    if not identities:
        raise BackupError("the archive is encrypted: set BACKUP_IDENTITY (or BACKUP_IDENTITY_FILE) to the "
                          "age key it was made for")
    try:
        keys = [pyrage.x25519.Identity.from_str(key.strip()) for key in identities]
    except pyrage.IdentityError as exc:
        raise BackupError("BACKUP_IDENTITY is not an age secret key (AGE-SECRET-KEY-…)") from exc
    plain = folder / "archive.tar.gz"
    try:
        with archive_path.open("rb") as source, open_private(plain) as target:
            pyrage.decrypt_io(source, target, keys)
    except pyrage.DecryptError as exc:
        raise BackupError("the archive was encrypted for another key: BACKUP_IDENTITY does not open it "
                          "(nothing was restored)") from exc
    return plain


def _checked_contents(archive: tarfile.TarFile, folder: Path) -> tuple[dict, Path, list[tuple[str, Path]]]:
    """Extract into `folder` and check every hash against the manifest before anything is loaded."""
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
    if "database_sha256" in manifest and _sha256(dump) != manifest["database_sha256"]:
        raise BackupError("the database file differs from the manifest (nothing was restored)")
    files = []
    for member in _safe_members(archive, "uploads/"):
        archive.extract(member, folder, filter="data")
        files.append((member.name.removeprefix("uploads/"), folder / member.name))
    found = {name: _sha256(path) for name, path in files}
    if found != manifest["files"]:
        wrong = sorted(set(found.items()) ^ set(manifest["files"].items()))
        raise BackupError(f"uploaded files differ from the manifest: {wrong[0][0]} (nothing was restored)")
    return manifest, dump, files


def _unload() -> None:
    """Leave the database empty again after a restore that did not check out."""
    db.session.rollback()
    db.engine.dispose()
    if db.engine.dialect.name != "postgresql":
        # The loaded file is overwritten by an empty database, as it was loaded: with the backup API.
        empty, dest = sqlite3.connect(":memory:"), sqlite3.connect(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database)
        with dest:
            empty.backup(dest)
        dest.close()
        empty.close()
        return
    with db.engine.begin() as conn:
        for table in sa.inspect(conn).get_table_names():
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))


def restore_backup(archive_path: str | Path, identities: list[str] | None = None) -> RestoreReport:
    """Load an archive into the empty database and upload folder; verify it against its manifest."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"no such archive: {archive_path}")
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.is_dir() and any(uploads.iterdir()):
        raise BackupError(f"the upload folder {uploads} is not empty; restore only into an empty one")
    _require_empty_database()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with tarfile.open(_decrypted(archive_path, folder, identities or []), "r:gz") as archive:
            manifest, dump, files = _checked_contents(archive, folder)
        if manifest["backend"] == "postgresql":
            _load_postgres(dump)
        else:
            _load_sqlite(dump)
        db.engine.dispose()
        counts = row_counts()
        wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
        if wrong:
            _unload()
            raise BackupError(f"restored row counts differ from the manifest: {wrong} (the database was emptied again)")
        private_folder(uploads)
        for name, extracted in files:
            target = uploads / name
            private_folder(target.parent)
            shutil.move(extracted, target)
            os.chmod(target, 0o600)
    for func in AFTER_RESTORE:
        func()
    db.session.commit()
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=len(manifest["files"]))
