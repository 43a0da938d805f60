"""The map's data layer, compact: every relation whose two places have coordinates and every
place on them, as columns of plain numbers and strings (`map_layer`), serialised and gzipped
once per registry version and filter (`cached_layer`).

Why not /api/relations.geojson: a GeoJSON Feature per relation repeats both ends'
coordinates and the keys of every property, 6.5 MB for 26k relations, and a second request
(`source=news`) was needed to know which lines are in the news. Here a line is its two place
ids, so the same layer is about a fifth of that, parses in a fraction of the time, and says
in one response which relations have news events, how many relations touch each country
(the filter's list) and how big each place is (GeoNames population, for labels).

    {"places": {"id": [...], "name": [...], "c": [...], "lon": [...], "lat": [...],
                "n": [...], "pop": [...]},
     "lines": {"id": [...], "a": [...], "b": [...], "s": [...], "t": [...], "e": [...],
               "r": [...]},
     "news": [relation ids with a news event],
     "codes": {"s": [statuses], "t": [tiers], "r": [review verdicts]},
     "countries": {"DE": 4483, ...}, "counts": {"places": ..., "relations": ..., "news": ...}}

`s`, `t` and `r` are indexes into `codes` (null: none); `n` is the number of partners in
this result; `pop` the GeoNames population (0: unknown; regions count a tenth, as in the
gazetteer's ranking).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from amity.registry.models import EventRow, PlaceRow, RelationRow
from amity.registry.queries import RelationFilter, relation_conditions
from amity.registry.queries.version import registry_version
from amity.types import RELATION_STATUSES, REVIEW_VERDICTS, TIERS

REGION_WEIGHT = 0.1  # a region's population is the sum of its cities (gazetteer.index)
_CHUNK = 5000  # ids per IN (...) list


def map_layer(session: Session, filters: RelationFilter | None = None) -> dict[str, Any]:
    """The compact layer (module doc) of the relations `filters` selects."""
    a, b = aliased(PlaceRow, name="a"), aliased(PlaceRow, name="b")
    where = relation_conditions(session, filters) if filters else []
    rows = session.execute(
        select(
            RelationRow.id,
            RelationRow.place_a_id,
            RelationRow.place_b_id,
            RelationRow.status,
            RelationRow.tier,
            RelationRow.established,
            RelationRow.review,
        )
        .join(a, RelationRow.place_a_id == a.id)
        .join(b, RelationRow.place_b_id == b.id)
        .where(*where, a.lat.is_not(None), a.lon.is_not(None))
        .where(b.lat.is_not(None), b.lon.is_not(None))
        .order_by(RelationRow.id)
    ).all()
    codes = {"s": list(RELATION_STATUSES), "t": list(TIERS), "r": list(REVIEW_VERDICTS)}
    index = {key: {value: i for i, value in enumerate(values)} for key, values in codes.items()}
    columns = list(zip(*rows, strict=True)) if rows else [()] * 7
    rid, a_ids, b_ids, status, tier, established, review = (list(c) for c in columns)
    lines: dict[str, list[Any]] = {
        "id": rid,
        "a": a_ids,
        "b": b_ids,
        "s": [index["s"].get(v) for v in status],
        "t": [index["t"].get(v) if v else None for v in tier],
        "e": established,
        "r": [index["r"].get(v) if v else None for v in review],
    }
    degree: Counter[int] = Counter(a_ids)
    degree.update(b_ids)
    ids = sorted(degree)
    places: dict[str, list[Any]] = {key: [] for key in ("id", "name", "c", "lon", "lat", "n")}
    geonameids: list[int | None] = []
    country_of: dict[int, str | None] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.execute(
            select(
                PlaceRow.id,
                PlaceRow.name,
                PlaceRow.country,
                PlaceRow.lon,
                PlaceRow.lat,
                PlaceRow.geonameid,
            )
            .where(PlaceRow.id.in_(chunk))
            .order_by(PlaceRow.id)
        ):
            places["id"].append(row.id)
            places["name"].append(row.name)
            places["c"].append(row.country)
            places["lon"].append(round(row.lon, 3))
            places["lat"].append(round(row.lat, 3))
            places["n"].append(degree[row.id])
            geonameids.append(row.geonameid)
            country_of[row.id] = row.country
    known = populations([g for g in geonameids if g is not None])
    places["pop"] = [known.get(g, 0) if g is not None else 0 for g in geonameids]
    countries: dict[str, int] = defaultdict(int)
    for a_id, b_id in zip(lines["a"], lines["b"], strict=True):
        for code in {country_of[a_id], country_of[b_id]}:
            if code:
                countries[code] += 1
    news = _news_ids(session, lines["id"])
    return {
        "places": places,
        "lines": lines,
        "news": news,
        "codes": codes,
        "countries": dict(sorted(countries.items())),
        "counts": {"places": len(ids), "relations": len(rows), "news": len(news)},
    }


def _news_ids(session: Session, relation_ids: list[int]) -> list[int]:
    """The relations among `relation_ids` with at least one news event."""
    with_events = set(session.scalars(select(EventRow.relation_id).distinct()))
    return [rid for rid in relation_ids if rid in with_events]


def populations(geonameids: list[int]) -> dict[int, int]:
    """GeoNames population by geonameid, from the gazetteer's index file when it has been
    built (never built here: a server without it labels places by partner count alone)."""
    try:
        from amity.gazetteer.index import cache_path, load_gazetteer

        # the index this process already opened, else the one its data files name
        loaded = load_gazetteer.cache_info().currsize > 0
        path = load_gazetteer().path if loaded else cache_path()
    except Exception:  # noqa: BLE001 - no gazetteer data: no populations
        return {}
    if not path.exists() or not geonameids:
        return {}
    found: dict[int, int] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for start in range(0, len(geonameids), _CHUNK):
            chunk = geonameids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for geonameid, population, kind in db.execute(
                f"SELECT geonameid, population, kind FROM places WHERE geonameid IN ({marks})",
                chunk,
            ):
                weight = 1.0 if kind == "city" else REGION_WEIGHT
                found[geonameid] = max(found.get(geonameid, 0), int((population or 0) * weight))
    return found


@dataclass(frozen=True)
class Layer:
    body: bytes  # UTF-8 JSON
    gzipped: bytes
    etag: str  # a strong ETag, quoted


_CACHE: OrderedDict[tuple[Any, ...], Layer] = OrderedDict()
_CACHE_SIZE = 16


def cached_layer(session: Session, filters: RelationFilter | None = None) -> Layer:
    """`map_layer` serialised and gzipped, kept until the registry changes
    (`registry_version`) for the 16 most recent filters."""
    filters = filters or RelationFilter()
    key = (str(session.get_bind().engine.url), registry_version(session), filters.key())
    layer = _CACHE.get(key)
    if layer is None:
        body = json.dumps(
            map_layer(session, filters), separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
        digest = hashlib.sha256(repr(key).encode() + body).hexdigest()[:20]
        layer = Layer(body, gzip.compress(body, compresslevel=6, mtime=0), f'"{digest}"')
        _CACHE[key] = layer
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return layer
