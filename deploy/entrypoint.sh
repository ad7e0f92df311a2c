#!/bin/sh
# The image's one entrypoint: the first argument names the part to run.
#   web            gunicorn (deploy/gunicorn.conf.py), port 8000
#   worker         a Celery worker (as many as needed)
#   beat           the Celery beat (run one; a second stands by)
#   migrate        the schema to the release's head, the reference data, and — with
#                  PROTOKOLL_APP_ROLE set — the app role's GRANTs (run as the schema owner)
#   backup         one encrypted archive into BACKUP_DIR (default /var/lib/protokoll/backups)
#   create-admin   --email … --name …: the first admin, prints a temporary password
#   healthcheck    what the image's HEALTHCHECK runs
#   flask …        any other command (restore, audit verify, version, outbox-resend, …)
# Settings come from the environment; every secret may come from a file instead
# (SECRET_KEY_FILE, DATABASE_URL_FILE, REDIS_URL_FILE, SMTP_PASSWORD_FILE, …; see config.py).
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$role" in web|worker|beat) echo "$role" > /tmp/protokoll-part ;; esac

case "$role" in
  web)
    exec gunicorn --config /opt/protokoll/app/deploy/gunicorn.conf.py "$@" wsgi:app ;;
  worker)
    # No gossip or mingle: nothing here uses them, and their restarts are where kombu#582 struck.
    exec celery -A celery_worker worker --without-gossip --without-mingle --loglevel="${LOG_LEVEL:-INFO}" "$@" ;;
  beat)
    exec celery -A celery_worker beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule /tmp/celerybeat-schedule "$@" ;;
  migrate)
    flask db upgrade
    flask seed-reference
    if [ -n "${PROTOKOLL_APP_ROLE:-}" ]; then
      flask grants --role "$PROTOKOLL_APP_ROLE" --apply
    fi ;;
  backup)
    # Into BACKUP_DIR, encrypted for BACKUP_RECIPIENTS, older than BACKUP_KEEP_DAYS removed.
    exec flask backup "$@" ;;
  create-admin)
    exec flask create-admin "$@" ;;
  healthcheck)
    exec python3 -m protocol_app.healthcheck "$@" ;;
  flask)
    exec flask "$@" ;;
  version)
    exec python3 -c 'from protocol_app.version import __version__; print(__version__)' ;;
  *)
    echo "unknown part '$role': web, worker, beat, migrate, backup, create-admin, healthcheck, flask …" >&2
    exit 64 ;;
esac
