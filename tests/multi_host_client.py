"""The client host of the multi-host drill: `python -m tests.multi_host_client COMMAND JSON`.

It runs inside the client's network namespace (tests/multi_host.py) and prints one JSON line:
what came back, counted, for the test to compare with the rows in the database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests

from tests.drill_support import Person
from tests.visit_support import visit_form


class OfficeDesk(Person):
    """A person whose session cookie also goes to an app host directly (plain HTTP behind the
    proxy): the cookie is marked Secure, which would keep it from an http:// address."""

    def __init__(self, base_url: str, ca: str | None = None, jar: requests.Session | None = None):
        super().__init__(base_url)
        if jar is not None:
            self.http = jar
        # The machine's REQUESTS_CA_BUNDLE would otherwise win over the drill's own CA.
        self.http.trust_env = False
        self.http.verify = ca or True
        if jar is None:
            # As a browser does: Flask-WTF refuses a form sent over HTTPS without a same-site Referer.
            self.http.headers["Referer"] = base_url + "/"
        self.http.hooks["response"] = [self._keep_cookies]

    def _keep_cookies(self, response, *args, **kwargs):
        for cookie in response.cookies:
            self.http.cookies.set(cookie.name, cookie.value)

    def at(self, base_url: str) -> OfficeDesk:
        """The same person (cookies and all) talking to another address."""
        return OfficeDesk(base_url, self.http.verify if isinstance(self.http.verify, str) else None, self.http)


def health(args: dict) -> dict:
    answer = requests.get(args["url"] + args.get("path", "/readyz"), timeout=5)
    return {"status_code": answer.status_code, "report": answer.json()}


def session_on_both(args: dict) -> dict:
    """Sign in through the proxy, then ask each app host directly for a page behind the login."""
    desk = OfficeDesk(args["proxy"], args["ca"]).log_in(args["email"], args["password"])
    seen = {}
    for name, url in args["hosts"].items():
        page = desk.at(url).get("/visits/")
        seen[name] = {"status": page.status_code, "signed_in": args["name"] in page.text}
    return seen


def loop(args: dict) -> dict:
    """GET the new-visit form and POST a visit, `n` times, through the proxy; every answer counted.

    After each round the round's number is written to `progress`, so that the test can kill a
    host while requests are under way."""
    desk = OfficeDesk(args["proxy"], args["ca"]).log_in(args["email"], args["password"])
    progress = Path(args["progress"])
    answers = []
    for i in range(args["n"]):
        try:
            try:
                form, retried = desk.get("/visits/new"), False
            except requests.ConnectionError:
                # What a browser does when a kept-alive connection to the proxy was closed as it
                # sent the request (no byte of an answer came): it asks once more, on a new one.
                form, retried = desk.get("/visits/new"), True
            answers.append({"i": i, "method": "GET", "status": form.status_code, "retried": retried})
            if form.status_code != 200:
                continue
            created = desk.post("/visits/new", visit_form(title=f"{args['tag']} {i}"), token=_token(form.text))
            answers.append({"i": i, "method": "POST", "status": created.status_code})
        except requests.RequestException as exc:
            answers.append({"i": i, "method": "?", "status": 0, "error": f"{exc.__class__.__name__}: {exc}"[:300]})
        finally:
            progress.write_text(str(i + 1))
    return {"answers": answers}


def _token(html: str) -> str:
    from tests.drill_support import _TOKEN

    match = _TOKEN.search(html)
    assert match, "no CSRF token on the form"
    return match.group(1) or match.group(2)


def read_loop(args: dict) -> dict:
    """Sign in on one app host and read pages round after round until the stop file appears
    (at most `max_rounds`); each answer counted, each round's number written to `progress`."""
    desk = OfficeDesk(args["url"]).log_in(args["email"], args["password"])
    progress, stop = Path(args["progress"]), Path(args["stop"])
    answers: dict[str, int] = {}
    rounds = 0
    while not stop.exists() and rounds < args["max_rounds"]:
        for path in args["paths"]:
            try:
                status = str(desk.get(path).status_code)
            except requests.RequestException as exc:
                status = exc.__class__.__name__
            answers[status] = answers.get(status, 0) + 1
        rounds += 1
        progress.write_text(str(rounds))
    return {"rounds": rounds, "answers": answers}


def pages(args: dict) -> dict:
    """Sign in and read pages through the proxy (login included: it counts against Redis' limits)."""
    desk = OfficeDesk(args["proxy"], args["ca"]).log_in(args["email"], args["password"])
    return {path: desk.get(path).status_code for path in args["paths"]}


def upload_then_download(args: dict) -> dict:
    """Upload a partnership's agreement through one app host, download it through the other."""
    desk = OfficeDesk(args["proxy"], args["ca"]).log_in(args["email"], args["password"])
    document = Path(args["file"]).read_bytes()
    path = f"/partnerships/{args['city_id']}/agreement"
    uploading = desk.at(args["upload_via"])
    stored = uploading.http.post(uploading.base_url + path, allow_redirects=False, timeout=60,
                                 data={"csrf_token": _token(uploading.get(f"/partnerships/{args['city_id']}").text)},
                                 files={"file": ("vereinbarung.pdf", document, "application/pdf")})
    fetched = desk.at(args["download_via"]).get(path)
    return {"upload": stored.status_code, "download": fetched.status_code, "same": fetched.content == document}


def first_sign_in(args: dict) -> dict:
    """Sign in with a temporary password through the proxy; where the app leads next."""
    desk = OfficeDesk(args["proxy"], args["ca"])
    login = desk.post("/auth/login", {"email": args["email"], "password": args["password"]},
                      token=_token(desk.get("/auth/login").text))
    following = desk.http.get(desk.base_url + login.headers.get("Location", "/"), timeout=30)
    return {"login": login.status_code, "next": following.url}


COMMANDS = {"health": health, "session_on_both": session_on_both, "loop": loop, "pages": pages,
            "upload_then_download": upload_then_download, "first_sign_in": first_sign_in,
            "read_loop": read_loop}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](json.loads(sys.argv[2]))))
