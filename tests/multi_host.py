"""Several hosts on one machine: network namespaces joined by a bridge, as the Land's IT service
runs Protokoll (a database host with PostgreSQL and Redis, app hosts, a proxy host, a client).

Every address lives inside the namespaces (10.<n>.<m>.0/24 on a bridge in a namespace of its
own); nothing listens on the machine's own addresses, so the machine's PostgreSQL and Redis are
never met. Each host runs real programs: PostgreSQL and redis-server from Debian, gunicorn from
the venv (or the image, through podman), HAProxy with deploy/haproxy/haproxy.cfg unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.services import CI

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
#: The unprivileged user every app host runs as (the image's user, too): the shared upload
#: folder is theirs, as it would be on an NFS share.
APP_UID = 10001
PASSWORD = "Mehrere-Hosts-2026!"  # noqa: S105 (test account)
OFFICER = "referentin@drill.example"
OFFICER_NAME = "Rita Referentin"


def require_namespaces() -> None:
    """Network namespaces need root and iproute2: without them, skip (fail with CI=true)."""
    problem = None
    if os.geteuid() != 0:
        problem = "the multi-host drill makes network namespaces: it needs root"
    elif shutil.which("ip") is None or shutil.which("haproxy") is None or not (PG_BIN / "postgres").exists():
        problem = "iproute2, haproxy and PostgreSQL 15's server are needed (make test installs them)"
    if problem:
        if CI:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)


def wait_until(check, *, what: str, deadline: float = 60.0, every: float = 0.2):
    """Poll `check` until it returns something truthy; fail naming `what` after `deadline` seconds."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"not reached within {deadline:.0f} s: {what}")
        time.sleep(every)


@dataclass
class Host:
    name: str
    namespace: str
    address: str
    processes: list[subprocess.Popen] = field(default_factory=list)


class Lab:
    """The namespaces, the bridge and the programs started in them; `close()` removes it all."""

    _made = 0

    def __init__(self):
        # Not under pytest's tmp folder (mode 0700): PostgreSQL's user and the app user read here.
        self.folder = Path(tempfile.mkdtemp(prefix="protokoll-hosts-"))
        self.folder.chmod(0o755)
        # Names and the subnet differ per run, so that a lab left by a killed run never collides.
        Lab._made += 1
        self.tag = f"pk{os.getpid() % 10000}{Lab._made}"
        self.subnet = f"10.{200 + os.getpid() % 50}.{os.getpid() % 250}"
        self.switch = f"{self.tag}-sw"
        self.hosts: dict[str, Host] = {}
        self._ip("netns", "add", self.switch)
        self._ip("-n", self.switch, "link", "add", "br0", "type", "bridge")
        self._ip("-n", self.switch, "link", "set", "br0", "up")

    @staticmethod
    def _ip(*args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True)  # noqa: S603,S607

    def add_host(self, name: str, number: int) -> Host:
        namespace, address = f"{self.tag}-{name}", f"{self.subnet}.{number}"
        inside, outside = f"{self.tag}{number}a", f"{self.tag}{number}b"
        self._ip("netns", "add", namespace)
        self._ip("link", "add", inside, "type", "veth", "peer", "name", outside)
        self._ip("link", "set", inside, "netns", namespace)
        self._ip("link", "set", outside, "netns", self.switch)
        self._ip("-n", self.switch, "link", "set", outside, "master", "br0", "up")
        self._ip("-n", namespace, "link", "set", inside, "name", "eth0")
        self._ip("-n", namespace, "addr", "add", f"{address}/24", "dev", "eth0")
        self._ip("-n", namespace, "link", "set", "eth0", "up")
        self._ip("-n", namespace, "link", "set", "lo", "up")
        host = self.hosts[name] = Host(name, namespace, address)
        return host

    def start(self, host: Host, argv: list[str], *, log: str, env: dict | None = None,
              as_user: int | str | None = None, cwd: Path = ROOT) -> subprocess.Popen:
        """Start a long-running program on `host`; its output goes to a log file of the lab."""
        prefix = ["ip", "netns", "exec", host.namespace]
        if as_user == "postgres":
            prefix += ["runuser", "-u", "postgres", "--"]
        elif as_user is not None:
            prefix += ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups"]
        out = open(self.folder / log, "ab")  # noqa: SIM115 (kept open while the program runs)
        process = subprocess.Popen(prefix + argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,  # noqa: S603
                                   env={**os.environ, **(env or {})}, start_new_session=True)
        host.processes.append(process)
        return process

    def run(self, host: Host, argv: list[str], *, env: dict | None = None, as_user=None,
            check: bool = True, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess:
        """Run a command on `host` to its end and return what it printed."""
        prefix = ["ip", "netns", "exec", host.namespace]
        if as_user is not None:
            prefix += ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups"]
        done = subprocess.run(prefix + argv, capture_output=True, text=True, cwd=cwd, timeout=timeout,  # noqa: S603
                              env={**os.environ, **(env or {})})
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} on {host.name} failed ({done.returncode}):\n"
                                 f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        return done

    def kill_host(self, host: Host) -> int:
        """The host dies: SIGKILL to every process in its namespace (no goodbye, no FIN of gunicorn)."""
        pids = subprocess.run(["ip", "netns", "pids", host.namespace], capture_output=True,  # noqa: S603,S607
                              text=True, check=True).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        for process in host.processes:
            process.wait(timeout=30)
        host.processes.clear()
        return len(pids)

    def close(self) -> None:
        for host in self.hosts.values():
            if host.processes:
                self.kill_host(host)
        for name in [h.namespace for h in self.hosts.values()] + [self.switch]:
            subprocess.run(["ip", "netns", "delete", name], capture_output=True)  # noqa: S603,S607
        if not os.environ.get("KEEP_LAB"):  # KEEP_LAB=1 keeps the logs for a look after a failure
            shutil.rmtree(self.folder, ignore_errors=True)


class DatabaseHost:
    """PostgreSQL 15 and Redis of their own on the lab's db host."""

    def __init__(self, lab: Lab, host: Host):
        self.lab, self.host = lab, host
        self.data = lab.folder / "pgdata"
        self.data.mkdir()
        shutil.chown(self.data, "postgres", "postgres")
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(self.data),  # noqa: S603,S607
                        "-A", "trust", "-U", "postgres", "--no-sync"], check=True, capture_output=True)
        with open(self.data / "pg_hba.conf", "a") as hba:
            hba.write(f"host all all {lab.subnet}.0/24 trust\n")
        self.postgres = lab.start(host, [str(PG_BIN / "postgres"), "-D", str(self.data), "-c",
                                         f"listen_addresses={host.address}", "-c",
                                         f"unix_socket_directories={self.data}", "-c", "fsync=off"],
                                  log="postgres.log", as_user="postgres")
        self.start_redis()

    def start_redis(self) -> None:
        self.redis = self.lab.start(self.host, ["redis-server", "--bind", self.host.address, "--port", "6379",
                                                "--save", "", "--appendonly", "no"], log="redis.log")

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait(timeout=30)
        self.host.processes.remove(self.redis)

    def url(self, database: str = "protokoll") -> str:
        return f"postgresql+psycopg://postgres@{self.host.address}:5432/{database}"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.host.address}:6379/0"

    def sql(self, client: Host, statement: str, database: str = "protokoll") -> str:
        """One SQL statement through psql on `client`; its unaligned output."""
        return self.lab.run(client, ["psql", "-h", self.host.address, "-U", "postgres", "-d", database,
                                     "-At", "-v", "ON_ERROR_STOP=1", "-c", statement]).stdout.strip()

    def wait_ready(self, client: Host) -> None:
        wait_until(lambda: self.lab.run(client, ["pg_isready", "-h", self.host.address, "-U", "postgres"],
                                        check=False).returncode == 0, what="PostgreSQL on the db host")


def tls_certificate(folder: Path, address: str) -> tuple[Path, Path]:
    """A self-signed certificate for `address` as HAProxy wants it (certificate and key in one
    PEM), and the certificate alone for the client to trust."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "protokoll.drill")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    bundle, ca = folder / "tls.pem", folder / "ca.pem"
    bundle.write_bytes(cert_pem + key_pem)
    ca.write_bytes(cert_pem)
    return bundle, ca


class Proxy:
    """HAProxy on the proxy host with the shipped configuration, and its admin socket."""

    def __init__(self, lab: Lab, host: Host, apps: list[Host]):
        self.lab, self.host = lab, host
        self.bundle, self.ca = tls_certificate(lab.folder, host.address)
        self.socket = lab.folder / "haproxy-admin.sock"
        self.env = {
            "PROTOKOLL_TLS_PEM": str(self.bundle), "PROTOKOLL_HTTPS_BIND": f"{host.address}:443",
            "PROTOKOLL_HTTP_BIND": f"{host.address}:80", "HAPROXY_ADMIN_SOCKET": str(self.socket),
            "PROTOKOLL_APP1": f"{apps[0].address}:8000", "PROTOKOLL_APP2": f"{apps[1].address}:8000",
        }
        lab.start(host, ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy" / "haproxy.cfg")],
                  env=self.env, log="haproxy.log")
        wait_until(self.socket.exists, what="HAProxy's admin socket")

    @property
    def url(self) -> str:
        return f"https://{self.host.address}"

    def servers(self) -> dict[str, dict]:
        """HAProxy's own view of the app hosts (`show stat`): status, failed checks, …"""
        import csv
        import io

        rows = csv.DictReader(io.StringIO(self.admin("show stat").lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == "protokoll" and row["svname"].startswith("app")}

    def admin(self, command: str) -> str:
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(5)
            conn.connect(str(self.socket))
            conn.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def wait_all_up(self) -> None:
        wait_until(lambda: all(s["status"] == "UP" for s in self.servers().values()),
                   what="both app hosts UP in HAProxy's pool")


def app_environment(db: DatabaseHost, uploads: Path, **extra: str) -> dict[str, str]:
    """The production settings every app host gets (as /etc/protokoll/protokoll.env would give).

    The app user's home is the lab's `home` folder: where gunicorn would put its shared control
    socket (~/.gunicorn/gunicorn.ctl) if it had one."""
    home = uploads.parent / "home"
    home.mkdir(exist_ok=True)
    os.chown(home, APP_UID, APP_UID)
    return {
        "PROTOKOLL_ENV": "production", "DATABASE_URL": db.url(), "REDIS_URL": db.redis_url,
        "UPLOAD_DIR": str(uploads), "TRUSTED_PROXY_HOPS": "1", "AUDIT_ANCHOR_SYSLOG": "0",
        "BASE_URL": "https://protokoll.drill", "WEB_WORKERS": "2", "WEB_THREADS": "4",
        "FLASK_APP": "wsgi", "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(home),
        "XDG_RUNTIME_DIR": "",
        # The drill's officer signs in with a password; the roles that need a code are tested elsewhere.
        "SECOND_FACTOR_ROLES": "admin", **extra,
    }


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)


def start_web(lab: Lab, host: Host, env: dict[str, str], *, code: Path = ROOT) -> None:
    """gunicorn with deploy/gunicorn.conf.py on `host`, as the app user, from the code in `code`."""
    lab.start(host, [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
              env={**env, "PROTOKOLL_BIND": f"{host.address}:8000"}, log=f"web-{host.name}.log",
              as_user=APP_UID, cwd=code)


def wait_healthy(lab: Lab, client: Host, host: Host, path: str = "/readyz") -> dict:
    """Poll the host's readiness from the client until it answers 200; return its report
    (`path="/healthz"` for a release before 1.0.0, which had no /readyz)."""
    def answer():
        done = client_command(lab, client, "health", {"url": f"http://{host.address}:8000", "path": path},
                              check=False)
        return done if done and done.get("status_code") == 200 else None
    try:
        return wait_until(answer, what=f"{path} of {host.name}", deadline=90)
    except AssertionError as exc:
        log = lab.folder / f"web-{host.name}.log"
        raise AssertionError(f"{exc}\n{log.read_text(errors='replace')[-3000:] if log.exists() else ''}") from None


def client_command(lab: Lab, client: Host, command: str, arguments: dict, *, check: bool = True) -> dict | None:
    """Run tests/multi_host_client.py on the client host; return the JSON it printed."""
    done = lab.run(client, [str(VENV_BIN / "python"), "-m", "tests.multi_host_client", command,
                            json.dumps(arguments)], check=check)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])
