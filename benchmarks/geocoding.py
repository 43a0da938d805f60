"""Geocoding accuracy of amity's resolver, plus the gazetteer's warm load time and memory.

1. twin_cities: ../shared/reference/twin_cities.csv (25,917 pairs, city and country with
   coordinates). Every distinct (city, country) is resolved (a) with its country given, and
   every distinct (city, country, partner country) (b) with only the partner's country as
   context (`PlaceContext(partner_country=P, article_countries={P: 1})`: an article about
   the pair names the partner's country, never the city's own). A hit is a chosen place
   within 25 km of the listed coordinates.
2. mentions: tests/fixtures/geocoding/mentions.jsonl, hand-checked place mentions from our
   fixture articles and the seeds with gold GeoNames ids: exact-id and country accuracy.
3. gazetteer: warm `Gazetteer()` open time and resident memory, in a fresh process.

Reads ../shared at run time (AMITY_SHARED overrides) and copies nothing from it; exits 1
when it is missing.

Usage: .venv/bin/python benchmarks/geocoding.py [--limit N] [--misses 20] [--skip-partner]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
TWIN_CITIES = SHARED / "reference" / "twin_cities.csv"
MENTIONS = REPO / "tests" / "fixtures" / "geocoding" / "mentions.jsonl"
HIT_KM = 25.0
# A country column that is no country name is parsed as "Region, Country" ("England, United
# Kingdom", "Martinique, France") or "Name (country)"; a misspelt one ("Grece") is matched
# to the nearest country name at this rapidfuzz ratio, or left unknown.
COUNTRY_FUZZY_THRESHOLD = 85.0


@dataclass(frozen=True)
class Reference:
    city: str
    country: str | None  # ISO2, None when the column names no country we know
    admin1: str | None  # the region half of "England, United Kingdom"
    lat: float
    lon: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N twin_cities rows only")
    parser.add_argument("--misses", type=int, default=20, help="misses to print per measure")
    parser.add_argument("--skip-partner", action="store_true", help="skip measure (b)")
    args = parser.parse_args(argv)
    if not TWIN_CITIES.exists():
        print(f"geocoding: error: {TWIN_CITIES} not found", file=sys.stderr)
        print("(expected ../shared beside the repository, or set AMITY_SHARED)", file=sys.stderr)
        return 1

    from amity.gazetteer.index import load_gazetteer
    from amity.resolve import Resolver

    started = time.perf_counter()
    gazetteer = load_gazetteer()
    first_load = time.perf_counter() - started
    resolver = Resolver(gazetteer)

    pairs = read_twin_cities(gazetteer, args.limit)
    table: list[tuple[str, dict]] = []
    misses: list[tuple[str, list[str]]] = []

    own = {}
    for ref, _partner in pairs:
        own.setdefault((ref.city, ref.country, ref.admin1, ref.lat, ref.lon), ref)
    result = score_twin_cities(resolver, [(ref, own_context(ref)) for ref in own.values()])
    table.append(("twin_cities, country given", result))
    misses.append(("twin_cities, country given", result["misses"]))

    if not args.skip_partner:
        jobs = {}
        for ref, partner in pairs:
            if partner:
                jobs.setdefault((ref, partner), partner_context(partner))
        result = score_twin_cities(resolver, [(ref, ctx) for (ref, _), ctx in jobs.items()])
        table.append(("twin_cities, partner's country only", result))
        misses.append(("twin_cities, partner's country only", result["misses"]))

    if MENTIONS.exists():
        result = score_mentions(resolver, read_mentions())
        table.append(("mention set (exact GeoNames id)", result))
        misses.append(("mention set", result["misses"]))

    print_table(table)
    for title, found in misses:
        if found:
            print(f"\nsample of misses, {title} ({min(args.misses, len(found))} of {len(found)}):")
            for line in random.Random(4).sample(found, min(args.misses, len(found))):
                print(f"  {line}")
    print()
    print(f"gazetteer first load in this process: {first_load:.2f} s ({gazetteer.path.name})")
    print_load_cost()
    return 0


# --- twin_cities ------------------------------------------------------------------------------


def read_twin_cities(gazetteer, limit: int | None) -> list[tuple[Reference, str | None]]:
    """(side, partner's ISO2) for both sides of every pair."""
    countries = CountryColumn(gazetteer)
    found = []
    with TWIN_CITIES.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if limit is not None and i >= limit:
                break
            sides = []
            for n in ("1", "2"):
                try:
                    lat, lon = float(row[f"lat{n}"]), float(row[f"lng{n}"])
                except ValueError:
                    sides.append(None)
                    continue
                cc, admin1 = countries.parse(row[f"country{n}"])
                sides.append(Reference(row[f"city{n}"].strip(), cc, admin1, lat, lon))
            if sides[0] and sides[1]:
                found.append((sides[0], sides[1].country))
                found.append((sides[1], sides[0].country))
    return found


class CountryColumn:
    """ISO2 (and region) from twin_cities' English country column."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self.cache: dict[str, tuple[str | None, str | None]] = {}

    def parse(self, text: str) -> tuple[str | None, str | None]:
        if text not in self.cache:
            self.cache[text] = self._parse(text)
        return self.cache[text]

    def _parse(self, text: str) -> tuple[str | None, str | None]:
        gaz = self.gazetteer
        text = re.sub(r"\s*\((?:country|state)\)\s*$", "", text.strip())
        text = re.sub(r"^in\s+", "", text)
        if cc := gaz.iso2(text):
            return cc, None
        if "," in text:
            region, _, country = (part.strip() for part in text.rpartition(","))
            if cc := gaz.iso2(region):  # "Martinique, France": GeoNames has MQ
                return cc, None
            if cc := gaz.iso2(country):
                return cc, region
        return self._fuzzy(text), None

    def _fuzzy(self, text: str) -> str | None:
        from rapidfuzz import fuzz, process

        from amity.gazetteer.names import normalize

        choices = {normalize(n): cc for cc, n in self.gazetteer.country_names().items()}
        match = process.extractOne(
            normalize(text), list(choices), scorer=fuzz.ratio, score_cutoff=COUNTRY_FUZZY_THRESHOLD
        )
        return choices[match[0]] if match else None


def own_context(ref: Reference):
    from amity.resolve import PlaceContext

    return PlaceContext(country=ref.country, admin1=ref.admin1)


def partner_context(partner: str):
    from amity.resolve import PlaceContext

    return PlaceContext(partner_country=partner, article_countries={partner: 1})


def score_twin_cities(resolver, jobs) -> dict:
    from amity.gazetteer.index import distance_km

    hits = country_hits = unresolved = 0
    misses: list[str] = []
    started = time.perf_counter()
    for ref, context in jobs:
        place = resolver.resolve(ref.city, context)
        unresolved += place.unresolved
        if ref.country and place.country == ref.country:
            country_hits += 1
        # An unresolved district keeps its parent's position; that is no chosen place.
        lat, lon = (None, None) if place.unresolved else (place.lat, place.lon)
        km = distance_km(lat, lon, ref.lat, ref.lon) if lat is not None else None
        if km is not None and km <= HIT_KM:
            hits += 1
        else:
            where = f"{km:,.0f} km off" if km is not None else "no coordinates"
            misses.append(
                f"{ref.city!r} ({ref.country}{', ' + ref.admin1 if ref.admin1 else ''}) -> "
                f"{place.canonical or place.name!r} {place.country}/{place.admin1} "
                f"{place.kind} id={place.geonameid}: {where}"
            )
    seconds = time.perf_counter() - started
    n = len(jobs)
    return {
        "n": n,
        "accuracy": hits / n if n else 0.0,
        "country": country_hits / n if n else 0.0,
        "unresolved": unresolved,
        "ms": 1000 * seconds / n if n else 0.0,
        "misses": misses,
    }


# --- mention set ------------------------------------------------------------------------------


def read_mentions() -> list[dict]:
    with MENTIONS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score_mentions(resolver, mentions: list[dict]) -> dict:
    """Exact: the gold id; a null gold (an admin1 region, or a district cities500 lacks) is
    exact when no id is given and the country (and the gold admin1, if any) agree."""
    from amity.resolve import PlaceContext

    exact = country_hits = unresolved = 0
    misses: list[str] = []
    started = time.perf_counter()
    for mention in mentions:
        context = PlaceContext(**{k: v for k, v in mention["context"].items() if v is not None})
        place = resolver.resolve(mention["name"], context)
        unresolved += place.unresolved
        country_ok = place.country == mention["country"]
        country_hits += country_ok
        if is_exact(place, mention):
            exact += 1
        else:
            misses.append(
                f"{mention['name']!r} {mention['context']} -> {place.canonical!r} "
                f"{place.country}/{place.admin1} id={place.geonameid}; gold {mention['geonameid']} "
                f"{mention['country']}{'' if country_ok else ' (COUNTRY WRONG)'}"
            )
    seconds = time.perf_counter() - started
    n = len(mentions)
    return {
        "n": n,
        "accuracy": exact / n if n else 0.0,
        "country": country_hits / n if n else 0.0,
        "unresolved": unresolved,
        "ms": 1000 * seconds / n if n else 0.0,
        "misses": misses,
    }


def is_exact(place, mention: dict) -> bool:
    if mention["geonameid"] is not None:
        return place.geonameid == mention["geonameid"]
    admin1 = mention.get("admin1")
    return (
        place.geonameid is None
        and place.country == mention["country"]
        and (admin1 is None or place.admin1 == admin1)
    )


# --- report -----------------------------------------------------------------------------------


def print_table(table: list[tuple[str, dict]]) -> None:
    header = ("measure", "lookups", "accuracy", "country", "unresolved", "ms/lookup")
    rows = [header] + [
        (
            title,
            f"{r['n']:,}",
            f"{100 * r['accuracy']:.2f} %",
            f"{100 * r['country']:.2f} %",
            f"{r['unresolved']:,}",
            f"{r['ms']:.2f}",
        )
        for title, r in table
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        cells = (
            c.ljust(w) if j == 0 else c.rjust(w)
            for j, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        print("  ".join(cells))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"(twin_cities accuracy: chosen place within {HIT_KM:.0f} km of the listed coordinates;")
    print(" mention set accuracy: exact GeoNames id; country: ISO2 agrees)")


_LOAD_PROBE = """
import resource, sys, time
from amity.gazetteer import index as gazetteer
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
gaz = gazetteer.Gazetteer()
gaz.lookup("Longyan", "CN")
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, base, peak)
"""


def print_load_cost() -> None:
    """Warm open (the index file exists) in a fresh interpreter: time and max RSS (KiB)."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(out[0]), int(out[1]), int(out[2])))
    seconds = min(r[0] for r in runs)
    base, peak = runs[-1][1], runs[-1][2]
    print(
        f"gazetteer warm load (fresh process, best of 3): {seconds:.3f} s; max RSS "
        f"{peak / 1024:.0f} MiB ({base / 1024:.0f} MiB after imports, +{(peak - base) / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    sys.exit(main())
