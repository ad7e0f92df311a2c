"""`flask backup` and `flask restore`: an archive of database and uploads, restored into an
empty installation and compared table by table and file by file."""

from __future__ import annotations

import json
import tarfile

import pytest
import sqlalchemy as sa

from protocol_app.auth.models import User
from protocol_app.core.backup import row_counts
from protocol_app.extensions import db
from tests import services
from tests.conftest import build_app, migrate


def _installation(backend, tmp_path, name):
    if backend == "postgresql":
        services.require("postgresql")
        services.reset_pg_schema("protokoll_backup")
        url = services.pg_url("protokoll_backup")
    else:
        url = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
    return build_app(url, UPLOAD_DIR=str(tmp_path / f"{name}-uploads"), EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))


def _snapshot(app):
    with app.app_context():
        counts = row_counts()
        emails = sorted(db.session.scalars(sa.select(User.email)))
        db.session.remove()
        db.engine.dispose()
    return counts, emails


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_backup_restores_into_an_empty_installation_identically(backend, tmp_path):
    source = _installation(backend, tmp_path, "source")
    migrate(source)
    runner = source.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    upload = tmp_path / "source-uploads" / "ab" / "letter.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.4 a letter kept with a case")
    before, emails = _snapshot(source)
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["tables"] == before and manifest["revision"]
    assert "uploads/ab/letter.pdf" in names and manifest["files"]["ab/letter.pdf"]

    target = _installation(backend, tmp_path, "target")  # PostgreSQL: the schema is emptied again
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "restored and verified" in result.output
    after, restored_emails = _snapshot(target)
    assert after == before and sum(after.values()) > 100
    assert restored_emails == emails
    assert (tmp_path / "target-uploads" / "ab" / "letter.pdf").read_bytes() == upload.read_bytes()

    # A second restore onto the now full installation is refused and changes nothing.
    again = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert again.exit_code != 0 and "not empty" in again.output
    assert _snapshot(target)[0] == before


def test_a_tampered_archive_is_refused(tmp_path):
    source = _installation("sqlite", tmp_path, "source")
    migrate(source)
    archive = tmp_path / "backup.tar.gz"
    assert source.test_cli_runner().invoke(args=["backup", "--output", str(archive)]).exit_code == 0
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(broken, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.load(data)
                manifest["tables"]["users"] = 7  # the archive no longer matches its manifest
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                import io

                data = io.BytesIO(raw)
            out.addfile(member, data)
    target = _installation("sqlite", tmp_path, "target")
    result = target.test_cli_runner().invoke(args=["restore", str(broken)])
    assert result.exit_code != 0 and "row counts differ" in result.output
    # Nothing of it stays loaded: the target is empty, and a restore of the right archive goes through.
    with target.app_context():
        assert [t for t in sa.inspect(db.engine).get_table_names() if not t.startswith("sqlite_")] == []
    assert target.test_cli_runner().invoke(args=["restore", str(archive)]).exit_code == 0
