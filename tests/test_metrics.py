"""`/metrics` as Prometheus scrapes it: only with the bearer token, every metric the README lists,
added up over gunicorn's worker processes, and the alert rules checked against what is exposed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from protocol_app.core.heartbeats import BEAT, REMINDER_SWEEP, record
from protocol_app.core.notifications.services import queue_mail
from protocol_app.core.time import now_utc
from protocol_app.extensions import db
from protocol_app.version import __version__
from tests.services import CI
from tests.smtp import free_port
from tests.support import login, make_user
from tests.worker_support import wait_for

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "prometheus-liest-mit-" + "x" * 24
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"

pytestmark = pytest.mark.one_backend


def _scrape(client) -> dict[str, dict]:
    """{metric name: {labels as a sorted tuple: value}} of one scrape."""
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    return _samples(answer.get_data(as_text=True))


def _samples(text: str) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_metrics_answer_only_the_bearer_of_the_token(app):
    client = app.test_client()
    assert client.get("/metrics").status_code == 404  # METRICS_TOKEN unset: off
    app.config["METRICS_TOKEN"] = TOKEN
    refused = [client.get("/metrics", headers=headers) for headers in (
        {}, {"Authorization": "Bearer falsch"}, {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"})]
    assert [r.status_code for r in refused] == [401, 401, 401, 401]
    assert refused[0].headers["WWW-Authenticate"].startswith("Bearer")
    # A signed-in admin is no bearer either.
    make_user(app, "admin@example.org", roles=["admin"])
    login(client, "admin@example.org")
    assert client.get("/metrics").status_code == 401


def test_the_metrics_count_requests_mails_heartbeats_and_sign_ins(app):
    app.config["METRICS_TOKEN"] = TOKEN
    make_user(app, "referent@example.org", roles=["officer"])
    client = app.test_client()
    before = _scrape(client)
    login(client, "referent@example.org")
    for _ in range(3):
        assert client.get("/visits/").status_code == 200
    login(app.test_client(), "referent@example.org", password="falsch-falsch-falsch")
    with app.app_context():
        queue_mail("gast@example.org", "Einladung", "Text")
        record(db.session.connection(), BEAT, at=now_utc() - timedelta(seconds=20))
        record(db.session.connection(), REMINDER_SWEEP, duration=0.25, value=4)
        db.session.commit()
    after = _scrape(client)

    def grew(name, **labels):
        key = tuple(sorted(labels.items()))
        return after[name].get(key, 0) - before.get(name, {}).get(key, 0)

    assert grew("protokoll_http_requests_total", endpoint="visits.index", method="GET", status="200") == 3
    assert grew("protokoll_http_request_duration_seconds_count", endpoint="visits.index") == 3
    assert grew("protokoll_sign_in_failures_total") == 1
    assert after["protokoll_outbox_mails"][(("state", "pending"),)] == 1
    assert after["protokoll_outbox_oldest_pending_age_seconds"][()] >= 0
    assert now_utc().timestamp() - after["protokoll_last_run_timestamp_seconds"][(("part", "beat"),)] >= 20
    assert after["protokoll_last_run_items"][(("part", "reminder-sweep"),)] == 4
    assert after["protokoll_last_run_duration_seconds"][(("part", "reminder-sweep"),)] == 0.25
    assert after["protokoll_build_info"][(("version", __version__),)] == 1
    assert "protokoll_celery_queue_length" in after and "protokoll_db_pool_connections" in after


def test_a_blocked_account_is_counted(app):
    app.config["METRICS_TOKEN"] = TOKEN
    make_user(app, "referent@example.org", roles=["officer"])
    before = _scrape(app.test_client()).get("protokoll_sign_in_blocks_total", {}).get((), 0)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(app.test_client(), "referent@example.org", password="falsch-falsch-falsch")
    assert _scrape(app.test_client())["protokoll_sign_in_blocks_total"][()] == before + 1


def test_gunicorns_workers_are_added_up(tmp_path):
    """Two worker processes answer; one scrape counts the requests of both."""
    port = free_port()
    env = {**os.environ, "PROTOKOLL_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite'}",
           "UPLOAD_DIR": str(tmp_path / "uploads"), "METRICS_TOKEN": TOKEN, "PROTOKOLL_BIND": f"127.0.0.1:{port}",
           "WEB_WORKERS": "2", "WEB_THREADS": "1", "EMBEDDED_BROKER_DIR": str(tmp_path / "broker")}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,  # noqa: S603
                   check=True, capture_output=True)
    # gunicorn.conf.py makes (and empties) the folder where each worker keeps its counts.
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",  # noqa: S603
                               str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _get(f"{base}/healthz") == 200, timeout=60), "gunicorn did not answer"
        # Each worker writes its own file; new connections go to whichever worker accepts first.
        for _ in range(40):
            _get(f"{base}/healthz")
        assert wait_for(lambda: len(list((tmp_path / "metrics").glob("counter_*.db"))) == 2, timeout=30)
        request = urllib.request.Request(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            samples = _samples(answer.read().decode())
        counted = samples["protokoll_http_requests_total"][
            (("endpoint", "core.healthz"), ("method", "GET"), ("status", "200"))]
        assert counted >= 41  # the 40 and the first probe (and the waiting ones), from both workers
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
            return answer.status
    except OSError:
        return 0


def test_every_alert_rule_uses_metrics_the_app_exposes(app):
    app.config["METRICS_TOKEN"] = TOKEN
    with app.app_context():
        record(db.session.connection(), BEAT)
        db.session.commit()
    client = app.test_client()
    client.get("/healthz")
    exposed = set(_scrape(client))
    bases = exposed | {re.sub(r"_(bucket|count|sum|created)$", "", name) for name in exposed}
    rules = [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]
    assert len(rules) >= 9
    for rule in rules:
        assert rule["alert"].startswith("Protokoll") and rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]
        used = set(re.findall(r"\bprotokoll_[a-z_]+", rule["expr"]))
        assert used and used <= bases | {"protokoll_last_run_timestamp_seconds"}, (rule["alert"], used - bases)


def test_promtool_accepts_the_alert_rules():
    if shutil.which("promtool") is None:
        problem = "promtool is not installed (Debian's prometheus package; make test installs it)"
        if CI:
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    done = subprocess.run(["promtool", "check", "rules", str(RULES)], capture_output=True, text=True)  # noqa: S603,S607
    assert done.returncode == 0 and "SUCCESS: 9 rules found" in done.stdout, done.stdout + done.stderr
