"""Celery entry point: `celery -A celery_worker worker` and `celery -A celery_worker beat`.

The Celery app is created by the Flask app factory, so every task runs inside
the Flask application context (see protocol_app/core/celery.py).
"""

from protocol_app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]

# Import task modules so the worker registers them.
from protocol_app.auth import tasks as _auth_tasks  # noqa: E402,F401
from protocol_app.core.audit import tasks as _audit_tasks  # noqa: E402,F401
from protocol_app.core.notifications import tasks as _notification_tasks  # noqa: E402,F401
from protocol_app.core.reminders import tasks as _reminder_tasks  # noqa: E402,F401
from protocol_app.core.webhooks import tasks as _webhook_tasks  # noqa: E402,F401
