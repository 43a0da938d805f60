"""`registry_version`: a stamp that changes whenever the registry does, to invalidate cached
views (the map layer here, every API response in amity.api.caching).

Rows are only added (relations, places, names, events, references, reviews) or, for
articles retried after a failure, deleted and added again; a relation's status, tier or
established year changes only with a new event, reference or review row. So the highest
id of each table moves on every write, and reading them is one index look-up each.

Example:
    >>> registry_version(session)  # doctest: +SKIP
    (24266, 25990, 12, 25917, None, 1203)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from amity.registry.models import (
    ArticleRow,
    EventRow,
    PlaceNameRow,
    PlaceRow,
    ReferenceRow,
    RelationRow,
    ReviewRow,
)

_TABLES = (RelationRow, PlaceRow, PlaceNameRow, EventRow, ReferenceRow, ReviewRow, ArticleRow)
_STAMP = select(*(select(func.max(table.id)).scalar_subquery() for table in _TABLES))


def registry_version(session: Session) -> tuple[Any, ...]:
    """The highest id of every table a view reads: changes on every write.

    Read once per session until it writes (a flush), commits or rolls back: one request
    asks for it up to three times (partner counts, a sort order, the name index), and on
    PostgreSQL each ask was a round trip."""
    version = session.info.get(_KEY)
    if version is None:
        version = session.info[_KEY] = tuple(session.execute(_STAMP).one())
    return version


def table_version(session: Session, table: Any) -> Any:
    """The highest id of one of the tables registry_version reads (from the same read)."""
    return registry_version(session)[_TABLES.index(table)]


_KEY = "amity.registry_version"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_version(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)
