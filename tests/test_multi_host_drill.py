"""Multi-host drill: Protokoll as the Land's IT service runs it — a db host (PostgreSQL, Redis), two
app hosts (gunicorn with deploy/gunicorn.conf.py, as an unprivileged user, one upload folder
shared), HAProxy with deploy/haproxy/haproxy.cfg on a proxy host, and a client — each in its
own network namespace (tests/multi_host.py).

What an operator would check after a fault, counted: responses per request, rows per POST,
HAProxy's own view of its pool, the bytes of a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

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
    wait_until,
)
from tests.support import PDF

pytestmark = pytest.mark.postgres_only


def prepare_database(lab: Lab, db: DatabaseHost, client, app_host, env: dict) -> None:
    """What a new installation does once: the database, the schema, the reference data, an officer."""
    db.wait_ready(client)
    db.sql(client, "CREATE DATABASE protokoll", database="postgres")
    lab.run(app_host, [str(VENV_BIN / "flask"), "db", "upgrade"], env=env)
    lab.run(app_host, [str(VENV_BIN / "flask"), "seed-reference"], env=env)
    lab.run(app_host, [str(VENV_BIN / "python"), "-c", (
        "from protocol_app import create_app\n"
        "from protocol_app.auth.services import ensure_user\n"
        "from protocol_app.extensions import db\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    ensure_user(email={OFFICER!r}, full_name={OFFICER_NAME!r}, roles=['officer'], password={PASSWORD!r})\n"
        "    db.session.commit()\n")], env=env)


@pytest.fixture(scope="module")
def installation():
    """Two app hosts from the venv behind the proxy, on a db host of their own."""
    require_namespaces()
    lab = Lab()
    folder = lab.folder
    try:
        db_host, app1, app2 = lab.add_host("db", 10), lab.add_host("app1", 11), lab.add_host("app2", 12)
        proxy_host, client = lab.add_host("proxy", 13), lab.add_host("client", 20)
        db = DatabaseHost(lab, db_host)
        uploads = folder / "uploads"  # the shared folder (NFS on real hosts)
        uploads.mkdir()
        uploads.chmod(0o750)
        os.chown(uploads, APP_UID, APP_UID)
        env = app_environment(db, uploads, SECRET_KEY=new_secret_key())
        prepare_database(lab, db, client, app1, env)
        for host in (app1, app2):
            start_web(lab, host, env)
        for host in (app1, app2):
            wait_healthy(lab, client, host)
        proxy = Proxy(lab, proxy_host, [app1, app2])
        proxy.wait_all_up()
        yield {"lab": lab, "db": db, "proxy": proxy, "client": client, "app1": app1, "app2": app2,
               "env": env, "folder": folder}
    finally:
        lab.close()


def _ask(installation, command: str, **arguments) -> dict:
    proxy = installation["proxy"]
    return client_command(installation["lab"], installation["client"], command,
                          {"proxy": proxy.url, "ca": str(proxy.ca), "email": OFFICER, "password": PASSWORD,
                           **arguments})


def test_one_sign_in_works_on_both_app_hosts(installation):
    seen = _ask(installation, "session_on_both", name=OFFICER_NAME, hosts={
        "app1": f"http://{installation['app1'].address}:8000", "app2": f"http://{installation['app2'].address}:8000"})
    assert seen == {"app1": {"status": 200, "signed_in": True}, "app2": {"status": 200, "signed_in": True}}
    # Two gunicorns of one user, and no control socket for them to share (and delete under each other).
    assert (installation["folder"] / "home").is_dir() and not (installation["folder"] / "home" / ".gunicorn").exists()


def test_a_file_uploaded_through_one_host_downloads_through_the_other(installation):
    db, client = installation["db"], installation["client"]
    city_id = db.sql(client, "SELECT id FROM partner_cities WHERE name_de = 'Brüssel'")
    document = installation["folder"] / "vereinbarung.pdf"
    document.write_bytes(PDF)
    result = _ask(installation, "upload_then_download", city_id=int(city_id), file=str(document),
                  upload_via=f"http://{installation['app1'].address}:8000",
                  download_via=f"http://{installation['app2'].address}:8000")
    assert result == {"upload": 302, "download": 200, "same": True}


def test_the_proxy_speaks_tls_with_hsts_and_refuses_a_body_over_the_limit(installation):
    lab, client, proxy = installation["lab"], installation["client"], installation["proxy"]
    probe = lab.run(client, [str(VENV_BIN / "python"), "-c", (
        "import http.client, json, ssl, requests\n"
        f"url, ca, host = {proxy.url!r}, {str(proxy.ca)!r}, {proxy.host.address!r}\n"
        "page = requests.get(url + '/auth/login', verify=ca, timeout=10)\n"
        "plain = requests.get(url.replace('https', 'http') + '/auth/login', allow_redirects=False, timeout=10)\n"
        "conn = http.client.HTTPSConnection(host, 443, timeout=10, context=ssl.create_default_context(cafile=ca))\n"
        "conn.putrequest('POST', '/auth/login')\n"
        "conn.putheader('Content-Length', str(26 * 1024 * 1024))\n"
        "conn.endheaders()\n"
        "big = conn.getresponse().status\n"
        "print(json.dumps([page.status_code, page.headers.get('Strict-Transport-Security'), plain.status_code,\n"
        "                  plain.headers.get('Location'), big]))\n")]).stdout
    status, hsts, plain, location, big = json.loads(probe.strip().splitlines()[-1])
    assert status == 200 and hsts.startswith("max-age=31536000")
    assert plain == 301 and location.startswith("https://")
    # Refused by the proxy before a byte of the body is read: the app hosts never see it.
    assert big == 413


def test_redis_stopped_both_hosts_stay_in_the_pool_and_pages_answer(installation):
    db, proxy, folder = installation["db"], installation["proxy"], installation["folder"]
    checks_before = {name: _health_checks(folder, name) for name in ("app1", "app2")}
    failed_before = {name: int(row["chkfail"] or 0) for name, row in proxy.servers().items()}
    db.stop_redis()
    try:
        # Each host is checked at least four more times: three failures would have taken it out.
        wait_until(lambda: all(_health_checks(folder, n) >= checks_before[n] + 4 for n in ("app1", "app2")),
                   what="four health checks per host with Redis stopped")
        servers = proxy.servers()
        assert {name: row["status"] for name, row in servers.items()} == {"app1": "UP", "app2": "UP"}
        assert {name: int(row["chkfail"] or 0) for name, row in servers.items()} == failed_before
        report = client_command(installation["lab"], installation["client"], "health",
                                {"url": f"http://{installation['app1'].address}:8000"})
        assert report["status_code"] == 200 and report["report"]["status"] == "degraded"
        assert _ask(installation, "pages", paths=["/", "/visits/", "/visits/new"]) == {
            "/": 200, "/visits/": 200, "/visits/new": 200}
    finally:
        db.start_redis()


def test_a_drained_host_gets_no_new_requests_and_comes_back(installation):
    """What an operator does before stopping a host: deploy/haproxy/drain-host through HAProxy's
    admin socket; people keep working on the other host; `--ready` puts it back."""
    proxy, folder = installation["proxy"], installation["folder"]
    drain_host = [sys.executable, str(ROOT / "deploy" / "haproxy" / "drain-host"), "--socket", str(proxy.socket)]
    drained = subprocess.run([*drain_host, "app2", "--wait", "30"], capture_output=True, text=True)  # noqa: S603
    assert drained.returncode == 0 and "app2: drained" in drained.stderr, drained.stderr
    assert proxy.servers()["app2"]["status"] == "DRAIN"
    served_before = _page_requests(folder, "app2")
    assert _ask(installation, "pages", paths=["/", "/visits/", "/partnerships/"]) == {
        "/": 200, "/visits/": 200, "/partnerships/": 200}
    assert _page_requests(folder, "app2") == served_before
    ready = subprocess.run([*drain_host, "app2", "--ready"], capture_output=True, text=True)  # noqa: S603
    assert ready.returncode == 0, ready.stderr
    wait_until(lambda: proxy.servers()["app2"]["status"] == "UP", what="app2 back in the pool")


def _requests(folder: Path, host: str) -> list[dict]:
    """The host's request lines (the app's JSON log: one per request)."""
    log = folder / f"web-{host}.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [entry for line in lines if line.startswith("{") and (entry := json.loads(line)).get("message") == "request"]


def _page_requests(folder: Path, host: str) -> int:
    """Requests of people (not the proxy's health checks) the host answered."""
    return sum(1 for entry in _requests(folder, host) if entry["endpoint"] not in ("core.readyz", "core.healthz"))


def _health_checks(folder: Path, host: str) -> int:
    """How many of the proxy's health checks (GET /readyz) the host has answered."""
    return sum(1 for entry in _requests(folder, host) if entry["endpoint"] == "core.readyz")


def test_a_host_killed_mid_load_loses_no_get_and_no_post_counts_twice(installation):
    """kill -9 of a whole app host while a person works through the proxy: HAProxy retries the
    GETs elsewhere; a POST is committed once (answered 302) or answered with an error — never
    committed twice, never answered 302 without its row."""
    lab, db, client = installation["lab"], installation["db"], installation["client"]
    progress = installation["folder"] / "progress"
    progress.write_text("0")
    rounds, tag = 60, "Mehrhost-Drill"
    proxy = installation["proxy"]
    loop = subprocess.Popen(  # noqa: S603
        ["ip", "netns", "exec", client.namespace, str(VENV_BIN / "python"), "-m", "tests.multi_host_client", "loop",
         json.dumps({"proxy": proxy.url, "ca": str(proxy.ca), "email": OFFICER, "password": PASSWORD,
                     "n": rounds, "tag": tag, "progress": str(progress)})],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(Path(__file__).parent.parent))
    wait_until(lambda: int(progress.read_text() or 0) >= 10, what="ten rounds before the kill", deadline=120)
    killed_at = int(progress.read_text())
    killed = lab.kill_host(installation["app1"])
    out, err = loop.communicate(timeout=300)
    assert loop.returncode == 0, err[-3000:]
    answers = json.loads(out.strip().splitlines()[-1])["answers"]

    assert killed >= 3  # gunicorn's master and its two workers
    gets = [a for a in answers if a["method"] == "GET"]
    failed = [a for a in answers if a["method"] == "?"]
    assert len(gets) == rounds and Counter(a["status"] for a in gets) == {200: rounds}, failed
    # a dropped kept-alive connection is asked again, as a browser does — at most once in the drill
    assert sum(a["retried"] for a in gets) <= 1, [a for a in gets if a["retried"]]
    rows = dict(line.split("|") for line in db.sql(client, (
        f"SELECT title, count(*) FROM visits WHERE title LIKE '{tag} %' GROUP BY title")).splitlines())
    posts = {a["i"]: a["status"] for a in answers if a["method"] == "POST"}
    assert set(posts) == set(range(rounds))
    for i, status in posts.items():
        committed = int(rows.get(f"{tag} {i}", 0))
        assert committed <= 1, f"POST {i} committed {committed} times"
        if status == 302:
            assert committed == 1, f"POST {i} answered 302 but has no row"
        else:
            assert status >= 500, f"POST {i} answered {status}"
    failed = [i for i, status in posts.items() if status != 302]
    print(f"kill drill: one host, {killed} processes killed after round "
          f"{killed_at}; {len(gets)} GETs all 200; {len(posts)} POSTs: {len(posts) - len(failed)} answered 302 "
          f"with one row each, {len(failed)} answered {[posts[i] for i in failed]} "
          f"({sum(int(rows.get(f'{tag} {i}', 0)) for i in failed)} of them committed)")
    assert len(failed) <= 1, f"only the POST under way at the kill may fail: {failed}"
    # HAProxy noticed: the dead host left the pool, the other carries on.
    wait_until(lambda: installation["proxy"].servers()["app1"]["status"].startswith("DOWN"),
               what="app1 out of the pool")
    assert installation["proxy"].servers()["app2"]["status"] == "UP"
