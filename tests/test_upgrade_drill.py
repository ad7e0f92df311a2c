"""Upgrade drill: an installation of the previous release (its code from git, its schema, demo
data) is upgraded while it keeps answering — the new release's migrations run against the
database the old app is reading from; then the new app starts on the other host.

What an operator checks: every read of the old app answered (before, during and after the
migrations), every table's row count unchanged, the schema at the new head, the new app up."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from protocol_app.version import PREVIOUS_RELEASE, __version__
from tests.multi_host import (
    APP_UID,
    ROOT,
    VENV_BIN,
    DatabaseHost,
    Lab,
    app_environment,
    client_command,
    new_secret_key,
    require_namespaces,
    start_web,
    wait_healthy,
    wait_until,
)
from tests.services import CI

pytestmark = pytest.mark.postgres_only

DEMO_OFFICER, DEMO_PASSWORD = "referent@protokoll.example", "Protokoll-Demo-2026"
#: Pages of the old app read during the upgrade: lists and records over the tables migrated.
READS = ["/", "/visits/", "/events/", "/honours/", "/graves/", "/golden-book/", "/partnerships/"]

#: Every table's exact row count in one statement (query_to_xml counts each table in turn).
ROW_COUNTS = ("SELECT string_agg(table_name || '=' || (xpath('/row/c/text()', query_to_xml("
              "'SELECT count(*) AS c FROM ' || quote_ident(table_name), false, true, '')))[1]::text, ',' "
              "ORDER BY table_name) FROM information_schema.tables "
              "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'")


#: The tables a sign-in and a page view write to.
SIGN_IN_WRITES = {"user_sessions", "audit_events"}


def _counts(listing: str) -> dict[str, int]:
    return {name: int(count) for name, count in (item.split("=") for item in listing.split(","))}


def previous_release_code(folder: Path) -> Path:
    """The previous release's files, as its tag in git holds them, with compiled catalogues."""
    commit = PREVIOUS_RELEASE["commit"]
    known = subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=ROOT, capture_output=True)  # noqa: S603,S607
    if known.returncode != 0:
        problem = f"the previous release's commit {commit[:10]} is not in this checkout's history"
        if CI:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    code = folder / "previous"
    code.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, check=True)  # noqa: S603,S607
    archive_path = folder / "previous.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(code, filter="data")
    subprocess.run([str(VENV_BIN / "pybabel"), "-q", "compile", "-d", "protocol_app/translations"], cwd=code, check=True)  # noqa: S603
    return code


def test_the_previous_release_keeps_answering_while_the_new_migrations_run():
    require_namespaces()
    lab = Lab()
    try:
        folder = lab.folder
        db_host, old_host, new_host = lab.add_host("db", 10), lab.add_host("old", 11), lab.add_host("new", 12)
        client = lab.add_host("client", 20)
        db = DatabaseHost(lab, db_host)
        uploads = folder / "uploads"
        uploads.mkdir(mode=0o750)
        os.chown(uploads, APP_UID, APP_UID)
        old_code = previous_release_code(folder)
        env = app_environment(db, uploads, SECRET_KEY=new_secret_key())
        db.wait_ready(client)
        db.sql(client, "CREATE DATABASE protokoll", database="postgres")

        def flask(host, code: Path, *args: str, environment: dict = env) -> str:
            return lab.run(host, [str(VENV_BIN / "flask"), *args], env=environment, cwd=code).stdout

        # The installation as the previous release left it, with the demo's records in every register.
        flask(old_host, old_code, "db", "upgrade")
        flask(old_host, old_code, "seed-reference")
        flask(old_host, old_code, "seed-demo", environment={**env, "PROTOKOLL_ENV": "development"})
        assert db.sql(client, "SELECT version_num FROM alembic_version") == PREVIOUS_RELEASE["migration"]
        before = db.sql(client, ROW_COUNTS)
        start_web(lab, old_host, env, code=old_code)
        wait_healthy(lab, client, old_host, path="/healthz")  # 0.9.0 had no /readyz

        progress, stop = folder / "progress", folder / "stop"
        progress.write_text("0")
        reader = subprocess.Popen(  # noqa: S603
            ["ip", "netns", "exec", client.namespace, str(VENV_BIN / "python"), "-m", "tests.multi_host_client",
             "read_loop", json.dumps({"url": f"http://{old_host.address}:8000", "email": DEMO_OFFICER,
                                      "password": DEMO_PASSWORD, "paths": READS, "progress": str(progress),
                                      "stop": str(stop), "max_rounds": 2000})],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        wait_until(lambda: int(progress.read_text() or 0) >= 2, what="the old app answering reads", deadline=120)

        # The new release's migrations, run from the new host while the old app serves.
        started_at_round = int(progress.read_text() or 0)
        flask(new_host, ROOT, "db", "upgrade")
        finished_at_round = int(progress.read_text() or 0)
        # The old app on the new schema: a few more rounds after the last migration.
        wait_until(lambda: int(progress.read_text() or 0) >= finished_at_round + 3,
                   what="three rounds of the old app on the new schema", deadline=120)
        stop.write_text("stop")
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err[-3000:]
        read = json.loads(out.strip().splitlines()[-1])

        assert read["answers"] == {"200": read["rounds"] * len(READS)}, read
        assert read["rounds"] >= finished_at_round + 3 > started_at_round
        head = subprocess.run([str(VENV_BIN / "flask"), "db", "heads"], capture_output=True, text=True, cwd=ROOT,  # noqa: S603
                              env={**os.environ, "FLASK_APP": "wsgi"}, check=True).stdout.split()[0]
        assert db.sql(client, "SELECT version_num FROM alembic_version") == head
        old_counts, new_counts = _counts(before), _counts(db.sql(client, ROW_COUNTS))
        changed = {name: (count, new_counts.get(name)) for name, count in old_counts.items()
                   if new_counts.get(name) != count}
        # Nothing lost; only what the readers' sign-ins write grew (their sessions, the audit trail).
        assert set(changed) <= SIGN_IN_WRITES and all(new > old for old, new in changed.values()), changed
        # The tables the new migrations made are there, still empty.
        assert {name: n for name, n in new_counts.items() if name not in old_counts} == {
            "heartbeats": 0, "webhook_subscriptions": 0, "webhook_deliveries": 0, "access_tokens": 0,
            "mail_text_versions": 0}

        # The new release on the other host: up, its version, the old records readable.
        start_web(lab, new_host, env)
        report = wait_healthy(lab, client, new_host)
        assert report["report"]["version"] == __version__ and report["report"]["database"] == "ok"
        pages = client_command(lab, client, "read_loop", {
            "url": f"http://{new_host.address}:8000", "email": DEMO_OFFICER, "password": DEMO_PASSWORD,
            "paths": READS, "progress": str(folder / "progress-new"), "stop": str(stop) + "-never", "max_rounds": 1})
        assert pages["answers"] == {"200": len(READS)}
    finally:
        lab.close()
