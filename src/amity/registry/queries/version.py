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

from sqlalchemy import func, select
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
    """The highest id of every table a view reads: changes on every write."""
    return tuple(session.execute(_STAMP).one())
