"""WSGI entry point: `gunicorn wsgi:app`."""

from protocol_app import create_app

app = create_app()
