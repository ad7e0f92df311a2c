"""The built image (`make image`) as one of the app hosts: it migrates a new installation, serves
beside a host installed from the venv behind the same proxy, shares the upload folder and the
sessions, answers its HEALTHCHECK and writes a backup — configured by environment variables,
its secrets read from files (SECRET_KEY_FILE, DATABASE_URL_FILE)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile

import pytest

from protocol_app.version import __version__
from tests.multi_host import (
    APP_UID,
    OFFICER,
    OFFICER_NAME,
    PASSWORD,
    ROOT,
    VENV_BIN,
    DatabaseHost,
    Lab,
    Proxy,
    app_environment,
    client_command,
    new_secret_key,
    require_namespaces,
    start_web,
    wait_healthy,
)
from tests.services import CI
from tests.support import PDF

pytestmark = pytest.mark.postgres_only

IMAGE = f"localhost/protokoll:{__version__}"
PODMAN_ENV = {**os.environ, "CONTAINERS_CONF": str(ROOT / "deploy" / "podman" / "containers.conf")}


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["podman", *args], capture_output=True, text=True, env=PODMAN_ENV, timeout=600)  # noqa: S603,S607
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])} … failed ({done.returncode}): {done.stderr[-3000:]}")
    return done


def require_image() -> None:
    """The drill needs podman and the image of this version; `make test` builds it (`make image`)."""
    problem = None
    if shutil.which("podman") is None:
        problem = "podman is not installed (make test installs it and builds the image)"
    elif podman("image", "exists", IMAGE, check=False).returncode != 0:
        problem = f"the image {IMAGE} is not built (make image)"
    if problem:
        if CI:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def installation():
    require_namespaces()
    require_image()
    lab = Lab()
    folder, container = lab.folder, f"{lab.tag}-image-web"
    try:
        db_host, app1, app2 = lab.add_host("db", 10), lab.add_host("app1", 11), lab.add_host("app2", 12)
        proxy_host, client = lab.add_host("proxy", 13), lab.add_host("client", 20)
        db = DatabaseHost(lab, db_host)
        uploads, backups, secrets = folder / "uploads", folder / "backups", folder / "secrets"
        for shared in (uploads, backups, secrets):
            shared.mkdir(mode=0o750)
            os.chown(shared, APP_UID, APP_UID)
        secret_key = new_secret_key()
        for name, value in {"secret_key": secret_key, "database_url": db.url()}.items():
            (secrets / name).write_text(value + "\n")
            os.chown(secrets / name, APP_UID, APP_UID)
            (secrets / name).chmod(0o400)
        db.wait_ready(client)
        db.sql(client, "CREATE DATABASE protokoll", database="postgres")

        def in_image(*args: str, detach: bool = False, network: str = app2.namespace,
                     extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
            return podman("run", *(["-d", "--name", container] if detach else ["--rm"]), *extra,
                          "--network", f"ns:/run/netns/{network}",
                          "-v", f"{uploads}:/var/lib/protokoll/uploads", "-v", f"{backups}:/var/lib/protokoll/backups",
                          "-v", f"{secrets}:/run/secrets:ro",
                          "-e", "SECRET_KEY_FILE=/run/secrets/secret_key", "-e", "DATABASE_URL_FILE=/run/secrets/database_url",
                          "-e", f"REDIS_URL={db.redis_url}", "-e", "TRUSTED_PROXY_HOPS=1", "-e", "AUDIT_ANCHOR_SYSLOG=0",
                          "-e", "SECOND_FACTOR_ROLES=admin", IMAGE, *args)

        # The app's own database role, which owns nothing: the image's migrate grants it what it needs.
        db.sql(client, "CREATE ROLE protokoll_app LOGIN")
        migrated = in_image("migrate", extra=("-e", "PROTOKOLL_APP_ROLE=protokoll_app"))
        env = app_environment(db, uploads, SECRET_KEY=secret_key)
        lab.run(app1, [str(VENV_BIN / "python"), "-c", (
            "from protocol_app import create_app\n"
            "from protocol_app.auth.services import ensure_user\n"
            "from protocol_app.extensions import db\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            f"    ensure_user(email={OFFICER!r}, full_name={OFFICER_NAME!r}, roles=['officer'], password={PASSWORD!r})\n"
            "    db.session.commit()\n")], env=env)
        start_web(lab, app1, env)
        in_image("web", detach=True)
        for host in (app1, app2):
            wait_healthy(lab, client, host)
        proxy = Proxy(lab, proxy_host, [app1, app2])
        proxy.wait_all_up()
        yield {"lab": lab, "db": db, "proxy": proxy, "client": client, "app1": app1, "app2": app2,
               "folder": folder, "container": container, "in_image": in_image, "migrated": migrated}
    finally:
        podman("rm", "--force", "--time", "5", container, check=False)
        lab.close()


def _ask(installation, command: str, **arguments) -> dict:
    proxy = installation["proxy"]
    return client_command(installation["lab"], installation["client"], command,
                          {"proxy": proxy.url, "ca": str(proxy.ca), "email": OFFICER, "password": PASSWORD,
                           **arguments})


def test_the_image_names_its_version_and_runs_as_an_unprivileged_user():
    require_image()
    labels = json.loads(podman("image", "inspect", IMAGE).stdout)[0]
    assert labels["Config"]["Labels"]["org.opencontainers.image.version"] == __version__
    assert labels["Config"]["User"] == f"{APP_UID}:{APP_UID}"
    assert labels["Healthcheck"]["Test"][-1] == "healthcheck"
    assert podman("run", "--rm", IMAGE, "version").stdout.strip() == __version__
    unknown = podman("run", "--rm", IMAGE, "serve", check=False)
    assert unknown.returncode == 64 and "web, worker, beat, migrate, backup, create-admin" in unknown.stderr
    # The SBOM inside is the runtime's: Flask is in it, the test tools are not.
    names = {c["name"].lower() for c in json.loads(podman("run", "--rm", "--entrypoint", "cat", IMAGE,
                                                          "/opt/protokoll/sbom.cdx.json").stdout)["components"]}
    assert "flask" in names and not names & {"pytest", "playwright", "ruff", "locust"}
    installed = podman("run", "--rm", "--entrypoint", "python3", IMAGE, "-c",
                       "import importlib.metadata as m; print(sorted(d.metadata['Name'].lower() for d in m.distributions()))").stdout
    assert "pytest" not in installed and "'flask'" in installed


def test_the_image_migrated_the_new_installation(installation):
    db, client = installation["db"], installation["client"]
    assert db.sql(client, "SELECT count(*) FROM partner_cities") != "0"  # seed-reference ran too
    assert "grants for protokoll_app applied" in installation["migrated"].stdout
    privileges = db.sql(client, "SELECT has_table_privilege('protokoll_app', 'visits', 'INSERT'), "
                                "has_table_privilege('protokoll_app', 'audit_events', 'INSERT'), "
                                "has_table_privilege('protokoll_app', 'audit_events', 'DELETE')")
    assert privileges == "t|t|f"
    head = subprocess.run([str(VENV_BIN / "flask"), "db", "heads"], capture_output=True, text=True, cwd=ROOT,  # noqa: S603
                          env={**os.environ, "FLASK_APP": "wsgi"}, check=True).stdout.split()[0]
    assert db.sql(client, "SELECT version_num FROM alembic_version") == head


def test_the_image_serves_beside_a_venv_host_with_one_session(installation):
    app2 = installation["app2"]
    report = client_command(installation["lab"], installation["client"], "health", {"url": f"http://{app2.address}:8000"})
    assert report["status_code"] == 200 and report["report"]["version"] == __version__
    seen = _ask(installation, "session_on_both", name=OFFICER_NAME, hosts={
        "venv": f"http://{installation['app1'].address}:8000", "image": f"http://{app2.address}:8000"})
    assert seen == {"venv": {"status": 200, "signed_in": True}, "image": {"status": 200, "signed_in": True}}


def test_files_cross_between_the_venv_host_and_the_image(installation):
    db, client, folder = installation["db"], installation["client"], installation["folder"]
    document = folder / "vereinbarung.pdf"
    document.write_bytes(PDF)
    hosts = [f"http://{installation['app1'].address}:8000", f"http://{installation['app2'].address}:8000"]
    for city, (upload_via, download_via) in zip(("Brüssel", "Paris"), (hosts, hosts[::-1]), strict=True):
        city_id = int(db.sql(client, f"SELECT id FROM partner_cities WHERE name_de = '{city}'"))
        assert _ask(installation, "upload_then_download", city_id=city_id, file=str(document),
                    upload_via=upload_via, download_via=download_via) == {"upload": 302, "download": 200, "same": True}


def test_the_healthcheck_and_the_backup_of_the_image(installation):
    health = podman("healthcheck", "run", installation["container"], check=False)
    assert health.returncode == 0, health.stdout + health.stderr
    import io

    import pyrage

    identity = pyrage.x25519.Identity.generate()
    installation["in_image"]("backup", network=installation["client"].namespace,
                             extra=("-e", f"BACKUP_RECIPIENTS={identity.to_public()}"))
    archives = sorted((installation["folder"] / "backups").glob("protokoll-*.tar.gz.age"))
    assert len(archives) == 1 and oct(archives[0].stat().st_mode & 0o777) == "0o600"
    plain = io.BytesIO()
    with archives[0].open("rb") as encrypted:
        pyrage.decrypt_io(encrypted, plain, [identity])
    plain.seek(0)
    with tarfile.open(fileobj=plain, mode="r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        assert "database.dump" in archive.getnames()
    assert manifest["tables"]["partner_cities"] > 0


def test_the_first_admin_made_by_the_image_signs_in(installation):
    made = installation["in_image"]("create-admin", "--email", "it-betrieb@drill.example", "--name", "IT-Betrieb")
    temporary = made.stdout.strip().rsplit("temporary password: ", 1)[1]
    first = client_command(installation["lab"], installation["client"], "first_sign_in",
                           {"proxy": installation["proxy"].url, "ca": str(installation["proxy"].ca),
                            "email": "it-betrieb@drill.example", "password": temporary})
    # The temporary password is taken, and the next step is choosing one's own.
    assert first["login"] == 302 and "/auth/password" in first["next"]

