"""Geocoding accuracy of amity's resolver, plus the gazetteer's warm load time and memory.

1. twin_cities: ../shared/reference/twin_cities.csv (25,917 pairs, city and country with
   coordinates). Every distinct (city, country) is resolved (a) with its country given, and
   every distinct (city, country, partner country) (b) with only the partner's country as
   context (`PlaceContext(partner_country=P, article_countries={P: 1})`: an article about
   the pair names the partner's country, never the city's own). A hit is a chosen place
   within 25 km of the listed coordinates. (a) is also reported on two subsets:
   - "gazetteer holds it": a place of that name in the listed country lies within 25 km of
     the listed point in the gazetteer (the resolver's own accuracy: a miss there is a wrong
     choice); also shown with a namesake in any country (the first definition, which counts
     a listed point at a namesake abroad, a reference error, as the resolver's miss);
   - "not flagged": the rows the reference checks of `amity import` (amity.registry.doubts)
     do not find wrong: coordinates in another country than the resolved place, a country
     column that disagrees with it, a place paired with itself or its province. (Their
     `far` and `unresolved` reasons are not excluded: they are misses by definition.)
2. mentions: tests/fixtures/geocoding/mentions.jsonl, hand-checked place mentions from our
   fixture articles and the seeds with gold GeoNames ids: exact-id and country accuracy.
3. news-dev: every gold place of ../shared/corpus/news-dev/gold.jsonl (its first name),
   resolved by the resolve stage itself with what its article gives: the countries the
   article names (counted as the extractor counts them), its text, the partner, the known
   pairs and the article's other places; no stated country. Country accuracy, and admin1 accuracy where
   the gold gives an admin1.
4. gazetteer: warm `Gazetteer()` open time and resident memory, in a fresh process.

Reads ../shared at run time (AMITY_SHARED overrides) and copies nothing from it; exits 1
when it is missing.

Usage: .venv/bin/python benchmarks/geocoding.py [--limit N] [--misses 20] [--skip-partner]
       [--skip-news]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
TWIN_CITIES = SHARED / "reference" / "twin_cities.csv"
NEWS_DEV = SHARED / "corpus" / "news-dev"
MENTIONS = REPO / "tests" / "fixtures" / "geocoding" / "mentions.jsonl"
HIT_KM = 25.0


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
    parser.add_argument("--skip-news", action="store_true", help="skip news-dev's gold places")
    args = parser.parse_args(argv)
    if not TWIN_CITIES.exists():
        print(f"geocoding: error: {TWIN_CITIES} not found", file=sys.stderr)
        print("(expected ../shared beside the repository, or set AMITY_SHARED)", file=sys.stderr)
        return 1

    from amity.gazetteer.index import load_gazetteer
    from amity.registry.reference import PlaceResolver
    from amity.resolve import Resolver

    started = time.perf_counter()
    gazetteer = load_gazetteer()
    first_load = time.perf_counter() - started
    resolver = Resolver(gazetteer)
    places = PlaceResolver(resolver)  # the import's country-column reader and checks

    rows = read_twin_cities(places, args.limit)
    pairs = [(a, b.country) for a, b in rows] + [(b, a.country) for a, b in rows]
    table: list[tuple[str, dict]] = []
    misses: list[tuple[str, list[str]]] = []

    own = list(dict.fromkeys(ref for ref, _partner in pairs))
    outcomes = dict(
        zip(own, resolve_all(resolver, [(r, own_context(r)) for r in own]), strict=True)
    )
    started = time.perf_counter()
    holds = {ref: gazetteer_holds(gazetteer, ref) for ref in own}
    holds_anywhere = {ref: holds[ref] or gazetteer_holds(gazetteer, ref, True) for ref in own}
    flags = reference_flags(places, rows, outcomes)
    check_seconds = time.perf_counter() - started
    subsets = [
        ("twin_cities, country given", own),
        ("  ... the gazetteer holds it", [ref for ref in own if holds[ref]]),
        ("  ... a namesake within 25 km, any country", [r for r in own if holds_anywhere[r]]),
        ("  ... not flagged by the reference checks", [ref for ref in own if not flags[ref]]),
    ]
    for title, refs in subsets:
        result = summarise([outcomes[ref] for ref in refs])
        table.append((title, result))
        if title.startswith("twin_cities"):
            misses.append((title, result["misses"]))
        elif "holds it" in title:
            misses.append(("twin_cities, country given, the gazetteer holds it", result["misses"]))

    if not args.skip_partner:
        jobs = {}
        for ref, partner in pairs:
            if partner:
                jobs.setdefault((ref, partner), partner_context(partner))
        result = summarise(resolve_all(resolver, [(ref, ctx) for (ref, _), ctx in jobs.items()]))
        table.append(("twin_cities, partner's country only", result))
        misses.append(("twin_cities, partner's country only", result["misses"]))

    if MENTIONS.exists():
        result = score_mentions(resolver, read_mentions())
        table.append(("mention set (exact GeoNames id)", result))
        misses.append(("mention set", result["misses"]))

    admin1 = None
    if not args.skip_news:
        result, admin1 = score_news_dev(resolver)
        table.append(("news-dev gold places (country)", result))
        misses.append(("news-dev gold places", result["misses"]))

    print_table(table)
    if admin1 is not None:
        print(
            f"news-dev gold places with a gold admin1: {admin1['n']}, admin1 right "
            f"{100 * admin1['accuracy']:.2f} % (country right and the same region)"
        )
        misses.append(("news-dev gold admin1", admin1["misses"]))
    print_flags(flags, len(own), check_seconds)
    for title, found in misses:
        if found:
            print(f"\nsample of misses, {title} ({min(args.misses, len(found))} of {len(found)}):")
            for line in random.Random(4).sample(found, min(args.misses, len(found))):
                print(f"  {line}")
    print()
    print(f"gazetteer first load in this process: {first_load:.2f} s ({gazetteer.path.name})")
    print_load_cost(gazetteer.path)
    return 0


# --- twin_cities ------------------------------------------------------------------------------


def read_twin_cities(places, limit: int | None) -> list[tuple[Reference, Reference]]:
    """Both sides of every row with coordinates, the country column read as the import
    reads it (`PlaceResolver.country_column`)."""
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
                cc, admin1 = places.country_column(row[f"country{n}"])
                sides.append(Reference(row[f"city{n}"].strip(), cc, admin1, lat, lon))
            if sides[0] and sides[1]:
                found.append((sides[0], sides[1]))
    return found


def own_context(ref: Reference):
    from amity.resolve import PlaceContext

    return PlaceContext(country=ref.country, admin1=ref.admin1)


def partner_context(partner: str):
    from amity.resolve import PlaceContext

    return PlaceContext(partner_country=partner, article_countries={partner: 1})


@dataclass
class Outcome:
    place: object  # amity.types.Place
    hit: bool
    country_ok: bool
    ms: float
    miss: str | None


def resolve_all(resolver, jobs) -> list[Outcome]:
    """One Outcome per (Reference, PlaceContext), in order."""
    from amity.gazetteer.index import distance_km
    from amity.registry.doubts import same_state

    found = []
    for ref, context in jobs:
        started = time.perf_counter()
        place = resolver.resolve(ref.city, context)
        ms = 1000 * (time.perf_counter() - started)
        # An unresolved district keeps its parent's position; that is no chosen place.
        lat, lon = (None, None) if place.unresolved else (place.lat, place.lon)
        km = distance_km(lat, lon, ref.lat, ref.lon) if lat is not None else None
        hit = km is not None and km <= HIT_KM
        miss = None
        if not hit:
            where = f"{km:,.0f} km off" if km is not None else "no coordinates"
            miss = (
                f"{ref.city!r} ({ref.country}{', ' + ref.admin1 if ref.admin1 else ''}) -> "
                f"{place.canonical or place.name!r} {place.country}/{place.admin1} "
                f"{place.kind} id={place.geonameid}: {where}"
            )
        # a territory GeoNames codes apart counts as the state the list names (Kourou: GF, FR)
        country_ok = bool(ref.country) and same_state(place.country, ref.country)
        found.append(Outcome(place, hit, country_ok, ms, miss))
    return found


def summarise(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    return {
        "n": n,
        "accuracy": sum(o.hit for o in outcomes) / n if n else 0.0,
        "country": sum(o.country_ok for o in outcomes) / n if n else 0.0,
        "unresolved": sum(o.place.unresolved for o in outcomes),
        "ms": sum(o.ms for o in outcomes) / n if n else 0.0,
        "misses": [o.miss for o in outcomes if o.miss],
    }


def gazetteer_holds(gazetteer, ref: Reference, anywhere: bool = False) -> bool:
    """A place of the name (or of the name before a parenthesis: "Changning (Shanghai)")
    in the listed country (the one the resolver is given) within HIT_KM of the listed point.
    A point at a namesake abroad (Liverpool, Australia listed at Liverpool, England) is no
    place the resolver could choose; `anywhere` counts it (the measure's first definition)."""
    from amity.gazetteer.index import distance_km

    for name in dict.fromkeys((ref.city, ref.city.split(" (")[0].strip())):
        for c in gazetteer.lookup(name, None if anywhere else ref.country, fuzzy=False):
            if c.lat is not None and distance_km(c.lat, c.lon, ref.lat, ref.lon) <= HIT_KM:
                return True
    return False


def reference_flags(places, rows, outcomes) -> dict:
    """{Reference: [the reasons the import's checks find the row wrong]}: its own side's
    and, for a place paired with itself or its province, the pair's."""
    from amity.registry.doubts import apart_km, is_reference_error, pair_doubts

    flags = {}
    for ref, outcome in outcomes.items():
        reasons = places.checks.side(ref.city, ref.country, ref.lat, ref.lon, outcome.place)
        flags[ref] = [r for r in reasons if is_reference_error([r])]
    for a, b in rows:
        apart = apart_km((a.lat, a.lon), (b.lat, b.lon))
        for reason in pair_doubts(outcomes[a].place, outcomes[b].place, apart):
            flags[a].append(reason)
            flags[b].append(reason)
    return flags


def print_flags(flags: dict, total: int, seconds: float) -> None:
    from collections import Counter

    from amity.registry.doubts import kind_of

    kinds = Counter(kind for reasons in flags.values() for kind in {kind_of(r) for r in reasons})
    flagged = sum(bool(reasons) for reasons in flags.values())
    detail = ", ".join(f"{kind} {n:,}" for kind, n in kinds.most_common())
    print(
        f"reference checks: {flagged:,} of {total:,} distinct sides flagged wrong "
        f"({100 * flagged / max(total, 1):.2f} %: {detail or 'none'}); checks and "
        f"gazetteer-holds look-ups {seconds:.1f} s"
    )
    sample = [f"{ref.city!r} ({ref.country}): {'; '.join(r)}" for ref, r in flags.items() if r]
    for line in random.Random(4).sample(sample, min(10, len(sample))):
        print(f"  {line}")


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


# --- news-dev gold places ----------------------------------------------------------------


def read_news_dev() -> tuple[list[dict], dict[str, object]]:
    """Gold lines, and the articles (amity Articles) by id."""
    from amity.ingest import read_articles

    with (NEWS_DEV / "gold.jsonl").open(encoding="utf-8") as handle:
        gold = [json.loads(line) for line in handle if line.strip()]
    articles = {a.id: a for a in read_articles([NEWS_DEV / "articles.jsonl"])}
    return gold, articles


def score_news_dev(resolver) -> tuple[dict, dict]:
    """Country accuracy over every distinct gold place of an article (its first name),
    admin1 accuracy over those with a gold admin1 (GeoNames' name, or one of its aliases
    per `Gazetteer.admin1_of`). The gold pairs go through the resolve stage itself, as an
    article's extracted relations do (country evidence, partner, known pairs, the article's
    other places); only the names are given."""
    from amity.extract.nlp import load_nlp
    from amity.extract.reading import read
    from amity.resolve.stage import ResolveStage
    from amity.types import Place

    gold, articles = read_news_dev()
    nlp, gazetteer = load_nlp(), resolver.gazetteer
    stage = ResolveStage(resolver)
    outcomes: list[Outcome] = []
    admin1_hits = admin1_n = 0
    admin1_misses: list[str] = []
    started = time.perf_counter()
    for line in gold:
        article = articles.get(line["id"])
        text = article.full_text if article else ""
        counts = dict(read(text, nlp, gazetteer, article.url).country_counts) if article else {}
        sides = [(r["a"], r["b"]) for r in line["relations"]]
        asked = [(Place(name=a["names"][0]), Place(name=b["names"][0])) for a, b in sides]
        seen = set()
        for pair, places in zip(sides, stage.resolve_sides(asked, counts, text), strict=True):
            for side, place in zip(pair, places, strict=True):
                key = (side["names"][0], side["country"])
                if key in seen:
                    continue
                seen.add(key)
                country_ok = place.country == side["country"]
                miss = None
                if not country_ok:
                    miss = (
                        f"{line['id']}: {side['names'][0]!r} -> {place.canonical or place.name!r}"
                        f" {place.country}/{place.admin1}; gold {side['country']}"
                    )
                outcomes.append(Outcome(place, country_ok, country_ok, 0.0, miss))
                if side.get("admin1"):
                    admin1_n += 1
                    accepted = [side["admin1"]] + [
                        name for _, name in gazetteer.admin1_of(side["admin1"], side["country"])
                    ]
                    # an admin area is its own admin1 ("North Kazakhstan Region")
                    own = place.canonical if place.kind != "city" else None
                    got = [name for name in (place.admin1, own) if name]
                    if country_ok and any(same_admin1(g, n) for g in accepted for n in got):
                        admin1_hits += 1
                    else:
                        admin1_misses.append(
                            f"{line['id']}: {side['names'][0]!r} -> {place.admin1!r} "
                            f"({place.country}); gold {side['admin1']!r} ({side['country']})"
                        )
    result = summarise(outcomes)
    result["ms"] = 1000 * (time.perf_counter() - started) / max(len(outcomes), 1)
    admin1 = {
        "n": admin1_n,
        "accuracy": admin1_hits / admin1_n if admin1_n else 0.0,
        "misses": admin1_misses,
    }
    return result, admin1


def admin1_key(name: str | None) -> str:
    """ "Łódź Voivodeship" -> "lodz", "Baden-Württemberg" -> "baden wurttemberg"."""
    from anyascii import anyascii

    from amity.gazetteer.names import normalize, strip_generic

    return " ".join(anyascii(strip_generic(normalize(name or ""))).split())


def same_admin1(gold: str, got: str | None) -> bool:
    """Spellings of one region: equal keys, one inside the other in whole words ("Abuja
    Federal Capital Territory"; "Pest" is not in "Budapest"), or a rapidfuzz ratio of 85+
    ("Castille-La Mancha", "Baden-Wuerttemberg"). Renamed regions (Hauts-de-France for
    GeoNames' older Nord-Pas-de-Calais) and exonyms (Latium) stay misses."""
    from rapidfuzz import fuzz

    a, b = admin1_key(gold), admin1_key(got)
    inside = f" {a} " in f" {b} " or f" {b} " in f" {a} "
    return bool(a and b) and (inside or fuzz.ratio(a, b) >= 85)


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
    print(" mention set accuracy: exact GeoNames id; news-dev accuracy: the country;")
    print(" country: ISO2 agrees; news-dev ms/lookup includes reading the article)")


_LOAD_PROBE = """
import resource, sys, time
from pathlib import Path
from amity.gazetteer import index as gazetteer
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
gaz = gazetteer.Gazetteer(Path(sys.argv[1]))
gaz.lookup("Longyan", "CN")
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, base, peak)
"""


def print_load_cost(path: Path) -> None:
    """Warm open of the index file at `path` in a fresh interpreter: time and max RSS (KiB)."""
    runs = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", _LOAD_PROBE, str(path)], capture_output=True, text=True
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"gazetteer warm load: the probe failed: {last}")
            return
        out = done.stdout.split()
        runs.append((float(out[0]), int(out[1]), int(out[2])))
    seconds = min(r[0] for r in runs)
    base, peak = runs[-1][1], runs[-1][2]
    print(
        f"gazetteer warm load (fresh process, best of 3): {seconds:.3f} s; max RSS "
        f"{peak / 1024:.0f} MiB ({base / 1024:.0f} MiB after imports, +{(peak - base) / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    sys.exit(main())
