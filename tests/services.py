"""Which real services the suite can reach; with CI=true a missing one fails."""

from __future__ import annotations

import os

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_BASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_BASE = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")

#: Filled when a service is missing outside CI; printed as one loud summary line.
MISSING: dict[str, str] = {}


def _probe_postgres() -> str | None:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_BASE_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:120]}"


def _probe_redis() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_BASE, socket_connect_timeout=3).ping()
        return None
    except Exception as exc:
        return f"{exc.__class__.__name__}: {exc}"


def _probe_node_package(package: str):
    """A program of tests/js run with node (installed by `make test` with npm ci there)."""

    def probe() -> str | None:
        import shutil
        from pathlib import Path

        if shutil.which("node") is None:
            return "node is not installed"
        if not (Path(__file__).parent / "js" / "node_modules" / package).is_dir():
            return f"{package} is not installed (make test runs npm ci in tests/js)"
        return None

    return probe


def _probe_office_tools() -> str | None:
    """LibreOffice (headless) and poppler's pdftotext, installed by `make test` from Debian."""
    import shutil

    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    return f"not installed: {', '.join(missing)} (make test installs them)" if missing else None


def _probe_slapd() -> str | None:
    """OpenLDAP's server, installed by `make test` from Debian."""
    from pathlib import Path

    return None if Path("/usr/sbin/slapd").exists() else "slapd is not installed (make test installs it)"


_PROBES = {"postgresql": _probe_postgres, "redis": _probe_redis, "ical.js": _probe_node_package("ical.js"),
           "libreoffice": _probe_office_tools, "slapd": _probe_slapd,
           "oidc-provider": _probe_node_package("oidc-provider")}
_RESULTS: dict[str, str | None] = {}


def require(service: str) -> None:
    """Skip (outside CI) or fail (CI=true) when `service` is not reachable."""
    if service not in _RESULTS:
        _RESULTS[service] = _PROBES[service]()
    problem = _RESULTS[service]
    if problem is None:
        return
    if CI:
        pytest.fail(f"{service} is required in CI but unreachable: {problem}", pytrace=False)
    MISSING[service] = problem
    pytest.skip(f"{service} unreachable: {problem}")


#: The pytest-xdist worker this process is ("gw0", "gw1", …; empty without xdist). Every name a
#: worker creates in the shared PostgreSQL and Redis carries it, so that workers never meet.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def own(name: str) -> str:
    """This worker's copy of a schema or role name (`protokoll_commit` → `protokoll_commit_gw1`)."""
    suffix = f"_{WORKER}" if WORKER else ""
    return name if not suffix or name.endswith(suffix) else name + suffix


def redis_url(slot: int) -> str:
    """This worker's Redis database `slot` (0 or 1): 15 and 14 alone, two more per worker after."""
    index = int(WORKER[2:]) if WORKER.startswith("gw") else 0
    return f"{REDIS_BASE}/{15 - slot - 2 * index}"


def pg_url(schema: str) -> str:
    """PostgreSQL URL whose connections use (this worker's) `schema` as search path."""
    sep = "&" if "?" in PG_BASE_URL else "?"
    return f"{PG_BASE_URL}{sep}options=-csearch_path%3D{own(schema)}%2Cpublic"


def reset_pg_schema(schema: str) -> None:
    """Drop and recreate (this worker's) schema of the test database."""
    import sqlalchemy as sa

    schema = own(schema)
    engine = sa.create_engine(PG_BASE_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
