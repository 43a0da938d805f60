"""The registry: one sourced, dated record per city pair, in SQLite or PostgreSQL.

    open_registry(url) -> Registry      engine + sessions, schema upgraded to the latest revision
    store.ingest(registry, articles)    pipeline -> article, place, relation, event rows
    reference.import_wikipedia_list / import_wikidata: registry rows joined to the same relations
    queries.show / relations / stats     read-only views used by the CLI (and later the API)

The database URL comes from the argument, else `AMITY_DATABASE_URL`, else `sqlite:///amity.db`
(a file in the current directory). PostgreSQL URLs use psycopg 3: `postgresql+psycopg://...`
(`postgresql://` is accepted and means the same).

Example:
    >>> from amity.registry import open_registry
    >>> registry = open_registry("sqlite:///:memory:")
    >>> with registry.session() as session:
    ...     pass
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///amity.db"
ENV_VAR = "AMITY_DATABASE_URL"
WRITE_LOCK_KEY = 0x616D697479  # "amity": the PostgreSQL advisory lock every writer takes

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "Registry",
    "database_url",
    "lock_for_writing",
    "now",
    "open_registry",
]


def now() -> dt.datetime:
    """The current UTC time, naive and to the second, as the registry stores timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def database_url(url: str | None = None) -> str:
    """The URL to use: `url`, else $AMITY_DATABASE_URL, else sqlite:///amity.db.

    `postgresql://` and `postgres://` become `postgresql+psycopg://` (psycopg 3)."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass
class Registry:
    """An open registry: an Engine, a session factory and the URL (password hidden in repr)."""

    engine: Engine
    sessionmaker: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session; the caller commits. Rolled back and closed on the way out."""
        with self.sessionmaker() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the ingest, crash-safe
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _postgresql_settings(dbapi_connection: Any, _record: Any) -> None:
    # The registry is small enough to stay in memory, where an index look-up costs about
    # what a sequential read does: with the default random_page_cost (4, for spinning
    # disks) the planner scans all of `relation` instead of OR-ing two index look-ups,
    # 3-5x slower for the API's place and country filters. A server or database where
    # someone tuned the value keeps theirs.
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT setting, source FROM pg_settings WHERE name = 'random_page_cost'")
    row = cursor.fetchone()
    if row is not None and row[1] == "default":
        cursor.execute("SET random_page_cost = 1.1")
    cursor.close()
    dbapi_connection.commit()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_settings)
    return engine


def lock_for_writing(connection: Connection) -> None:
    """Take the registry's write lock for the rest of `connection`'s transaction.

    One writer at a time, on both backends: on SQLite the transaction becomes
    `BEGIN IMMEDIATE` (the database's write lock, waited for up to busy_timeout), on
    PostgreSQL it takes a transaction-scoped advisory lock. Readers are never blocked.
    Writers that hold it see everything committed before them, so "is this article
    stored?" asked under the lock has one answer, and two writers never deadlock over
    place and relation rows.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        dbapi_connection = connection.connection.dbapi_connection
        if not getattr(dbapi_connection, "in_transaction", True):  # else: already writing
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations shipped in amity/registry/migrations up to `revision`.

    Under the write lock: processes that open a new registry at the same time create the
    schema once (the others wait, then find it at the latest revision)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("amity.registry") / "migrations"))
    with engine.begin() as connection:
        lock_for_writing(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_registry(
    url: str | None = None, *, migrate: bool = True, **engine_kwargs: Any
) -> Registry:
    """Open (and create or upgrade to the latest schema) the registry at `url`.

    Example:
        >>> registry = open_registry("sqlite:///:memory:")
        >>> registry.dialect
        'sqlite'
    """
    engine = make_engine(url, **engine_kwargs)
    if migrate:
        upgrade(engine)
    return Registry(engine, sessionmaker(engine, expire_on_commit=False))
