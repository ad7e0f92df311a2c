"""The office's busiest hour as Locust users (driven by bench/busiest_hour_bench.py).

60 people at once, each in one role, pausing 2–8 s between clicks as people do: officers open
lists, visits and the calendar, search and save programme items; managers read the desk and
decide cases; translators answer offers; viewers read. One officer imports an XLSX list and
exports the visits once. Every request is named by its page, so the figures come per page.

What the users need from the database (visits, cases waiting for a decision, open offers) the
driver writes as JSON to BUSIEST_HOUR_WORK before the run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

PASSWORD = "Protokoll-Demo-2026"
WORK = json.loads(open(os.environ["BUSIEST_HOUR_WORK"], encoding="utf-8").read())  # noqa: SIM115
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')
_lock = threading.Lock()
#: Cases and offers are handed out once each: two people never decide the same one.
_cases = iter(WORK["cases"])
_offers = {email: iter(ids) for email, ids in WORK["offers"].items()}
_officers = itertools.cycle(["referent@protokoll.example", "referentin@protokoll.example"])
_translators = itertools.cycle(sorted(WORK["offers"]))


def _next(iterator):
    with _lock:
        return next(iterator, None)


class OfficeUser(HttpUser):
    abstract = True
    wait_time = between(2, 8)
    email = ""

    def on_start(self):
        page = self.client.get("/auth/login", name="login page")
        self.client.post("/auth/login", name="login", allow_redirects=False,
                         data={"email": self.login_email(), "password": PASSWORD, "csrf_token": _token(page.text)})

    def login_email(self) -> str:
        return self.email

    def visit_path(self) -> str:
        return f"/visits/{random.choice(WORK['visits'])}"  # noqa: S311 (load mix, not secrets)


def _token(html: str) -> str:
    match = _TOKEN.search(html)
    return match.group(1) if match else ""


class Officer(OfficeUser):
    fixed_count = 30

    def login_email(self) -> str:
        with _lock:
            return next(_officers)

    @task(4)
    def visits_list(self):
        self.client.get("/visits/", name="visits list")

    @task(4)
    def visit_page(self):
        self.client.get(self.visit_path(), name="visit page")

    @task(2)
    def calendar_month(self):
        self.client.get("/calendar/", name="calendar month")

    @task(2)
    def dashboard(self):
        self.client.get("/", name="start page")

    @task(2)
    def search(self):
        term = random.choice(["Delegation", "Paris", "Empfang", "Botschafter", "Warschau"])  # noqa: S311
        self.client.get(f"/visits/?q={term}", name="visits search")
        self.client.get(f"/search/?q={term}", name="global search")

    @task(1)
    def save_programme_item(self):
        reference = random.choice(WORK["open_visits"])  # noqa: S311
        form = self.client.get(f"/visits/{reference}/programme/new", name="programme item form")
        day = WORK["open_visit_days"][reference]
        self.client.post(f"/visits/{reference}/programme/new", name="save programme item", allow_redirects=False,
                         data={"title": "Arbeitsgespräch", "starts_at": f"{day}T10:00", "ends_at": f"{day}T10:30",
                               "venue_id": "0", "dress_code": "business", "press": "closed", "interpreter_mode": "",
                               "conflict_reason": "Lasttest", "csrf_token": _token(form.text)})


class Manager(OfficeUser):
    fixed_count = 10
    email = "leitung@protokoll.example"

    @task(3)
    def desk(self):
        self.client.get("/honours/desk", name="honours desk")

    @task(2)
    def case_page(self):
        self.client.get(f"/honours/{random.choice(WORK['all_cases'])}", name="honours case")  # noqa: S311

    @task(1)
    def decide(self):
        reference = _next(_cases)
        if reference is None:
            return
        page = self.client.get(f"/honours/{reference}", name="honours case")
        version = _VERSION.search(page.text)
        self.client.post(f"/honours/{reference}/decide", name="decide a case", allow_redirects=False,
                         data={"action": "approve", "comment": "", "version": version.group(1) if version else "",
                               "csrf_token": _token(page.text)})

    @task(1)
    def visits_list(self):
        self.client.get("/visits/", name="visits list")


class Translator(OfficeUser):
    fixed_count = 10

    def login_email(self) -> str:
        with _lock:
            self.email = next(_translators)
        return self.email

    @task(3)
    def inbox(self):
        self.client.get("/translations/offers", name="offers inbox")

    @task(2)
    def calendar(self):
        self.client.get("/calendar/", name="calendar month")

    @task(1)
    def answer(self):
        offer = _next(_offers[self.email])
        if offer is None:
            return
        page = self.client.get(f"/translations/offers/{offer}", name="offer page")
        self.client.post(f"/translations/offers/{offer}", name="answer an offer", allow_redirects=False,
                         data={"answer": random.choice(["accept", "decline"]), "reason": "",  # noqa: S311
                               "csrf_token": _token(page.text)})


class Viewer(OfficeUser):
    fixed_count = 9
    email = "leser@protokoll.example"

    @task(3)
    def visits_list(self):
        self.client.get("/visits/", name="visits list")

    @task(3)
    def visit_page(self):
        self.client.get(self.visit_path(), name="visit page")

    @task(2)
    def calendar(self):
        self.client.get("/calendar/?view=week", name="calendar week")


class Importer(OfficeUser):
    """One officer who imports an XLSX register and exports the visits, once each, when everybody
    has signed in (the measured part of the hour)."""

    fixed_count = 1
    email = "referent@protokoll.example"
    done = False

    @task
    def import_and_export(self):
        if self.done or self.environment.runner.user_count < sum(
                cls.fixed_count for cls in (Officer, Manager, Translator, Viewer, Importer)):
            self.client.get("/visits/", name="visits list")
            return
        self.done = True
        form = self.client.get("/graves/import", name="graves import form")
        with open(WORK["import_file"], "rb") as upload:
            self.client.post("/graves/import", name="graves import (XLSX)", allow_redirects=False,
                             data={"csrf_token": _token(form.text)},
                             files={"file": ("ehrengraeber.xlsx", upload.read())})
        self.client.get("/visits/export?format=xlsx&from=2027-03-01&to=2027-03-31", name="visits export (XLSX)")
