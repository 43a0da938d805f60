"""Export rows: one per relation, both places in full, read by one query whose rows are
fetched a chunk at a time (a server-side cursor on PostgreSQL), so memory stays flat in the
number of relations.

Example:
    >>> for row in export_rows(session, RelationFilter(country="KR")):  # doctest: +SKIP
    ...     print(row["a"]["name"], row["b"]["name"], row["first_event"])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import EventRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.queries.common import iso
from amity.registry.queries.filters import RelationFilter, relation_conditions
from amity.types import REFERENCE_SOURCES

PLACE_FIELDS = ("geonameid", "name", "country", "admin1", "lat", "lon")
RELATION_FIELDS = (
    "id",
    "tier",
    "status",
    "established",
    "first_event",
    "last_event",
    "first_seen",
    "last_seen",
    "events",
    "sources",
)
CHUNK = 2000

_A, _B = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
_PLACE_COLUMNS = ("id", *PLACE_FIELDS)
# per relation: its news events (count, earliest and latest date) and the registries that
# list it, each grouped once and joined, where a correlated subquery would run per relation
_EVENTS = (
    select(
        EventRow.relation_id,
        func.count(EventRow.id).label("n"),
        func.min(EventRow.sort_date).label("first"),
        func.max(EventRow.sort_date).label("last"),
    )
    .group_by(EventRow.relation_id)
    .subquery("events")
)
_LISTED = (
    select(
        ReferenceRow.relation_id,
        *(
            func.max(case((ReferenceRow.source == source, 1), else_=0)).label(f"in_{n}")
            for n, source in enumerate(REFERENCE_SOURCES)
        ),
    )
    .group_by(ReferenceRow.relation_id)
    .subquery("listed")
)


def export_query(session: Session, filters: RelationFilter | None = None) -> Any:
    """The select behind `export_rows` (ordered by relation id)."""
    return (
        select(
            RelationRow.id,
            RelationRow.tier,
            RelationRow.status,
            RelationRow.established,
            RelationRow.first_seen,
            RelationRow.last_seen,
            func.coalesce(_EVENTS.c.n, 0),
            _EVENTS.c.first,
            _EVENTS.c.last,
            *(_LISTED.c[f"in_{n}"] for n in range(len(REFERENCE_SOURCES))),
            *(getattr(_A, c) for c in _PLACE_COLUMNS),
            *(getattr(_B, c) for c in _PLACE_COLUMNS),
        )
        .join(_A, RelationRow.place_a_id == _A.id)
        .join(_B, RelationRow.place_b_id == _B.id)
        .outerjoin(_EVENTS, _EVENTS.c.relation_id == RelationRow.id)
        .outerjoin(_LISTED, _LISTED.c.relation_id == RelationRow.id)
        .where(*relation_conditions(session, filters or RelationFilter()))
        .order_by(RelationRow.id)
    )


def export_rows(
    session: Session, filters: RelationFilter | None = None, *, chunk: int = CHUNK
) -> Iterator[dict[str, Any]]:
    """Every relation matching `filters` (ordered by id): {"id", "a": {...}, "b": {...},
    "tier", "status", "established", "first_event", "last_event" (earliest and latest dated
    news event), "first_seen", "last_seen" (news publication dates), "events", "sources"};
    each place also carries its registry `id`."""
    result = session.execute(export_query(session, filters), execution_options={"yield_per": chunk})
    listed_at = 9
    place_at = listed_at + len(REFERENCE_SOURCES)
    width = len(_PLACE_COLUMNS)
    for row in result:
        rid, tier, status, established, first_seen, last_seen, n_events, first, last = row[:9]
        sources = ["news"] if n_events else []
        sources += sorted(
            source
            for source, listed in zip(REFERENCE_SOURCES, row[listed_at:place_at], strict=True)
            if listed
        )
        yield {
            "id": rid,
            "a": dict(zip(_PLACE_COLUMNS, row[place_at : place_at + width], strict=True)),
            "b": dict(zip(_PLACE_COLUMNS, row[place_at + width :], strict=True)),
            "tier": tier,
            "status": status,
            "established": established,
            "first_event": first,
            "last_event": last,
            "first_seen": iso(first_seen),
            "last_seen": iso(last_seen),
            "events": n_events,
            "sources": sources,
        }


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """An export row with the places' fields side by side (a_name, b_lat, ...), sources
    joined by ";": the columns of CSV and Parquet (FLAT_COLUMNS)."""
    out: dict[str, Any] = {"id": row["id"]}
    for side in ("a", "b"):
        for key in ("id", *PLACE_FIELDS):
            out[f"{side}_{key}"] = row[side][key]
    for key in RELATION_FIELDS[1:]:
        out[key] = row[key]
    out["sources"] = ";".join(row["sources"])
    return out


FLAT_COLUMNS = (
    "id",
    *(f"{side}_{key}" for side in ("a", "b") for key in ("id", *PLACE_FIELDS)),
    *RELATION_FIELDS[1:],
)
