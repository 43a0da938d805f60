"""The map layer: every relation with two located places as a GeoJSON line, every place on
them as a point (`relations_geojson`), and its serialised bytes cached per registry version
(`relations_geojson_bytes`).

Example:
    >>> relations_geojson(session, RelationFilter(status="active"))["counts"]  # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import PlaceRow, RelationRow
from amity.registry.queries.filters import RelationFilter, as_filter, relation_conditions
from amity.registry.queries.version import registry_version


def compact(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in properties.items() if v is not None}


_GEOJSON_CACHE: dict[tuple[Any, ...], bytes] = {}
_GEOJSON_CACHE_SIZE = 16


def relations_geojson_bytes(
    session: Session, filters: RelationFilter | None = None, **fields: Any
) -> bytes:
    """`relations_geojson` serialised compactly (UTF-8 JSON), cached until the registry
    changes (`registry_version`): the full map layer is built once, then served from memory.

    Example:
        >>> relations_geojson_bytes(session)[:30]  # doctest: +SKIP
        b'{"type":"FeatureCollection","f'
    """
    import json

    filters = as_filter(filters, **fields)
    key = (str(session.get_bind().engine.url), registry_version(session), filters.key())
    body = _GEOJSON_CACHE.get(key)
    if body is None:
        data = relations_geojson(session, filters)
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(_GEOJSON_CACHE) >= _GEOJSON_CACHE_SIZE:
            _GEOJSON_CACHE.pop(next(iter(_GEOJSON_CACHE)))
        _GEOJSON_CACHE[key] = body
    return body


def relations_geojson(
    session: Session, filters: RelationFilter | None = None, **fields: Any
) -> dict[str, Any]:
    """The map layer: a GeoJSON FeatureCollection of Point features (places with
    coordinates: id, name, country, partner count `n`) followed by LineString features
    (relations whose two places have coordinates: id, place ids `a`/`b`, status `s`, tier
    `t`, established `e`, review `r`). Coordinates are rounded to 3 decimals and property
    names are short: 26k relations come to about 3 MB (about 0.6 MB gzipped).

    :param filters: a RelationFilter (or its fields as keywords), as `list_relations` takes.

    Example:
        >>> relations_geojson(session, status="active")["features"][0]["geometry"]  # doctest: +SKIP
    """
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    where = relation_conditions(session, as_filter(filters, **fields))
    rows = session.execute(
        select(
            RelationRow.id,
            RelationRow.status,
            RelationRow.tier,
            RelationRow.established,
            RelationRow.review,
            a.id,
            a.lon,
            a.lat,
            b.id,
            b.lon,
            b.lat,
        )
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .where(
            *where, a.lat.is_not(None), a.lon.is_not(None), b.lat.is_not(None), b.lon.is_not(None)
        )
        .order_by(RelationRow.id)
    ).all()
    degree: dict[int, int] = defaultdict(int)
    lines = []
    for rid, status, tier, est, review, a_id, a_lon, a_lat, b_id, b_lon, b_lat in rows:
        degree[a_id] += 1
        degree[b_id] += 1
        lines.append(
            {
                "type": "Feature",
                "id": rid,
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(a_lon, 3), round(a_lat, 3)],
                        [round(b_lon, 3), round(b_lat, 3)],
                    ],
                },
                "properties": compact(
                    {"a": a_id, "b": b_id, "s": status, "t": tier, "e": est, "r": review}
                ),
            }
        )
    points = []
    ids = list(degree)
    for chunk in range(0, len(ids), 5000):
        for place in session.execute(
            select(PlaceRow.id, PlaceRow.name, PlaceRow.country, PlaceRow.lon, PlaceRow.lat).where(
                PlaceRow.id.in_(ids[chunk : chunk + 5000])
            )
        ):
            points.append(
                {
                    "type": "Feature",
                    "id": place.id,
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(place.lon, 3), round(place.lat, 3)],
                    },
                    "properties": {"name": place.name, "c": place.country, "n": degree[place.id]},
                }
            )
    points.sort(key=lambda f: f["id"])
    return {
        "type": "FeatureCollection",
        "features": points + lines,
        "counts": {"places": len(points), "relations": len(lines)},
    }
