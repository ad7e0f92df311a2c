"""gunicorn's settings for every way Protokoll is run in production (image, systemd units).

Read from the environment, so that one file serves the image and a VM:
PROTOKOLL_BIND (default 0.0.0.0:8000), WEB_WORKERS (2) and WEB_THREADS (4) — two workers of
four threads per two cores, the figure measured in bench/results-busiest.md.
"""

import os

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
accesslog = "-"
# No query strings in the access log: search terms can be names (DESIGN: logs hold no personal data).
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
