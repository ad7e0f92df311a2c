"""Fault drills: the app served for real (PostgreSQL, threads), people as HTTP sessions
(`requests`), and requests released at the same instant."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.browser import LiveServer
from tests.support import PASSWORD

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


class Person:
    """One browser: its own cookies and CSRF token, as a person at a desk has."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base_url + path, allow_redirects=False, timeout=60, **kwargs)

    def token(self, path: str) -> str:
        html = self.get(path).text
        match = _TOKEN.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)

    def post(self, path: str, data: dict, *, token: str) -> requests.Response:
        return self.http.post(self.base_url + path, data={**data, "csrf_token": token}, allow_redirects=False,
                              timeout=120)

    def log_in(self, email: str, password: str = PASSWORD) -> Person:
        response = self.post("/auth/login", {"email": email, "password": password},
                             token=self.token("/auth/login"))
        assert response.status_code == 302, f"login of {email} failed: {response.status_code}"
        return self


def all_at_once(calls) -> list:
    """Run the calls in threads released together; return their results in order."""
    calls = list(calls)
    gate = threading.Barrier(len(calls))

    def run(call):
        gate.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def event_with_mailed_guests(app, guests: int) -> str:
    """A reception with `guests` guests who have e-mail addresses, committed; returns its reference."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from protocol_app.auth.models import User
    from protocol_app.events.guests import add_adhoc
    from protocol_app.events.services import create_event
    from protocol_app.extensions import db

    with app.app_context():
        actor = db.session.scalar(sa.select(User))
        event = create_event(actor=actor, values={
            "title": "Neujahrsempfang", "kind": "reception", "starts_at": datetime(2027, 1, 15, 17, tzinfo=UTC),
            "ends_at": datetime(2027, 1, 15, 20, tzinfo=UTC), "dress_code": "business", "press": "closed"})
        for n in range(guests):
            add_adhoc(event, actor=actor, name=f"Gast {n}").email = f"gast{n}@example.org"
        db.session.commit()
        reference = event.reference
        db.session.remove()
        return reference


def serve(app) -> LiveServer:
    """Serve `app` on a free port in threads (one per request), as a small gunicorn would."""
    return LiveServer(app).start()


class HungRedis:
    """A listener that accepts connections and never answers (a Redis that hangs): it counts the
    connections accepted and those the client gave up on (closed from the client's side)."""

    def __init__(self):
        import socket

        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.url = f"redis://127.0.0.1:{self._server.getsockname()[1]}/0"
        self.accepted = 0
        self.closed_by_client = 0
        self._lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn) -> None:
        try:
            while conn.recv(4096):  # read whatever comes, answer nothing
                pass
        except OSError:
            pass
        with self._lock:
            self.closed_by_client += 1
        conn.close()

    def stop(self) -> None:
        self._stopped = True
        self._server.close()
