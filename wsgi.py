"""WSGI entry point: `gunicorn wsgi:app`."""

from editorial import create_app

app = create_app()
