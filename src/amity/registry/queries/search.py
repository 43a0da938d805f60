"""Search places by any name, and their relations (`search`).

A query is looked up under every form `names.search_keys` gives it (as written, in Latin
letters, St/Saint swapped), among:

1. the names the registry saw each place under (place_name), kept in memory sorted, so a
   prefix is one bisection; names resembling the query (rapidfuzz) come after, scored lower;
2. the GeoNames alternate names of the registry's resolved places (exonyms and other
   spellings: München, Moskva, Peking, Bombay, Urusan), read from the gazetteer index that
   amity.gazetteer builds (Latin-script names; other scripts match once transliterated:
   Москва -> moskva, 울산 -> ulsan, ウルサン -> urusan).

Example:
    >>> search(session, "ulsa")["places"][0]["name"]  # doctest: +SKIP
    'Ulsan'
"""

from __future__ import annotations

import re
import sqlite3
import threading
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from amity.registry.models import PlaceNameRow, PlaceRow, RelationRow
from amity.registry.queries.common import degrees, place_dict
from amity.registry.queries.filters import RelationFilter, relation_conditions
from amity.registry.queries.names import search_keys
from amity.registry.queries.relations import ordered, relation_items
from amity.registry.queries.version import table_version

# scores (0-100): an exact registry name 100, a registry name starting with the query 95 down
# to 93, a GeoNames alternate name 97 (exact) or 91.9 down to 90.1 (prefix), fuzzy <= 90
EXACT, PREFIX, ALTERNATE, ALTERNATE_PREFIX, FUZZY_MAX = 100.0, 95.0, 97.0, 92.0, 90.0
PREFIX_PLACES = 200  # prefix matches read per key (the shortest names first)


def search(session: Session, query: str, *, limit: int = 10) -> dict[str, Any]:
    """Places called `query` (any name: as seen in the news, GeoNames alternates, other
    scripts) or whose names start with it or resemble it, most relevant and best connected
    first, and relations: those between the two sides of a query like "Changchun - Ulsan"
    (or "and", "/", "&"), else those of the best-matching place."""
    limit = max(1, min(limit, 50))
    sides = [s for s in re.split(r"\s+(?:-|–|—|/|&|and)\s+", query.strip(), maxsplit=1) if s]
    scored = search_places(session, sides[0] if len(sides) == 2 else query, limit, top_only=True)
    degree = degrees(session, [pid for pid, _, _ in scored])
    scored.sort(key=lambda t: (-t[1], -degree.get(t[0], 0), t[0]))
    scored = scored[:limit]
    rows = {
        p.id: p
        for p in session.scalars(select(PlaceRow).where(PlaceRow.id.in_([t[0] for t in scored])))
    }
    places = [
        {
            **place_dict(rows[pid]),
            "partners": degree.get(pid, 0),
            "score": round(score, 1),
            "match": how,
        }
        for pid, score, how in scored
        if pid in rows
    ]
    found: list[dict[str, Any]] = []
    if len(sides) == 2 and places:
        first = [p["id"] for p in places]
        others = [pid for pid, _, _ in search_places(session, sides[1], limit)]
        if others:
            rels = session.scalars(
                select(RelationRow)
                .where(
                    or_(
                        and_(RelationRow.place_a_id.in_(first), RelationRow.place_b_id.in_(others)),
                        and_(RelationRow.place_b_id.in_(first), RelationRow.place_a_id.in_(others)),
                    )
                )
                .limit(limit)
            ).all()
            found = [_relation_brief(r) for r in rels]
    elif places:  # the best place's relations, as /api/relations?place_id= lists them first
        where = relation_conditions(session, RelationFilter(place_id=places[0]["id"]))
        page = ordered(select(RelationRow.id).where(*where), "a", False).limit(limit)
        found = [
            {k: item[k] for k in ("id", "a", "b", "tier", "status", "established")}
            for item in relation_items(session, list(session.scalars(page)))
        ]
    return {"query": query, "places": places, "relations": found}


def search_places(
    session: Session, query: str, limit: int, *, top_only: bool = False
) -> list[tuple[int, float, str]]:
    """(place id, score 0-100, how: exact | prefix | alternate | fuzzy) for `query`.
    With `top_only` the caller keeps the `limit` best scores only: fuzzy matches (at most 90)
    never beat the others (above 90), so with `limit` of those they are skipped."""
    keys = search_keys(query)
    if not keys:
        return []
    index = _name_index(session)
    found: dict[int, tuple[float, str]] = {}

    def offer(place_id: int, score: float, how: str) -> None:
        if score > found.get(place_id, (0.0, ""))[0]:
            found[place_id] = (score, how)

    for key in keys:
        for name, place_ids in _prefixed(index, key):
            if name == key:
                score, how = EXACT, "exact"
            else:
                score, how = PREFIX - min(len(name) - len(key), 20) * 0.1, "prefix"
            for place_id in place_ids:
                offer(place_id, score, how)
    for place_id, exact, extra in _alternate_matches(session, keys):
        offer(
            place_id, ALTERNATE if exact else ALTERNATE_PREFIX - min(extra, 19) * 0.1, "alternate"
        )
    latin = next((k for k in keys if k.isascii()), None)
    if latin and len(latin) >= 3 and not (top_only and len(found) >= limit):
        for place_id, score in _fuzzy_matches(index, latin, limit * 3):
            if place_id not in found:
                found[place_id] = (min(score, FUZZY_MAX), "fuzzy")
    return [(pid, score, how) for pid, (score, how) in found.items()]


def _relation_brief(rel: RelationRow) -> dict[str, Any]:
    return {
        "id": rel.id,
        "a": place_dict(rel.place_a),
        "b": place_dict(rel.place_b),
        "tier": rel.tier,
        "status": rel.status,
        "established": rel.established,
    }


# --- the registry's own names, in memory --------------------------------------------------
# Every distinct place name, sorted (prefix matches by bisection) with the places seen under
# it, built once per generation of the place_name table (its highest id);
# fuzzy matches of a query are remembered for that generation too.


@dataclass
class _NameIndex:
    stamp: tuple[Any, ...]
    names: list[str]  # distinct search names, sorted (code point order)
    places: list[tuple[int, ...]]  # the place ids of each name
    # (first letter, length) -> indexes of the names starting with it, of that length
    by_letter: dict[tuple[str, int], list[int]]
    fuzzy: dict[str, list[tuple[int, float]]] = field(default_factory=dict)


_NAME_INDEX: dict[str, _NameIndex] = {}
_NAME_INDEX_LOCK = threading.Lock()
_FUZZY_CACHE_SIZE = 1024


def _name_index(session: Session) -> _NameIndex:
    stamp = (table_version(session, PlaceNameRow),)  # names are only ever added
    url = str(session.get_bind().engine.url)
    cached = _NAME_INDEX.get(url)
    if cached is None or cached.stamp != stamp:
        by_name: dict[str, set[int]] = defaultdict(set)
        for name, place_id in session.execute(
            select(PlaceNameRow.search_name, PlaceNameRow.place_id)
        ):
            by_name[name].add(place_id)
        names = sorted(by_name)
        by_letter: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, name in enumerate(names):
            by_letter[name[:1], len(name)].append(i)
        cached = _NameIndex(stamp, names, [tuple(sorted(by_name[n])) for n in names], by_letter)
        with _NAME_INDEX_LOCK:
            _NAME_INDEX[url] = cached
    return cached


def _prefixed(index: _NameIndex, key: str) -> list[tuple[str, tuple[int, ...]]]:
    """The names starting with `key` (one slice of the sorted list), shortest first, up to
    PREFIX_PLACES places and the rest of the last length (same score)."""
    start = bisect_left(index.names, key)
    end = bisect_left(index.names, key[:-1] + chr(ord(key[-1]) + 1), lo=start)
    found, seen, last_length = [], 0, 0
    for i in sorted(range(start, end), key=lambda i: len(index.names[i])):
        name = index.names[i]
        if seen >= PREFIX_PLACES and len(name) != last_length:
            break
        last_length = len(name)
        seen += len(index.places[i])
        found.append((name, index.places[i]))
    return found


def _fuzzy_matches(index: _NameIndex, needle: str, limit: int) -> list[tuple[int, float]]:
    """(place id, WRatio score) of the `limit` names most like `needle` (score >= 80),
    among the names that start with its first or second letter and are about as long: a
    misspelling keeps those ("Ulsna", "Chagchun", "aTrcal"), and scoring a tenth of the
    names keeps a search in milliseconds."""
    from rapidfuzz import fuzz, process

    key = f"{limit}\x00{needle}"
    found = index.fuzzy.get(key)
    if found is None:
        slack = max(2, len(needle) // 3)
        candidates = [
            i
            for letter in dict.fromkeys(needle[:2])
            for i in sorted(  # in name order, as ties of score are ranked
                i
                for length in range(len(needle) - slack, len(needle) + slack + 1)
                for i in index.by_letter.get((letter, length), ())
            )
        ]
        names = [index.names[i] for i in candidates]
        found = [
            (place_id, float(score))
            for _name, score, j in process.extract(
                needle, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=80
            )
            for place_id in index.places[candidates[j]]
        ]
        with _NAME_INDEX_LOCK:
            if len(index.fuzzy) >= _FUZZY_CACHE_SIZE:
                index.fuzzy.pop(next(iter(index.fuzzy)))
            index.fuzzy[key] = found
    return found


# --- GeoNames alternate names, from the gazetteer index --------------------------------------

_ALTERNATES_PER_KEY = 500
_gazetteer = threading.local()


def _alternate_matches(session: Session, keys: list[str]) -> list[tuple[int, bool, int]]:
    """(registry place id, exact?, letters past the key) of the resolved places that have a
    GeoNames name equal to, or starting with, one of `keys`."""
    from amity.gazetteer.names import normalize

    db = _gazetteer_db()
    if db is None:
        return []
    by_geonameid: dict[int, tuple[bool, int]] = {}
    for key in {normalize(k) for k in keys} - {""}:  # any script: 울산, ウルサン, Ульсан
        high = key[:-1] + chr(ord(key[-1]) + 1)
        rows = db.execute(
            "SELECT n.key, p.geonameid FROM names n JOIN places p ON p.id = n.place"
            " WHERE n.key >= ? AND n.key < ? AND p.geonameid IS NOT NULL LIMIT ?",
            (key, high, _ALTERNATES_PER_KEY),
        )
        for name, geonameid in rows:
            match = (name == key, len(name) - len(key))
            best = by_geonameid.get(geonameid)
            if best is None or (match[0], -match[1]) > (best[0], -best[1]):
                by_geonameid[geonameid] = match
    if not by_geonameid:
        return []
    places = _places_by_geonameid(session)
    return [
        (place_id, *match)
        for geonameid, match in by_geonameid.items()
        for place_id in places.get(geonameid, ())
    ]


_BY_GEONAMEID: dict[str, tuple[Any, dict[int, tuple[int, ...]]]] = {}


def _places_by_geonameid(session: Session) -> dict[int, tuple[int, ...]]:
    """The registry's place ids by geonameid, kept per generation of the place table (a
    query per search before)."""
    url, stamp = str(session.get_bind().engine.url), table_version(session, PlaceRow)
    cached = _BY_GEONAMEID.get(url)
    if cached is None or cached[0] != stamp:
        found: dict[int, list[int]] = defaultdict(list)
        for place_id, geonameid in session.execute(
            select(PlaceRow.id, PlaceRow.geonameid)
            .where(PlaceRow.geonameid.is_not(None))
            .order_by(PlaceRow.id)
        ):
            found[geonameid].append(place_id)
        cached = (stamp, {g: tuple(ids) for g, ids in found.items()})
        with _NAME_INDEX_LOCK:
            _BY_GEONAMEID[url] = cached
    return cached[1]


def _gazetteer_db() -> sqlite3.Connection | None:
    """A read-only connection (one per thread) to the gazetteer index, or None while it is
    not built: the first search on a new machine starts the build (about a minute) and
    searches without alternate names until then."""
    connection = getattr(_gazetteer, "db", None)
    if connection is not None:
        return connection
    try:
        from amity.gazetteer.index import index_path

        path = index_path()
    except Exception:  # noqa: BLE001 - no gazetteer data: search the registry's names only
        return None
    if not path.exists():
        _build_gazetteer_in_background()
        return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    _gazetteer.db = connection
    return connection


_BUILD_LOCK = threading.Lock()
_BUILD_STARTED = False


def _build_gazetteer_in_background() -> None:
    global _BUILD_STARTED
    with _BUILD_LOCK:
        if _BUILD_STARTED:
            return
        _BUILD_STARTED = True

    def build() -> None:
        from amity.gazetteer.index import load_gazetteer

        try:
            load_gazetteer()
        except Exception:  # noqa: BLE001 - searched without alternates, as before
            pass

    threading.Thread(target=build, daemon=True, name="amity-gazetteer-build").start()
