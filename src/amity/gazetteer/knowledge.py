"""The knowledge index: which pairs of places reference registries already list as twins.

A compact, name-level index of Wikipedia's lists of twin towns (../shared/reference/
twin_cities.csv, MIT licence: see data/knowledge/LICENSE) shipped as package data, so that
extraction can ask "is Hackney–Suresnes a known pair?" offline. It is a prior, never a rule:
most of what news reports is already known, but amity's value is the rest, so the pair
scorer uses it as one feature among many and its effect is measured separately on known and
unknown gold pairs (docs/stages.md).

Keys are normalised names (`amity.gazetteer.names.normalize`) with generic suffixes stripped
("Changnyeong County" -> "changnyeong"), so a spelling in the news meets the list's spelling.

    >>> index = load_knowledge()                           # doctest: +SKIP
    >>> index.known("Changchun", "Ulsan")                  # doctest: +SKIP
    True
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from amity.gazetteer.names import normalize, strip_generic

INDEX_FILE = "knowledge/twin_pairs.tsv.gz"


def name_key(name: str) -> str:
    key = normalize(name)
    return strip_generic(key) or key


Point = tuple[float, float]


def _point(lat: str, lon: str) -> Point | None:
    try:
        return float(lat), float(lon)
    except ValueError:
        return None


class KnowledgeIndex:
    """Known pairs by name key; each name's known partner count (a hub prior); where the
    list gives them, the points of both sides (which of the Glendales twins with Higashiosaka)."""

    def __init__(self, rows: Iterable[tuple[str, ...]]):
        self._pairs: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        self._degree: dict[str, int] = defaultdict(int)
        self._namesakes: dict[str, Counter] = defaultdict(Counter)  # name -> country -> known pairs
        # (key pair, countries) -> the listed (point of the first key, point of the second)
        self._points: dict[tuple, list[tuple[Point | None, Point | None]]] = defaultdict(list)
        for row in rows:
            name_a, country_a, name_b, country_b = row[:4]
            a, b = name_key(name_a), name_key(name_b)
            if not a or not b or a == b:
                continue
            key = (a, b) if a < b else (b, a)
            countries = (country_a, country_b) if a < b else (country_b, country_a)
            if len(row) >= 8:
                points = (_point(*row[4:6]), _point(*row[6:8]))
                self._points[(key, countries)].append(points if a < b else points[::-1])
            if countries not in self._pairs[key]:
                self._pairs[key].add(countries)
                self._degree[a] += 1
                self._degree[b] += 1
                self._namesakes[a][country_a] += 1
                self._namesakes[b][country_b] += 1

    def __len__(self) -> int:
        return len(self._pairs)

    def known(self, name_a: str, name_b: str) -> bool:
        a, b = name_key(name_a), name_key(name_b)
        return ((a, b) if a < b else (b, a)) in self._pairs

    def countries(self, name_a: str, name_b: str) -> list[tuple[str, str]]:
        """The (country of a, country of b) of every known pair under these names."""
        a, b = name_key(name_a), name_key(name_b)
        found = self._pairs.get((a, b) if a < b else (b, a), set())
        return sorted(found if a < b else {(y, x) for x, y in found})

    def points(self, name_a: str, name_b: str, countries: tuple[str, str]) -> tuple[list[Point], list[Point]]:
        """Where the list puts each side of the known pair (name_a in countries[0], name_b in
        countries[1]): the points of a, the points of b."""
        a, b = name_key(name_a), name_key(name_b)
        key, flip = ((a, b), False) if a < b else ((b, a), True)
        found = self._points.get((key, countries[::-1] if flip else countries), [])
        pairs = [(pb, pa) if flip else (pa, pb) for pa, pb in found]
        return [pa for pa, _ in pairs if pa], [pb for _, pb in pairs if pb]

    def namesake_countries(self, name: str) -> dict[str, int]:
        """Known pairs per country of the places called `name`: of all the Bethlehems, the
        Palestinian one is the twin of dozens of cities, the American ones of a few."""
        return dict(self._namesakes.get(name_key(name), {}))

    def degree(self, name: str) -> int:
        """How many known partners a name has (any namesake): twin hubs are big cities."""
        return self._degree.get(name_key(name), 0)


def read_reference_rows(path: str | Path, iso2) -> list[tuple[str, ...]]:
    """(city1, ISO2, city2, ISO2, lat1, lon1, lat2, lon2) rows of a Wikipedia twin-cities CSV
    (points to 3 decimals, about 100 m; empty when not given); `iso2` maps names."""

    def country(text: str) -> str:
        # "England, United Kingdom", "Georgia (country)": the sovereign state is the last part
        text = text.replace("(country)", "").strip()
        return iso2(text) or iso2(text.rsplit(",", 1)[-1].strip()) or ""

    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            points = [_rounded(row.get(f)) for f in ("lat1", "lng1", "lat2", "lng2")]
            rows.append((row["city1"], country(row["country1"]), row["city2"], country(row["country2"]), *points))
    return rows


def _rounded(value: str | None) -> str:
    try:
        return f"{float(value):.3f}"
    except (TypeError, ValueError):
        return ""


def write_index(rows: Iterable[tuple[str, ...]], path: str | Path) -> int:
    """Write rows as the gzipped TSV the package ships; returns the number of rows."""
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(
            "# name_a\tcountry_a\tname_b\tcountry_b\tlat_a\tlon_a\tlat_b\tlon_b"
            " (from Wikipedia's lists of twin towns; MIT)\n"
        )
        for row in sorted(set(rows)):
            out.write("\t".join(field.replace("\t", " ") for field in row) + "\n")
            count += 1
    return count


def read_index(data: bytes) -> list[tuple[str, ...]]:
    rows = []
    for line in io.TextIOWrapper(io.BytesIO(gzip.decompress(data)), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) in (4, 8):  # an index written before the points were added has 4
            rows.append(tuple(parts))
    return rows  # type: ignore[return-value]


@functools.cache
def load_knowledge() -> KnowledgeIndex:
    """The shipped index (built by `python scripts/build_knowledge.py`)."""
    resource = files("amity.data").joinpath(INDEX_FILE)
    if not resource.is_file():
        raise FileNotFoundError(f"the knowledge index {INDEX_FILE} is missing from amity/data: rebuild it with scripts/build_knowledge.py")
    return KnowledgeIndex(read_index(resource.read_bytes()))
