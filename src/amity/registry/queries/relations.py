"""Relation lists: one page for the API (`list_relations`), every match for the CLI and
exports (`relations`), one relation (`get_relation`). All take a `RelationFilter`.

Example:
    >>> from amity.registry.queries import RelationFilter, list_relations, relations
    >>> page = list_relations(session, RelationFilter(country="CN"), sort="-established")  # doctest: +SKIP
    >>> rows = relations(session, RelationFilter(country="CN"))  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import EventRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.queries.common import iso, sources_list
from amity.registry.queries.filters import RelationFilter, as_filter, ids_in, relation_conditions
from amity.registry.queries.version import registry_version
from amity.types import REFERENCE_SOURCES, RELATION_SORTS

# the flat rows of `relations` (the CLI's jsonl and csv columns)
RELATION_COLUMNS = (
    "id",
    "a",
    "a_country",
    "b",
    "b_country",
    "tier",
    "status",
    "established",
    "established_conflict",
    "first_seen",
    "last_seen",
    "last_event",
    "events",
    "sources",
)
RELATIONS_MAX_LIMIT = 500
# a page of up to SORT_FEW matches is sorted by the database; more, and it is read off the
# registry's whole order for that sort (`_order_of`, built once per registry version)
SORT_FEW = 2_000
_ORDERS_KEPT = 24
_CHUNK = 5000


def list_relations(
    session: Session,
    filters: RelationFilter | None = None,
    *,
    sort: str = "a",
    limit: int = 50,
    offset: int = 0,
    **fields: Any,
) -> dict[str, Any]:
    """One page of relations: {"total", "limit", "offset", "items": [...]}; each item has
    both places (as dicts), tier, status, dates, event count, sources and review verdict.

    :param filters: a RelationFilter (or its fields as keywords: country="CN", ...).
    :param sort: a key of RELATION_SORTS, "-" first for descending ("-established").
    :param limit: page size, at most RELATIONS_MAX_LIMIT.

    Example:
        >>> list_relations(session, country="CN", year_from=1990, sort="-established")  # doctest: +SKIP
    """
    filters = as_filter(filters, **fields)
    key, descending = _sort_key(sort)
    limit = max(1, min(int(limit), RELATIONS_MAX_LIMIT))
    offset = max(0, int(offset))
    where = relation_conditions(session, filters)
    if not where:  # every relation: a slice of the whole order
        order = _order_of(session, key, descending)
        total, ids = len(order), list(order[offset : offset + limit])
    else:
        total = _count(session, filters, where)
        if total <= SORT_FEW:  # few matches: the database sorts them
            page = ordered(select(RelationRow.id).where(*where), key, descending)
            ids = list(session.scalars(page.limit(limit).offset(offset))) if total else []
        else:  # many: walk the whole order, asking which of the next ids match
            order = _order_of(session, key, descending)
            ids = _page_of(session, order, where, total, offset, limit)
    return {"total": total, "limit": limit, "offset": offset, "items": relation_items(session, ids)}


def relations(
    session: Session,
    filters: RelationFilter | None = None,
    *,
    sort: str = "a",
    limit: int | None = None,
    since: int | None = None,
    **fields: Any,
) -> list[dict[str, Any]]:
    """Every relation matching `filters` (in `sort` order, as `list_relations` pages them),
    as flat rows (keys: RELATION_COLUMNS): the CLI's and exports' view.

    :param since: a year: the same as `year_from` (`amity relations --since`).
    :param limit: at most this many rows.

    Example:
        >>> relations(session, country="CN", since=2020, status="active")  # doctest: +SKIP
    """
    if since is not None:
        fields["year_from"] = since
    return [
        flat_row(item)
        for item in iter_relations(session, as_filter(filters, **fields), sort=sort, limit=limit)
    ]


def iter_relations(
    session: Session, filters: RelationFilter, *, sort: str = "a", limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """Every matching relation as a `list_relations` item, read in chunks."""
    key, descending = _sort_key(sort)
    where = relation_conditions(session, filters)
    page = ordered(select(RelationRow.id).where(*where), key, descending)
    if limit is not None:
        page = page.limit(max(0, limit))
    ids = list(session.scalars(page))
    for start in range(0, len(ids), _CHUNK):
        yield from relation_items(session, ids[start : start + _CHUNK])


def flat_row(item: dict[str, Any]) -> dict[str, Any]:
    """A `list_relations` item as a flat row (place names and countries side by side)."""
    a, b = item["a"], item["b"]
    row = {key: item.get(key) for key in RELATION_COLUMNS}
    row.update(a=a["name"], a_country=a["country"], b=b["name"], b_country=b["country"])
    return row


_PLACE_COLUMNS = ("id", "name", "country", "admin1", "geonameid", "lat", "lon", "kind", "parent")
# built once: constructing aliases and correlated subqueries costs more than running them
_A, _B = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
_EVENTS = (
    select(func.count(EventRow.id))
    .where(EventRow.relation_id == RelationRow.id)
    .correlate(RelationRow)
    .scalar_subquery()
)
_IN_SOURCE = {
    source: select(ReferenceRow.id)
    .where(ReferenceRow.relation_id == RelationRow.id, ReferenceRow.source == source)
    .correlate(RelationRow)
    .exists()
    for source in REFERENCE_SOURCES
}
_ITEM_COLUMNS = (
    RelationRow.id,
    RelationRow.tier,
    RelationRow.status,
    RelationRow.established,
    RelationRow.established_conflict,
    RelationRow.first_seen,
    RelationRow.last_seen,
    RelationRow.last_event,
    RelationRow.review,
    _EVENTS,
    *_IN_SOURCE.values(),
    *(getattr(_A, c) for c in _PLACE_COLUMNS),
    *(getattr(_B, c) for c in _PLACE_COLUMNS),
)


def relation_items(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The relations with these ids, in this order, as `list_relations` items: one query
    (the event count and the registries per relation are index look-ups in it), plain
    columns, no ORM objects."""
    if not ids:
        return []
    rows = session.execute(
        select(*_ITEM_COLUMNS)
        .join(_A, RelationRow.place_a_id == _A.id)
        .join(_B, RelationRow.place_b_id == _B.id)
        .where(ids_in(session, ids))
    ).all()
    fixed, width = 10 + len(_IN_SOURCE), len(_PLACE_COLUMNS)
    found = {}
    for row in rows:
        rid, tier, status, established, conflict, first_seen, last_seen, last_event = row[:8]
        review, n_events = row[8], row[9]
        registries = [source for source, has in zip(_IN_SOURCE, row[10:fixed], strict=True) if has]
        found[rid] = {
            "id": rid,
            "a": dict(zip(_PLACE_COLUMNS, row[fixed : fixed + width], strict=True)),
            "b": dict(zip(_PLACE_COLUMNS, row[fixed + width :], strict=True)),
            "tier": tier,
            "status": status,
            "established": established,
            "established_conflict": conflict,
            "first_seen": iso(first_seen),
            "last_seen": iso(last_seen),
            "last_event": last_event,
            "events": n_events,
            "sources": sources_list(n_events > 0, registries),
            "review": review,
        }
    return [found[i] for i in ids if i in found]


def get_relation(session: Session, relation_id: int) -> dict[str, Any] | None:
    """One relation as seen from its first place (a partner entry of `get_place`), plus
    both places; None when there is none."""
    from amity.registry.queries.places import _PLACE, _RELATION, partner_views

    row = session.execute(
        select(
            *_RELATION,
            *(getattr(_B, c) for c in _PLACE_COLUMNS),
            *(getattr(_A, c) for c in _PLACE_COLUMNS),
        )
        .join(_A, RelationRow.place_a_id == _A.id)
        .join(_B, RelationRow.place_b_id == _B.id)
        .where(RelationRow.id == relation_id)
    ).first()
    if row is None:
        return None
    width = len(_RELATION) + len(_PLACE)
    view = partner_views(session, [row[:width]])[0]
    view["a"] = dict(zip(_PLACE_COLUMNS, row[width:], strict=True))
    view["b"] = view.pop("partner")
    return view


def _sort_key(sort: str) -> tuple[str, bool]:
    key = sort.lstrip("-")
    if key not in RELATION_SORTS:
        raise ValueError(f"sort must be one of {', '.join(RELATION_SORTS)} (prefix - to reverse)")
    return key, sort.startswith("-")


def ordered(page: Any, key: str, descending: bool) -> Any:
    """`page` (a select of relation ids) joined to the places when sorting by name, ordered
    by `key`, ties by the other name and the id; unknown years last, both ways."""
    a, b = _A, _B
    if key in ("a", "b"):
        page = page.join(a, RelationRow.place_a_id == a.id).join(b, RelationRow.place_b_id == b.id)
    column = {
        "a": a.name,
        "b": b.name,
        "established": RelationRow.established,
        "last_event": RelationRow.last_event,
        "status": RelationRow.status,
        "id": RelationRow.id,
    }[key]
    ordering = [column.desc() if descending else column.asc()]
    if key in ("established", "last_event"):
        ordering.insert(0, column.is_(None))
    if key == "a":
        ordering.append(b.name.desc() if descending else b.name.asc())
    ordering.append(RelationRow.id)
    return page.order_by(*ordering)


_ORDERS: OrderedDict[tuple[Any, ...], array] = OrderedDict()
_ORDERS_LOCK = threading.Lock()


def _order_of(session: Session, key: str, descending: bool) -> array:
    """Every relation id in the order of `key`, as the database sorts them (its collation),
    kept for the registry version: one sort of the whole table per version and key, instead
    of one per request."""
    cache_key = (str(session.get_bind().engine.url), registry_version(session), key, descending)
    order = _ORDERS.get(cache_key)
    if order is None:
        order = array("q", session.scalars(ordered(select(RelationRow.id), key, descending)))
        with _ORDERS_LOCK:
            _ORDERS[cache_key] = order
            while len(_ORDERS) > _ORDERS_KEPT:
                _ORDERS.popitem(last=False)
    return order


_COUNTS: OrderedDict[tuple[Any, ...], int] = OrderedDict()
_COUNTS_KEPT = 4096


def _count(session: Session, filters: RelationFilter, where: list[Any]) -> int:
    """How many relations `where` selects, kept per registry version and filter: the broad
    filters (a status, a tier, a source) count most of the registry, tens of milliseconds
    each, and are few, so one count serves every sort and page of them."""
    key = (str(session.get_bind().engine.url), registry_version(session), filters.key())
    total = _COUNTS.get(key)
    if total is None:
        total = session.scalar(select(func.count()).select_from(RelationRow).where(*where)) or 0
        with _ORDERS_LOCK:
            _COUNTS[key] = total
            while len(_COUNTS) > _COUNTS_KEPT:
                _COUNTS.popitem(last=False)
    return total


def _page_of(
    session: Session, order: array, where: list[Any], total: int, offset: int, limit: int
) -> list[int]:
    """Matches `offset` to `offset + limit` in `order`: the next ids of the order are tested
    against `where` in chunks sized by the share of relations that match (one or two
    primary-key look-ups for a first page), instead of sorting every match."""
    density = max(total / max(len(order), 1), 1e-4)
    found: list[int] = []
    position, wanted = 0, offset + limit
    while position < len(order) and len(found) < wanted:
        size = min(max(int((wanted - len(found)) / density * 1.25) + 20, 100), _CHUNK)
        chunk = order[position : position + size].tolist()
        position += size
        hits = set(session.scalars(select(RelationRow.id).where(ids_in(session, chunk), *where)))
        found.extend(i for i in chunk if i in hits)
    return found[offset:wanted]
