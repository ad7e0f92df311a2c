"""What the benchmarks share: their own PostgreSQL schema and a logged-in test client."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def schema_url(schema: str) -> str:
    """The database URL whose connections work in `schema` only."""
    return f"{BASE}?options=-csearch_path%3D{schema}"


def reset_schema(schema: str) -> None:
    """Drop and recreate a benchmark's schema (never the tests' or the app's)."""
    engine = sa.create_engine(BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def logged_in_client(app, email: str, password: str):
    """A Flask test client logged in as `email`."""
    client = app.test_client()
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})
    return client
