"""One SQLAlchemy engine per database URL, built lazily from configuration.

URL order: the ``DATABASE_URL`` environment variable, then ``[connections.sql] url`` in
``.streamlit/secrets.toml``, then the embedded SQLite file ``data/campaign.db`` (WAL mode,
foreign keys on). The schema is created on first use.
"""

from __future__ import annotations

import os
import threading
import tomllib
from pathlib import Path

from sqlalchemy import Column, Engine, String, create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateColumn

from lib.data.contract import MAX_CODE_LENGTH
from lib.data.schema import meta, metadata

ROOT = Path(__file__).resolve().parents[2]  # lib/data/engine.py -> the repository
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "campaign.db"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url(explicit: str | None = None) -> str:
    """Return the database URL to use: explicit, environment, secrets file, or embedded default."""
    if explicit:
        return normalise_url(explicit)
    if os.environ.get("DATABASE_URL"):
        return normalise_url(os.environ["DATABASE_URL"])
    if SECRETS_FILE.exists():
        with SECRETS_FILE.open("rb") as fh:
            url = tomllib.load(fh).get("connections", {}).get("sql", {}).get("url")
        if url:
            return normalise_url(url)
    return f"sqlite:///{DEFAULT_DB}"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def get_engine(url: str | None = None) -> Engine:
    """Return the shared engine for ``url`` (resolved as in ``database_url``), creating the schema once."""
    resolved = database_url(url)
    with _lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = _build_engine(resolved)
            metadata.create_all(engine)
            add_missing_columns(engine)
            if engine.dialect.name == "postgresql":
                widen_code_columns(engine)
            _engines[resolved] = engine
    return engine


def widen_code_columns(engine: Engine) -> list[str]:
    """Widen code columns a database created before MAX_CODE_LENGTH still has shorter
    (varchar(32) in PostgreSQL; SQLite does not enforce lengths). Widening a varchar is a
    catalogue change, no table rewrite. Returns the columns widened ("table.column")."""
    wanted = {(t.name, c.name) for t in metadata.sorted_tables for c in t.columns
              if isinstance(c.type, String) and c.type.length == MAX_CODE_LENGTH}
    with engine.begin() as conn:
        rows = conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'character varying' "
            "AND character_maximum_length < :n"), {"n": MAX_CODE_LENGTH}).all()
        short = sorted((t, c) for t, c in rows if (t, c) in wanted)
        for table, column in short:
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" '
                                 f"TYPE varchar({MAX_CODE_LENGTH})")
    return [f"{t}.{c}" for t, c in short]


def add_missing_columns(engine: Engine) -> list[str]:
    """Add the nullable columns a database made by an older version lacks (``create_all`` adds
    tables, never a column to a table that exists). Idempotent, and safe when two processes
    start at once. Returns the columns added ("table.column")."""
    missing = _missing_columns(engine)
    stuck = [name for name in missing if not _column(name).nullable]
    if stuck:  # a NOT NULL column would need a value for every row already there
        raise RuntimeError("the database lacks required column(s) " + ", ".join(stuck)
                           + "; it was made by an incompatible version")
    guard = "IF NOT EXISTS " if engine.dialect.name == "postgresql" else ""
    for name in missing:
        column = _column(name)
        ddl = CreateColumn(column).compile(dialect=engine.dialect)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f'ALTER TABLE "{column.table.name}" ADD COLUMN {guard}{ddl}')
        except DBAPIError:
            # SQLite has no IF NOT EXISTS here: another process may just have added it.
            if name in _missing_columns(engine):
                raise
    return missing


def _missing_columns(engine: Engine) -> list[str]:
    """Every schema column ("table.column") absent from its table in the database."""
    # One catalogue query for every table on PostgreSQL (not one per table).
    found = inspect(engine).get_multi_columns(filter_names=list(metadata.tables))
    present = {(table, c["name"]) for (_, table), cols in found.items() for c in cols}
    return [f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns
            if (t.name, c.name) not in present]


def _column(name: str) -> Column:
    """The schema's column for "table.column"."""
    table, column = name.split(".", 1)
    return metadata.tables[table].c[column]


def _build_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; issue it ourselves so a load is
        # one real transaction (the documented SQLAlchemy recipe).
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let the "begin" listener open transactions
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def dispose_engine(url: str | None = None) -> None:
    """Close and forget the engine for ``url`` (tests and the benchmark use this)."""
    resolved = database_url(url)
    with _lock:
        engine = _engines.pop(resolved, None)
    if engine is not None:
        engine.dispose()


def in_use(engine: Engine) -> bool:
    """Whether ``engine`` is still the shared engine of its database (not disposed)."""
    with _lock:
        return any(e is engine for e in _engines.values())


def is_postgres(conn: Connection | Engine) -> bool:
    """Say whether the connection talks to PostgreSQL."""
    return conn.dialect.name == "postgresql"


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    """Read one value from the meta table."""
    value = conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
    return default if value is None else value


def set_meta(conn: Connection, key: str, value: str) -> None:
    """Write one value to the meta table (insert or replace)."""
    updated = conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(meta.insert().values(key=key, value=value))


def data_version(engine: Engine) -> int:
    """Return the counter that every landed load increments (the cache key of all figures)."""
    with engine.connect() as conn:
        return int(get_meta(conn, "data_version", "0"))
