"""The hand-checked mention set (tests/fixtures/geocoding/mentions.jsonl) through the real resolver.

Each line is a place mention from our fixture articles or the seeds, with the context the
article gives and a gold GeoNames id checked by hand against cities500. A null gold id is
an admin1 region or a district cities500 lacks: right when no id is given and the country
(and gold admin1) agree. benchmarks/geocoding.py prints the same figures with the misses.
"""

from __future__ import annotations

import json

import pytest

from amity.resolve import PlaceContext
from shared_paths import FIXTURES

MENTIONS = FIXTURES / "geocoding" / "mentions.jsonl"
# Measured: 187/188 exact (the miss: "Saint-Pol" with no country -> Saint-Pol-sur-Mer, not
# Saint-Pol-de-Léon), 188/188 country. The issue asks for >= 0.95 and >= 0.995.
EXACT_FLOOR = 0.95
COUNTRY_FLOOR = 0.995
CONTEXT_KEYS = {"country", "admin1", "partner_country", "kind", "parent", "article_countries"}


def read_mentions() -> list[dict]:
    with MENTIONS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_exact(place, mention: dict) -> bool:
    if mention["geonameid"] is not None:
        return place.geonameid == mention["geonameid"]
    admin1 = mention.get("admin1")
    return (
        place.geonameid is None
        and place.country == mention["country"]
        and (admin1 is None or place.admin1 == admin1)
    )


def test_geocoding_set_is_well_formed():
    mentions = read_mentions()
    assert len(mentions) >= 150
    for m in mentions:
        assert m["name"] and set(m["context"]) <= CONTEXT_KEYS, m
        assert len(m["country"]) == 2 and m["country"].isupper(), m
        assert m["geonameid"] is None or isinstance(m["geonameid"], int), m
        assert m["note"], m


def test_geocoding_set_gold_ids_exist_in_gazetteer(gazetteer):
    ids = {m["geonameid"] for m in read_mentions()} - {None}
    rows = gazetteer._db.execute(
        f"SELECT geonameid, country FROM places WHERE geonameid IN ({','.join('?' * len(ids))})",
        sorted(ids),
    ).fetchall()
    assert {gid for gid, _ in rows} == ids


def test_geocoding_set_meets_accuracy_floors(resolver):
    mentions = read_mentions()
    exact = country = 0
    misses = []
    for m in mentions:
        context = PlaceContext(**{k: v for k, v in m["context"].items() if v is not None})
        place = resolver.resolve(m["name"], context)
        exact += is_exact(place, m)
        country += place.country == m["country"]
        if not is_exact(place, m):
            misses.append((m["name"], place.canonical, place.country, place.geonameid))
    assert exact / len(mentions) >= EXACT_FLOOR, misses
    assert country / len(mentions) >= COUNTRY_FLOOR, misses


@pytest.mark.parametrize(
    ("name", "context", "geonameid"),
    [
        (
            "Hongkou (Shanghai)",
            PlaceContext(country="CN"),
            1808090,
        ),  # Hongkou, Shanghai (31.25, 121.49)
        (
            "Izumi, Osaka",
            PlaceContext(country="JP"),
            1861107,
        ),  # Izumi, Osaka Prefecture (34.48, 135.42)
        (
            "Oberursel (Taunus)",
            PlaceContext(country="DE"),
            2858738,
        ),  # Oberursel, Hesse (50.21, 8.58)
    ],
)
def test_resolve_name_with_qualifier(resolver, name, context, geonameid):
    assert resolver.resolve(name, context).geonameid == geonameid


def test_geocoding_benchmark_exits_1_without_shared(tmp_path):
    """benchmarks/geocoding.py reads ../shared at run time; without it, it says so and
    exits 1 (it copies nothing from it into the repository)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "geocoding.py"
    env = {**os.environ, "AMITY_SHARED": str(tmp_path / "no-shared")}
    done = subprocess.run(
        [sys.executable, str(script), "--limit", "1"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "twin_cities.csv not found" in done.stderr
