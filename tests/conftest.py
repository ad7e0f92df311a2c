"""Fixtures: the app on SQLite and PostgreSQL, a savepoint per test, clients.

Every test that takes `app` runs once per backend. Each test runs inside an
outer transaction that is rolled back at the end (SQLAlchemy's "joining a
session into an external transaction" recipe), so commits inside the test are
real SAVEPOINT releases and nothing survives the test.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

from config import TestingConfig
from protocol_app import create_app
from protocol_app.extensions import db
from protocol_app.reference_data import load_reference_data
from tests import services

BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "one_backend: the test's behaviour cannot differ between the databases (pages, forms, texts); "
        "it runs on SQLite only",
    )


#: The modules that take longest (seconds of `--durations` on the 2-core machine, whole module),
#: longest first. The workers take modules in collection order (`--dist loadfile
#: --no-loadscope-reorder`), so these start first and the short ones fill the gaps at the end:
#: scheduled last, a two-minute crawl kept one worker busy while the other had finished.
#: Only the order: a module not named here runs after them, in its usual place.
LONGEST_FIRST = (
    "test_accessibility_en", "test_accessibility_de", "test_worker", "test_multi_host_drill",
    "test_multi_host_image_drill", "test_upgrade_drill", "test_drill_faults", "test_browser_language",
    "test_browser_emigrants", "test_browser_sign_in", "test_backup", "test_browser_events", "test_webhook_drill",
    "test_browser", "test_browser_first_sign_in", "test_browser_honours", "test_browser_phone", "test_metrics",
    "test_security_findings", "test_sqlite_page_writes", "test_release", "test_backup_protection",
)


def _module_rank(item) -> int:
    name = item.path.stem
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    """Tests marked `one_backend` drop their PostgreSQL run: both databases only where the SQL,
    locks or constraints could behave differently. The longest modules go first (LONGEST_FIRST)."""
    whole_suite = [Path(arg).resolve() for arg in config.args] == [Path(config.rootpath, "tests").resolve()]
    unknown = set(LONGEST_FIRST) - {item.path.stem for item in items}
    if unknown and whole_suite and not config.getoption("keyword") and not config.getoption("markexpr"):
        # A renamed module would silently lose its place; only checked when the whole suite runs.
        raise pytest.UsageError(f"LONGEST_FIRST names no module: {sorted(unknown)}")
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("migrated_app") == "postgresql" and item.get_closest_marker("one_backend"):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    kept.sort(key=_module_rank)  # stable: the order within a module and among the rest stays
    items[:] = kept


def build_app(url: str, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "OUTBOX_PUBLISH_DISABLED": True,
        "REDIS_URL": None,
    }
    settings.update(overrides)
    return create_app(TestingConfig, **settings)


def migrate(app) -> None:
    """Run the migrations. On PostgreSQL one worker at a time: each worker has its own schema,
    but the extensions and the search's folding function live in the shared schema `public`,
    and two workers creating them at once fail ("tuple concurrently updated")."""
    import contextlib

    with app.app_context():
        is_pg = db.engine.dialect.name == "postgresql"
        guard = sa.create_engine(services.PG_BASE_URL) if is_pg else None
        with guard.connect() if guard else contextlib.nullcontext() as conn:
            if conn is not None:
                conn.execute(sa.text("SELECT pg_advisory_lock(hashtext('protokoll-test-migrations'))"))
            try:
                upgrade()
            finally:
                if conn is not None:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext('protokoll-test-migrations'))"))
        if guard is not None:
            guard.dispose()
        db.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_app(request, tmp_path_factory):
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"app-{backend}")
    if backend == "postgresql":
        services.require("postgresql")
        services.reset_pg_schema("protokoll_test")
        url = services.pg_url("protokoll_test")
    else:
        url = f"sqlite:///{tmp / 'test.sqlite'}"
    app = build_app(
        url,
        UPLOAD_DIR=str(tmp / "uploads"),
        EMBEDDED_BROKER_DIR=str(tmp / "broker"),
    )
    migrate(app)
    with app.app_context():
        # Once per session: every test's writes are rolled back, so this stays as loaded.
        load_reference_data()
        db.session.commit()
        db.session.remove()
    app.config["REFERENCE_DATA_PRELOADED"] = True
    app.config["TEST_BACKEND"] = backend
    return app


@pytest.fixture
def app(migrated_app):
    """The app with every database write of the test rolled back afterwards."""
    app = migrated_app
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    try:
        yield app
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def backend(app) -> str:
    return app.config["TEST_BACKEND"]


def pytest_terminal_summary(terminalreporter):
    if services.MISSING:
        names = ", ".join(f"{k} ({v})" for k, v in services.MISSING.items())
        terminalreporter.write_line(
            f"!!! SKIPPED tests needing unreachable services: {names} — run with CI=true to fail instead",
            red=True,
            bold=True,
        )


@pytest.fixture
def count_queries(app):
    """Count SQL statements executed inside the `with` block."""
    import contextlib

    from sqlalchemy import event

    @contextlib.contextmanager
    def counter():
        statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        event.listen(sa.engine.Engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(sa.engine.Engine, "before_cursor_execute", before)

    return counter


@pytest.fixture(scope="session")
def committing_app_base(tmp_path_factory):
    """An app on its own PostgreSQL schema whose commits are real (for tests that
    need several connections or processes: concurrency, the Celery worker)."""
    services.require("postgresql")
    services.reset_pg_schema("protokoll_commit")
    tmp = tmp_path_factory.mktemp("committing")
    app = build_app(
        services.pg_url("protokoll_commit"),
        UPLOAD_DIR=str(tmp / "uploads"),
        EMBEDDED_BROKER_DIR=str(tmp / "broker"),
    )
    migrate(app)
    app.config["TEST_BACKEND"] = "postgresql"
    return app


@pytest.fixture
def committing_app(committing_app_base):
    """The committing app; every table is emptied after the test."""
    yield committing_app_base
    with committing_app_base.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def smtp_server():
    """A running SMTP server; `smtp_server.stop()` simulates an outage."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    """The app pointed at the test SMTP server."""
    previous = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = smtp_server.port
    yield app
    app.config["SMTP_PORT"] = previous


def serve_demo(folder, **settings):
    """The app with demo data on its own SQLite file in `folder`, served on a free port
    (`server.app` for tests that read what the app stored, e.g. the outbox)."""
    from tests.browser import LiveServer

    app = build_app(f"sqlite:///{folder / 'live.sqlite'}", UPLOAD_DIR=str(folder / "uploads"),
                    EMBEDDED_BROKER_DIR=str(folder / "broker"), **settings)
    migrate(app)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    server = LiveServer(app).start()
    server.app = app
    return server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app with demo data on its own SQLite file, served on a free port."""
    server = serve_demo(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; fails the test on any CSP violation or JS error."""
    from tests.browser import watched_page

    with watched_page(browser, live_server.url) as page:
        yield page


@pytest.fixture(scope="session")
def directory_server(tmp_path_factory):
    """OpenLDAP (slapd) with the throwaway tree of tests/ldap_server.py, StartTLS required."""
    from tests.ldap_server import DirectoryServer

    services.require("slapd")
    server = DirectoryServer(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def login_provider():
    """A real OpenID provider (node's oidc-provider) with the people of tests/login_provider.py."""
    from tests.login_provider import LoginProvider, LogoutReceiver

    services.require("oidc-provider")
    receiver = LogoutReceiver()
    provider = LoginProvider(backchannel=receiver.url).start()
    provider.logouts = receiver
    yield provider
    provider.stop()
    receiver.stop()


@contextlib.contextmanager
def _settings(app, settings: dict):
    """The app with `settings` for one test, its own restored afterwards."""
    previous = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield app
    finally:
        app.config.update(previous)


@pytest.fixture
def provider_app(app, login_provider):
    """The app signing staff in with the test provider."""
    with _settings(app, login_provider.settings()):
        yield app


@pytest.fixture
def directory_app(app, directory_server):
    """The app signing staff in with the test directory."""
    with _settings(app, directory_server.settings()):
        yield app
