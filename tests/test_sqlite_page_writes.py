"""The embedded SQLite under simultaneous sign-ins on a busy machine (issue 30, item 15): a page
view that writes after all (a logged confidential read, a touched session) took its write on a
read snapshot and failed with "database is locked" whenever another request had committed
since the view began. It now ends its snapshot and takes the write lock as writers do."""

from __future__ import annotations

import multiprocessing

import sqlalchemy as sa

from protocol_app.core.audit import AuditEvent, record_read
from protocol_app.extensions import db
from protocol_app.visits.models import Visit
from tests.conftest import build_app, migrate
from tests.drill_support import Person, all_at_once, serve
from tests.support import ensure_reference_data, make_user
from tests.visit_support import make_visit


def _embedded(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'embedded.sqlite'}", UPLOAD_DIR=str(tmp_path / "uploads"),
                    EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))
    migrate(app)
    ensure_reference_data(app)
    return app


def test_a_page_view_that_logs_a_read_after_another_request_committed_is_not_locked_out(tmp_path):
    app = _embedded(tmp_path)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    make_visit(app, officer_id, is_confidential=True)
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.test_request_context("/visits/", method="GET"):
        visit = db.session.scalar(sa.select(Visit))  # the page's read: its snapshot begins here
        with other.begin() as conn:  # meanwhile another request writes and commits
            conn.execute(sa.text("UPDATE visits SET title = 'Geändert inzwischen'"))
        record_read(None, target=visit)
        db.session.commit()  # before: sqlite3.OperationalError "database is locked"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "visit.read")) == 1
        db.session.remove()
    other.dispose()


def _spin(stop):
    while not stop.is_set():
        pass


def test_fifty_simultaneous_sign_ins_on_a_busy_machine_get_no_5xx(tmp_path):
    app = _embedded(tmp_path)
    officer_id = make_user(app, "referent@example.org", roles=["officer"])
    for n in range(3):  # the start page then logs reads: page views write
        make_visit(app, officer_id, is_confidential=True, title=f"Vertraulich {n}")
    live = serve(app)
    stop = multiprocessing.Event()
    hogs = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(2)]
    for hog in hogs:
        hog.start()
    try:
        people = [Person(live.url) for _ in range(50)]
        tokens = [p.token("/auth/login") for p in people]

        def sign_in_and_look(person, token):
            login = person.post("/auth/login", {"email": "referent@example.org", "password": "Sicheres-Test-Passwort-2026"},
                                token=token)
            return [login.status_code, person.get("/").status_code, person.get("/visits/").status_code]

        codes = all_at_once(lambda p=p, t=t: sign_in_and_look(p, t) for p, t in zip(people, tokens, strict=True))
    finally:
        stop.set()
        for hog in hogs:
            hog.join(timeout=10)
        live.stop()
    assert [c for c in codes if c != [302, 200, 200]] == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "auth.login")) == 50
