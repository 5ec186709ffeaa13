"""Shared fixtures: a fresh database per test, on SQLite and on the real PostgreSQL here."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.schema import CreateSchema, DropSchema

from lib.data.engine import dispose_engine, get_engine

PG_ADMIN_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_ADMIN_URL)
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """URL of an empty database of each backend: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        yield url
        dispose_engine(url)
        return
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at " + PG_ADMIN_URL)
        pytest.skip("PostgreSQL not reachable")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(CreateSchema(schema))
    url = f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.connect() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def engine(db_url):
    """An engine on a fresh database of each backend, schema created."""
    return get_engine(db_url)


@pytest.fixture(autouse=True)
def _errors_raise(monkeypatch):
    """AppTests see a page's exception (the frame otherwise shows a one-line message)."""
    monkeypatch.setenv("PVVNL_RAISE_ERRORS", "1")


@pytest.fixture(autouse=True)
def _no_first_view_thread(monkeypatch):
    """No dashboard thread builds figures behind a test's back (tests/test_first_view.py turns
    it on where it is the subject)."""
    monkeypatch.setenv("DASHBOARD_FIRST_VIEW_SECONDS", "0")
