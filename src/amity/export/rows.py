"""Export rows: one per relation, both places in full, read in chunks (memory flat in the
number of relations).

Example:
    >>> for row in export_rows(session, RelationFilter(country="KR")):  # doctest: +SKIP
    ...     print(row["a"]["name"], row["b"]["name"], row["first_event"])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.registry.models import EventRow, RelationRow
from amity.registry.queries.filters import RelationFilter, ids_in, relation_conditions
from amity.registry.queries.relations import ordered, relation_items

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


def export_rows(
    session: Session, filters: RelationFilter | None = None, *, chunk: int = CHUNK
) -> Iterator[dict[str, Any]]:
    """Every relation matching `filters` (ordered by id): {"id", "a": {...}, "b": {...},
    "tier", "status", "established", "first_event", "last_event" (earliest and latest dated
    news event), "first_seen", "last_seen" (news publication dates), "events", "sources"};
    each place also carries its registry `id`."""
    where = relation_conditions(session, filters or RelationFilter())
    ids = list(session.scalars(ordered(select(RelationRow.id).where(*where), "id", False)))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        spans = {
            rid: (first, last)
            for rid, first, last in session.execute(
                select(
                    EventRow.relation_id, func.min(EventRow.sort_date), func.max(EventRow.sort_date)
                )
                .where(ids_in(session, part, EventRow.relation_id))
                .group_by(EventRow.relation_id)
            )
        }
        for item in relation_items(session, part):
            first, last = spans.get(item["id"], (None, None))
            yield {
                "id": item["id"],
                "a": {"id": item["a"]["id"], **{k: item["a"][k] for k in PLACE_FIELDS}},
                "b": {"id": item["b"]["id"], **{k: item["b"][k] for k in PLACE_FIELDS}},
                "tier": item["tier"],
                "status": item["status"],
                "established": item["established"],
                "first_event": first,
                "last_event": last,
                "first_seen": item["first_seen"],
                "last_seen": item["last_seen"],
                "events": item["events"],
                "sources": item["sources"],
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
