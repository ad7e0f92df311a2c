"""gunicorn's settings for every way Protokoll is run in production (image, systemd units).

Read from the environment, so that one file serves the image and a VM:
PROTOKOLL_BIND (default 0.0.0.0:8000), WEB_WORKERS (2) and WEB_THREADS (4) — two workers of
four threads per two cores, the figure measured in bench/results-busiest.md.
"""

import os
import shutil
import tempfile

bind = os.environ.get("PROTOKOLL_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# The proxy keeps its connections to the app open; they must outlive its idle timeout.
keepalive = 30
# A request never takes this long (the slowest page is well under a second); a worker stuck
# longer is replaced.
timeout = 60
# What the proxy's drain gives a host before it stops (deploy/haproxy/haproxy.cfg).
graceful_timeout = 30
# Every gunicorn of one user otherwise shares ~/.gunicorn/gunicorn.ctl, and the last to stop
# deletes it under the others; nobody here manages gunicorn through that socket.
control_socket_disable = True
# No access log of gunicorn's: the app writes one JSON line per request (protocol_app/core/logs.py)
# with its endpoint, status, duration and request id — no path (reply links carry tokens), no
# query (searches carry names), no client address.
accesslog = None
# gunicorn's own lines (start, workers, timeouts) as JSON too, one format for the whole log.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {
        "()": "pythonjsonlogger.json.JsonFormatter", "fmt": "{asctime}{levelname}{name}{message}", "style": "{",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        "datefmt": "%Y-%m-%dT%H:%M:%S%z"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
    # The app gives the root logger its own JSON handler when it starts (protocol_app/core/logs.py).
    "root": {"level": "INFO", "handlers": []},
}

# Metrics of every worker in one folder (prometheus_client's multiprocess mode; /metrics adds them
# up), made empty when gunicorn starts: counts of workers long gone would otherwise be summed.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"protokoll-metrics-{os.getpid()}"))


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, mode=0o700)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
