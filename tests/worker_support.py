"""Real Celery workers and a Redis of our own, for the tests that stop, start and kill them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from config import TestingConfig
from tests import services
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


class Worker:
    """`celery worker` (with embedded beat unless `beat=False`) as a subprocess,
    configured through the environment (`overrides` adds or replaces settings)."""

    def __init__(self, redis_url: str, smtp_port: int, tmp: Path, *, beat: bool = True, name: str = "worker",
                 overrides: dict | None = None, command: str = "worker", pool: str = "solo"):
        self.log = tmp / f"{name}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_")}
        env.update(
            PROTOKOLL_ENV="development",
            PROTOKOLL_INSTANCE_DIR=str(tmp / "instance"),
            DATABASE_URL=services.pg_url("protokoll_commit"),
            REDIS_URL=redis_url,
            SMTP_PORT=str(smtp_port),
            OUTBOX_RETRY_DELAYS="1,1,2,2,4,4,8",
            OUTBOX_SWEEP_SECONDS="1",
            REMINDER_SWEEP_SECONDS="2",
            # The same key as the tests' app: outbox bodies are encrypted with it.
            SECRET_KEY=TestingConfig.SECRET_KEY,
        )
        env.update(overrides or {})
        if command == "beat":
            args = ["beat", "--loglevel=INFO", "-s", str(tmp / f"{name}-schedule")]
            ready = "beat: Starting..."
        else:
            args = ["worker", f"--pool={pool}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                    "--hostname", f"{name}@%h", *(["--concurrency=2"] if pool == "prefork" else [])]
            if beat:
                args += ["-B", "-s", str(tmp / f"{name}-schedule")]
            ready = "ready."
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_worker", *args],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: ready in self.log.read_text(), timeout=60):
            self.stop()
            pytest.fail(f"worker did not start:\n{self.tail()}")

    def runs_of(self, task: str) -> int:
        """How often the worker has received `task` (its log's "Task …[id] received" lines)."""
        return sum(1 for line in self.log.read_text().splitlines() if task in line and "received" in line)

    def wait_for_runs(self, task: str, more: int = 2, timeout: float = 60.0) -> bool:
        """Wait until the worker has received `task` `more` times from now (what a fixed sleep
        "long enough for a few sweeps" stood for)."""
        start = self.runs_of(task)
        return wait_for(lambda: self.runs_of(task) >= start + more, timeout=timeout)

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-40:])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def kill(self):
        """kill -9: no shutdown, no acknowledgement, no cleanup — as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


class PrivateRedis:
    """A redis-server of our own that the test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        assert wait_for(lambda: _pings(client), timeout=10), "private redis did not start"
        return self

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def kill(self):
        """kill -9 of the server: every client's connection drops at once."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False




class Gunicorn:
    """The app under gunicorn (several worker processes), as in production, on the committing schema."""

    def __init__(self, tmp: Path, *, workers: int = 2, threads: int = 8, overrides: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "gunicorn.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_")}
        env.update(PROTOKOLL_ENV="development", PROTOKOLL_INSTANCE_DIR=str(tmp / "instance"),
                   DATABASE_URL=services.pg_url("protokoll_commit"), SECRET_KEY=TestingConfig.SECRET_KEY,
                   **(overrides or {}))
        env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        import urllib.request

        def up():
            try:
                return urllib.request.urlopen(f"{self.url}/healthz", timeout=2).status in (200, 503)  # noqa: S310
            except OSError:
                return False

        if not wait_for(up, timeout=60):
            self.stop()
            pytest.fail(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
