"""Request dependencies: a registry session per request.

Two things make a read cheaper, measured under benchmarks/load.py:

- The dependency is async: opening a Session does no I/O (it connects on its first query,
  in the route's worker thread), so it need not run in a thread of its own; a sync
  generator dependency cost two more thread hand-overs per request, on entry and exit.
- On PostgreSQL, GET and HEAD requests read in autocommit mode: no BEGIN before the first
  query and no ROLLBACK after the last, two round trips fewer. Under PostgreSQL's default
  READ COMMITTED each statement sees its own snapshot anyway, so the answers are the same.
  Writes (POST) keep a transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

READ_METHODS = ("GET", "HEAD")


def read_sessionmaker(registry: Any) -> sessionmaker[Session] | None:
    """Sessions in autocommit mode over `registry`'s pool, for reads (PostgreSQL only: on
    SQLite the driver starts no transaction for a SELECT)."""
    if registry.engine.dialect.name != "postgresql":
        return None
    return sessionmaker(bind=registry.engine.execution_options(isolation_level="AUTOCOMMIT"))


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session on the app's registry, closed after the response."""
    state = request.app.state
    reads = getattr(state, "read_sessions", None)
    reading = reads is not None and request.method in READ_METHODS
    session = reads() if reading else state.registry.sessionmaker()
    try:
        yield session
    finally:
        if reading or session.get_bind().dialect.name == "sqlite":
            session.close()  # no round trip: nothing to roll back
        else:
            await run_in_threadpool(session.close)  # a ROLLBACK on the server
