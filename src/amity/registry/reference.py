"""Reference registries: rows of a Wikipedia list or a Wikidata query, joined to relations.

A registry row never becomes a news event: it is a `reference_relation` row (source, start
and end year, the raw row) attached to the same one-per-pair relation that news evidence
attaches to, so `show` and `relations` present both side by side.

- `import_wikipedia_list(registry, "twin_cities.csv")`: columns
  city1,country1,lat1,lng1,city2,country2,lat2,lng2 (as ../shared/reference/twin_cities.csv);
  without a path, the copy shipped in the package (`WIKIPEDIA_LIST`, gzipped, MIT licence).
- `import_wikidata(registry, "p190.json")`: the JSON a SPARQL query for P190 (sister city)
  with P580/P582 (start/end time) returns; the query is in docs/cli.md#amity-import.

Places are resolved with `amity.resolve.Resolver` (`PlaceContext(country=ISO2)`); a name
that does not resolve, or resolves more than MAX_DISTANCE_KM away from the row's
coordinates, is kept as name + country with the row's coordinates. Imports are idempotent:
a row already imported (same source and pair) is skipped; each batch is one transaction.

Every Wikipedia-list row is checked (amity.registry.doubts): coordinates in another country
than the resolved place or more than 50 km from it, a country column that disagrees with
it, a place paired with itself or its province. The reasons are stored with the row
(`reference_relation.doubts`) and counted in the summary; no row is dropped for them. When
the coordinates lie in another country than the place the name and the country column
agree on (Lagos, Portugal listed at Lagos, Nigeria), the place is kept and the coordinates
are what is doubted; when both sides of a row resolve to one place, the second is kept as
written (name, country, coordinates) and the row is flagged `self`.

Example:
    >>> from amity.registry import open_registry
    >>> summary = import_wikipedia_list(open_registry(), "twin_cities.csv")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amity.errors import BadInput
from amity.registry import Registry
from amity.registry.doubts import (
    ReferenceChecks,
    apart_km,
    is_reference_error,
    kind_of,
    pair_doubts,
)
from amity.registry.merge import ReferenceFact, normalise_name, place_key, summarise
from amity.registry.models import PlaceNameRow, PlaceRow, ReferenceRow, RelationRow
from amity.registry.store import now, refresh_relation
from amity.types import Place

if TYPE_CHECKING:
    from amity.resolve import Resolver

MAX_DISTANCE_KM = 150.0
BATCH_SIZE = 2000
WIKIPEDIA_COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
_PARENTHESIS = re.compile(r"^(.+?)\s*\((.+)\)\s*$")  # "Changning (Shanghai)"
_DASH = re.compile(r"^(.+?)\s+[–—-]\s+(.+)$")  # "Seoul – Gangseo"
_QID = re.compile(r"(Q\d+)$")
# A country column that is no country name is read as "Region, Country" ("England, United
# Kingdom", "Martinique, France") or "Name (country)"; a misspelt one ("Grece") is matched
# to the nearest country name at this rapidfuzz ratio, or left unknown.
COUNTRY_FUZZY_THRESHOLD = 85.0
# Wikipedia's lists of twin towns as one CSV (MIT licence: data/reference/LICENSE)
WIKIPEDIA_LIST = resources.files("amity.data") / "reference" / "twin_cities.csv.gz"


@dataclass
class ImportSummary:
    source: str
    rows: int = 0  # pairs read from the file
    imported: int = 0  # reference rows added
    already: int = 0  # imported before (same source and pair)
    duplicates: int = 0  # the same pair again in this file
    skipped: int = 0  # unusable rows (see errors)
    relations_new: int = 0
    relations_joined: int = 0  # existing relations (news or another registry) it joined
    places_unresolved: int = 0
    doubtful: int = 0  # rows imported with a reason to doubt them (amity.registry.doubts)
    reference_errors: int = 0  # ... of which the reference itself looks wrong
    doubts: dict[str, int] = field(default_factory=dict)  # rows by kind of reason
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReferencePair:
    """One registry row, its places resolved."""

    a: Place
    b: Place
    source_key: str
    raw: Any
    start_year: int | None = None
    end_year: int | None = None
    doubts: list[str] | None = None  # None: not checked


class PlaceResolver:
    """Resolve registry place names (cached), checking them against the row's coordinates."""

    def __init__(self, resolver: Resolver | None = None):
        if resolver is None:
            from amity.resolve import Resolver

            resolver = Resolver()
        self.resolver = resolver
        self.gazetteer = resolver.gazetteer
        self._cache: dict[tuple[str, str | None, str | None, str | None], tuple[str, Place]] = {}
        self._columns: dict[str, tuple[str | None, str | None]] = {}
        self._checks: ReferenceChecks | None = None

    @property
    def checks(self) -> ReferenceChecks:
        if self._checks is None:  # a k-d tree of the gazetteer's cities: built on first use
            self._checks = ReferenceChecks(self.gazetteer)
        return self._checks

    def country(self, text: str | None) -> str | None:
        """ISO2 for "South Korea", "KR", or "Ohio, United States" (the last part)."""
        if not text:
            return None
        code = self.gazetteer.iso2(text.strip())
        if code is None and "," in text:
            code = self.gazetteer.iso2(text.rsplit(",", 1)[1].strip())
        return code

    def country_column(self, text: str | None) -> tuple[str | None, str | None]:
        """(ISO2, region) of a list's country column: "South Korea" -> ("KR", None),
        "England, United Kingdom" -> ("GB", "England"), "Martinique, France" -> ("MQ", None)
        (GeoNames has Martinique as a country), "Grece" -> ("GR", None)."""
        text = (text or "").strip()
        if text not in self._columns:
            self._columns[text] = self._country_column(text)
        return self._columns[text]

    def _country_column(self, text: str) -> tuple[str | None, str | None]:
        text = re.sub(r"\s*\((?:country|state)\)\s*$", "", text)
        text = re.sub(r"^in\s+", "", text)
        if not text:
            return None, None
        if code := self.gazetteer.iso2(text):
            return code, None
        if "," in text:
            region, _, country = (part.strip() for part in text.rpartition(","))
            if code := self.gazetteer.iso2(region):
                return code, None
            if code := self.gazetteer.iso2(country):
                return code, region
        from rapidfuzz import fuzz, process

        from amity.gazetteer.names import normalize

        choices = {normalize(n): cc for cc, n in self.gazetteer.country_names().items()}
        match = process.extractOne(
            normalize(text), list(choices), scorer=fuzz.ratio, score_cutoff=COUNTRY_FUZZY_THRESHOLD
        )
        return (choices[match[0]] if match else None), None

    def choose(
        self, name: str, country: str | None, admin1: str | None = None
    ) -> tuple[str, Place]:
        """(the name without its parent, the resolver's choice); "Changning (Shanghai)" and
        "Seoul – Gangseo" are districts of their parent city. Cached."""
        from amity.resolve import PlaceContext

        name = " ".join(name.split())
        parent = None
        match = _PARENTHESIS.match(name) or _DASH.match(name)
        if match:
            if match.re is _PARENTHESIS:
                name, parent = match.group(1), match.group(2)
            else:
                parent, name = match.group(1), match.group(2)
        key = (name, country, admin1, parent)
        if key not in self._cache:
            context = PlaceContext(
                country=country, admin1=admin1, parent=parent, kind="district" if parent else None
            )
            place = self.resolver.resolve(name, context)
            if place.unresolved and parent is not None:  # the parenthesis was not a parent
                place = self.resolver.resolve(name, PlaceContext(country=country, admin1=admin1))
                parent = None if place.unresolved else parent
            if place.unresolved:
                place = replace(place, parent=parent)
            self._cache[key] = (name, place)
        return self._cache[key]

    def as_listed(
        self, name: str, country: str | None, lat: float | None, lon: float | None, parent=None
    ) -> Place:
        """The row's own place: its name, country and coordinates, unresolved."""
        return Place(name=name, country=country, lat=lat, lon=lon, parent=parent, unresolved=True)

    def resolve_checked(
        self,
        written: str,
        country: str | None,
        lat: float | None,
        lon: float | None,
        admin1: str | None = None,
    ) -> tuple[Place, list[str]]:
        """The place to store for one side of a row, and the reasons to doubt the side."""
        from amity.gazetteer.index import distance_km

        name, place = self.choose(written, country, admin1)
        reasons = self.checks.side(" ".join(written.split()), country, lat, lon, place)
        misplaced = any(kind_of(reason) == "coordinates" for reason in reasons)
        far = (
            place.lat is not None
            and lat is not None
            and lon is not None
            and distance_km(place.lat, place.lon, lat, lon) > MAX_DISTANCE_KM
        )
        if place.unresolved or (far and not misplaced):
            return self.as_listed(name, country, lat, lon, place.parent), reasons
        if place.lat is None and lat is not None:
            place = replace(place, lat=lat, lon=lon)
        return place, reasons

    def resolve(
        self,
        name: str,
        country: str | None,
        lat: float | None = None,
        lon: float | None = None,
        geonameid: int | None = None,
    ) -> Place:
        from amity.gazetteer.index import distance_km

        name, place = self.choose(name, country)
        if geonameid is not None and place.geonameid != geonameid:
            return Place(
                name=name,
                country=country,
                geonameid=geonameid,
                lat=lat,
                lon=lon,
                canonical=name,
                unresolved=False,
            )
        far = (
            place.lat is not None
            and lat is not None
            and lon is not None
            and distance_km(place.lat, place.lon, lat, lon) > MAX_DISTANCE_KM
        )
        if place.unresolved or far:
            return self.as_listed(name, country, lat, lon, place.parent)
        if place.lat is None and lat is not None:
            place = replace(place, lat=lat, lon=lon)
        return place


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _pair_key(*sides: tuple[str, str]) -> str:
    return "~".join(sorted(f"{normalise_name(n)}|{normalise_name(c)}" for n, c in sides))


def read_wikipedia_list(path: str | Path, places: PlaceResolver) -> Iterator[ReferencePair]:
    """Pairs of a CSV (or .csv.gz) with columns city1,country1,lat1,lng1,city2,country2,lat2,lng2."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in WIKIPEDIA_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadInput(str(path), f"missing columns {', '.join(missing)}")
        for row in reader:
            if not (row["city1"] or "").strip() or not (row["city2"] or "").strip():
                yield ReferencePair(Place(""), Place(""), "", dict(row))  # reported as skipped
                continue
            sides, doubts = [], []
            for n in ("1", "2"):
                country, region = places.country_column(row[f"country{n}"])
                lat, lon = _float(row[f"lat{n}"]), _float(row[f"lng{n}"])
                place, reasons = places.resolve_checked(row[f"city{n}"], country, lat, lon, region)
                sides.append((place, country, lat, lon))
                doubts += reasons
            (a, _, lat_a, lon_a), (b, country_b, lat_b, lon_b) = sides
            doubts += pair_doubts(a, b, apart_km((lat_a, lon_a), (lat_b, lon_b)))
            if b.geonameid is not None and b.geonameid == a.geonameid:
                # both sides are one place: keep the row, its second side as written
                b = places.as_listed(" ".join(row["city2"].split()), country_b, lat_b, lon_b)
            key = _pair_key((row["city1"], row["country1"]), (row["city2"], row["country2"]))
            yield ReferencePair(a, b, key, dict(row), doubts=doubts)


def _value(binding: dict[str, Any], name: str) -> str | None:
    item = binding.get(name)
    return item.get("value") if isinstance(item, dict) else None


def _year(value: str | None) -> int | None:
    match = re.match(r"^[+]?(-?\d{1,4})-", value or "")
    return int(match.group(1)) if match else None


def _point(value: str | None) -> tuple[float | None, float | None]:
    match = re.match(r"^Point\(([-\d.eE]+) ([-\d.eE]+)\)$", value or "")
    return (float(match.group(2)), float(match.group(1))) if match else (None, None)


def read_wikidata(path: str | Path, places: PlaceResolver) -> Iterator[ReferencePair]:
    """Pairs of a SPARQL JSON result with variables city, cityLabel, twin, twinLabel and
    optionally start, end, cityCountryCode, twinCountryCode, cityGeonames, twinGeonames,
    cityCoord, twinCoord. Rows of the same pair (both directions, several values) are one
    pair: earliest start, latest end."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        bindings = data["results"]["bindings"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInput(
            str(path), f"not a SPARQL JSON result ({type(error).__name__}: {error})"
        ) from error
    pairs: dict[str, dict[str, Any]] = {}
    for binding in bindings:
        ids = []
        for side in ("city", "twin"):
            match = _QID.search(_value(binding, side) or "")
            ids.append(match.group(1) if match else None)
        if None in ids or ids[0] == ids[1]:
            continue
        key = "~".join(sorted(ids))  # type: ignore[arg-type]
        entry = pairs.setdefault(key, {"bindings": [], "starts": [], "ends": []})
        entry["bindings"].append(binding)
        if (start := _year(_value(binding, "start"))) is not None:
            entry["starts"].append(start)
        if (end := _year(_value(binding, "end"))) is not None:
            entry["ends"].append(end)
    for key, entry in pairs.items():
        first = entry["bindings"][0]
        sides = []
        for side in ("city", "twin"):
            label = _value(first, f"{side}Label") or _QID.search(_value(first, side) or "").group(1)
            gid = _value(first, f"{side}Geonames")
            lat, lon = _point(_value(first, f"{side}Coord"))
            sides.append(
                places.resolve(
                    label,
                    places.country(_value(first, f"{side}CountryCode")),
                    lat,
                    lon,
                    geonameid=int(gid) if gid and gid.isdigit() else None,
                )
            )
        yield ReferencePair(
            sides[0],
            sides[1],
            key,
            entry["bindings"],
            start_year=min(entry["starts"]) if entry["starts"] else None,
            end_year=max(entry["ends"]) if entry["ends"] else None,
        )


def import_wikipedia_list(
    target: Registry | Session,
    path: str | Path | None = None,
    *,
    resolver: Resolver | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a Wikipedia twin-cities CSV (see module docstring); by default the shipped one.

    Example:
        >>> import_wikipedia_list(registry, "twin_cities.csv").imported  # doctest: +SKIP
        25917
    """
    places = PlaceResolver(resolver)
    rows = read_wikipedia_list(WIKIPEDIA_LIST if path is None else path, places)
    return import_pairs(target, rows, "wikipedia-list", on_row=on_row)


def import_wikidata(
    target: Registry | Session,
    path: str | Path,
    *,
    resolver: Resolver | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the JSON result of the P190 SPARQL query (docs/cli.md#amity-import).

    Example:
        >>> import_wikidata(registry, "p190.json").imported  # doctest: +SKIP
    """
    places = PlaceResolver(resolver)
    return import_pairs(target, read_wikidata(path, places), "wikidata", on_row=on_row)


def import_pairs(
    target: Registry | Session,
    pairs: Iterable[ReferencePair],
    source: str,
    *,
    batch_size: int = BATCH_SIZE,
    on_row: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Store reference pairs of `source`, `batch_size` rows per transaction."""
    if isinstance(target, Registry):
        with target.session() as session:
            return import_pairs(session, pairs, source, batch_size=batch_size, on_row=on_row)
    session = target
    summary = ImportSummary(source)
    known = set(
        session.scalars(select(ReferenceRow.source_key).where(ReferenceRow.source == source))
    )
    place_ids: dict[str, int] = dict(session.execute(select(PlaceRow.key, PlaceRow.id)).all())
    relation_ids: dict[tuple[int, int], int] = {
        (a, b): rid
        for rid, a, b in session.execute(
            select(RelationRow.id, RelationRow.place_a_id, RelationRow.place_b_id)
        )
    }
    session.rollback()
    seen: set[str] = set()
    batch: list[ReferencePair] = []
    for pair in pairs:
        summary.rows += 1
        if on_row is not None:
            on_row(summary.rows)
        if not pair.source_key:
            summary.skipped += 1
            summary.errors.append(f"row {summary.rows}: a city name is missing")
            continue
        if pair.source_key in known:
            summary.already += 1
            continue
        if pair.source_key in seen:
            summary.duplicates += 1
            continue
        seen.add(pair.source_key)
        batch.append(pair)
        if len(batch) >= batch_size:
            _store_batch(session, batch, source, place_ids, relation_ids, summary)
            batch = []
    if batch:
        _store_batch(session, batch, source, place_ids, relation_ids, summary)
    return summary


def _new_place(place: Place) -> PlaceRow:
    name = (place.canonical or place.name).strip()
    row = PlaceRow(
        key=place_key(place.geonameid, place.name, place.country, place.parent),
        geonameid=place.geonameid,
        name=name,
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        kind=place.kind or "city",
        parent=place.parent,
    )
    names = {normalise_name(written): written for written in (place.name, name) if written}
    for search_name, written in names.items():
        if search_name:
            row.names.append(PlaceNameRow(name=written, search_name=search_name))
    return row


def _store_batch(
    session: Session,
    batch: list[ReferencePair],
    source: str,
    place_ids: dict[str, int],
    relation_ids: dict[tuple[int, int], int],
    summary: ImportSummary,
) -> None:
    """One transaction: new places, new relations, reference rows, relation summaries."""
    new_places: dict[str, PlaceRow] = {}
    for pair in batch:
        for place in (pair.a, pair.b):
            key = place_key(place.geonameid, place.name, place.country, place.parent)
            if key not in place_ids and key not in new_places:
                new_places[key] = _new_place(place)
                summary.places_unresolved += place.geonameid is None
    session.add_all(new_places.values())
    session.flush()
    batch_place_ids = {**place_ids, **{k: row.id for k, row in new_places.items()}}

    rows: list[tuple[ReferencePair, tuple[int, int]]] = []
    new_relations: dict[tuple[int, int], RelationRow] = {}
    joined: set[int] = set()
    for pair in batch:
        a = batch_place_ids[place_key(pair.a.geonameid, pair.a.name, pair.a.country, pair.a.parent)]
        b = batch_place_ids[place_key(pair.b.geonameid, pair.b.name, pair.b.country, pair.b.parent)]
        if a == b:
            summary.skipped += 1
            summary.errors.append(f"{pair.source_key}: both sides resolve to the same place")
            continue
        ids = (min(a, b), max(a, b))
        if ids in relation_ids:
            joined.add(relation_ids[ids])
        elif ids not in new_relations:
            new_relations[ids] = RelationRow(place_a_id=ids[0], place_b_id=ids[1], status="unknown")
        rows.append((pair, ids))
    session.add_all(new_relations.values())
    session.flush()
    batch_relation_ids = {**relation_ids, **{k: r.id for k, r in new_relations.items()}}

    imported_at = now()
    facts: dict[int, list[ReferenceFact]] = {}
    for pair, ids in rows:
        relation_id = batch_relation_ids[ids]
        session.add(
            ReferenceRow(
                relation_id=relation_id,
                source=source,
                source_key=pair.source_key,
                start_year=pair.start_year,
                end_year=pair.end_year,
                raw=pair.raw,
                doubts=pair.doubts,
                imported_at=imported_at,
            )
        )
        if pair.doubts:
            summary.doubtful += 1
            summary.reference_errors += is_reference_error(pair.doubts)
            for kind in {kind_of(reason) for reason in pair.doubts}:
                summary.doubts[kind] = summary.doubts.get(kind, 0) + 1
        facts.setdefault(relation_id, []).append(
            ReferenceFact(source, pair.start_year, pair.end_year)
        )
    session.flush()
    for relation in new_relations.values():
        summary_ = summarise([], facts.get(relation.id, []))
        relation.status = summary_.status
        relation.established = summary_.established
        relation.established_conflict = summary_.established_conflict
        relation.last_event = summary_.last_event
    for relation_id in joined:
        refresh_relation(session, session.get(RelationRow, relation_id))
    session.commit()
    place_ids.update((k, row.id) for k, row in new_places.items())
    relation_ids.update((k, r.id) for k, r in new_relations.items())
    summary.imported += len(rows)
    summary.relations_new += len(new_relations)
    summary.relations_joined += len(joined)
