"""What the image's HEALTHCHECK runs (`entrypoint.sh healthcheck`): exit 0 when this container's part works.

The entrypoint notes which part it started in /tmp/protokoll-part. The web part is healthy when
`/healthz` (liveness) answers 200 on its own port: the readiness for the proxy (`/readyz`) is the
proxy's and the orchestrator's question, not the container's. A worker is healthy when it answers a ping through the broker. The
beat is healthy while it runs: a standing-by second beat is as it should be.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

PART_FILE = Path("/tmp/protokoll-part")  # noqa: S108 (the container's own /tmp)


def web_healthy(timeout: float = 3.0) -> bool:
    port = os.environ.get("PROTOKOLL_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as answer:  # noqa: S310
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


def worker_healthy() -> bool:
    node = f"celery@{socket.gethostname()}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "celery_worker", "inspect", "ping", "-d", node, "--timeout", "5"],
        capture_output=True, check=False,
    )
    return done.returncode == 0


def main() -> int:
    part = PART_FILE.read_text().strip() if PART_FILE.exists() else "web"
    if part == "web":
        return 0 if web_healthy() else 1
    if part == "worker":
        return 0 if worker_healthy() else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
