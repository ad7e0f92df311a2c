"""Backups an auditor accepts (BSI CON.3): encrypted with age for a key kept off the hosts,
readable by the app's user alone whatever the umask, old ones removed, checked before loading,
and a restored installation where nobody is still signed in."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import time

import pyrage
import pytest
import sqlalchemy as sa

from protocol_app.auth.models import UserSession
from protocol_app.core.heartbeats import latest
from protocol_app.extensions import db
from tests.conftest import build_app, migrate
from tests.support import PDF, login, make_user

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


@pytest.fixture
def loose_umask():
    """A process that would let everybody read what it writes (umask 000)."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _installation(tmp_path, name, **settings):
    app = build_app(f"sqlite:///{tmp_path / f'{name}.sqlite'}", UPLOAD_DIR=str(tmp_path / f"{name}-uploads"),
                    EMBEDDED_BROKER_DIR=str(tmp_path / "broker"), BACKUP_DIR=str(tmp_path / "backups"), **settings)
    migrate(app)
    return app


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _backup(app) -> str:
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_encrypted_backup_is_the_owners_alone_and_restores_with_its_key(tmp_path, loose_umask):
    source = _installation(tmp_path, "source", BACKUP_RECIPIENTS=[RECIPIENT])
    make_user(source, "emigration@example.org", roles=["officer"], name="Erika Emigration")
    signed_in = source.test_client()
    login(signed_in, "emigration@example.org")
    # An upload, written by the app (0600 whatever the umask).
    with source.app_context():
        from protocol_app.core.files import store_upload

        stored = store_upload("brief.pdf", PDF, actor=None)
        db.session.commit()
        upload = stored.path
    assert _mode(upload) == 0o600 and _mode(upload.parent) == 0o700

    assert "encrypted" in _backup(source)
    [archive] = (tmp_path / "backups").glob("protokoll-*.tar.gz.age")
    assert _mode(archive) == 0o600 and _mode(tmp_path / "backups") == 0o700
    raw = archive.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and b"Erika Emigration" not in raw
    with pytest.raises(tarfile.ReadError), tarfile.open(archive):
        pass  # not a readable archive without the key
    with source.app_context():
        assert latest()["backup"].value == archive.stat().st_size  # the heartbeat for the alert

    target = _installation(tmp_path, "target", BACKUP_IDENTITY=[str(IDENTITY)])
    with target.app_context():
        db.drop_all()
        db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    restored = tmp_path / "target-uploads" / upload.name
    assert restored.read_bytes() == PDF and _mode(restored) == 0o600
    # Nobody is signed in on the restored installation: the live one's cookie opens nothing there.
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)
                                 .where(UserSession.ended_at.is_(None))) == 0
    intruder = target.test_client()
    intruder.set_cookie("protokoll_session", signed_in.get_cookie("protokoll_session").value)
    assert intruder.get("/visits/").status_code == 302


def test_a_restore_with_the_wrong_key_or_none_says_so_and_restores_nothing(tmp_path):
    source = _installation(tmp_path, "source", BACKUP_RECIPIENTS=[RECIPIENT])
    _backup(source)
    [archive] = (tmp_path / "backups").glob("protokoll-*.tar.gz.age")
    for identity, message in (([str(pyrage.x25519.Identity.generate())], "encrypted for another key"),
                              ([], "the archive is encrypted: set BACKUP_IDENTITY")):
        target = build_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", UPLOAD_DIR=str(tmp_path / "empty-uploads"),
                           BACKUP_IDENTITY=identity)
        result = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code != 0 and message in result.output
        with target.app_context():
            assert sa.inspect(db.engine).get_table_names() == []


def test_production_backs_up_encrypted_only(tmp_path):
    app = _installation(tmp_path, "prod", IS_PRODUCTION=True, BACKUP_RECIPIENTS=[], SECRET_KEY="p" * 40,
                        ALLOW_SQLITE_IN_PRODUCTION=True)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "BACKUP_RECIPIENTS is unset" in result.output
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
    keys = app.test_cli_runner().invoke(args=["backup-keygen"]).output
    assert "BACKUP_RECIPIENTS=age1" in keys and "BACKUP_IDENTITY=AGE-SECRET-KEY-" in keys


def test_archives_older_than_the_retention_are_removed(tmp_path):
    app = _installation(tmp_path, "source", BACKUP_KEEP_DAYS=30)
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent, other = backups / "protokoll-20251001-023000.tar.gz", backups / "protokoll-20261201-023000.tar.gz", \
        backups / "notizen.txt"
    for path in (old, recent, other):
        path.write_text("x")
    long_ago = time.time() - 40 * 86400
    os.utime(old, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    assert "1 older archives removed" in _backup(app)
    assert not old.exists() and recent.exists() and other.exists()


def test_an_archive_whose_files_do_not_match_is_refused_before_anything_is_loaded(tmp_path):
    source = _installation(tmp_path, "source")
    upload = tmp_path / "source-uploads" / "brief.pdf"
    upload.write_bytes(PDF)
    _backup(source)
    [archive] = (tmp_path / "backups").glob("protokoll-*.tar.gz")
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(broken, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "uploads/brief.pdf":
                data = data.replace(b"%PDF", b"%PDX")
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    target = build_app(f"sqlite:///{tmp_path / 'empty.sqlite'}", UPLOAD_DIR=str(tmp_path / "empty-uploads"))
    result = target.test_cli_runner().invoke(args=["restore", str(broken)])
    assert result.exit_code != 0 and "brief.pdf" in result.output and "nothing was restored" in result.output
    with target.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
