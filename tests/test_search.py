"""Search by any name: GeoNames alternate names (exonyms, other scripts), St/Saint, accents
folded, misspellings; on SQLite and PostgreSQL, through the library and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

import web_data
from amity.api import Settings, create_app
from amity.registry.queries import search
from amity.registry.queries.names import search_keys
from amity.registry.store import ingest
from amity.types import Relation
from conftest import BACKENDS
from shared_registry import module_registry

MUNICH = web_data.place("Munich", "DE", 2867714, 48.13743, 11.57549)
MOSCOW = web_data.place("Moscow", "RU", 524901, 55.75222, 37.61556)
BEIJING = web_data.place("Beijing", "CN", 1816670, 39.9075, 116.39723)
MUMBAI = web_data.place("Mumbai", "IN", 1275339, 19.07283, 72.88261)
SAINT_PAUL = web_data.place("Saint Paul", "US", 5045360, 44.94441, -93.09327)
NAGASAKI = web_data.place("Nagasaki", "JP", 1856177, 32.75, 129.88333)
SAINT_ETIENNE = web_data.place("Saint-Étienne", "FR", 2980291, 45.43389, 4.39)
PAIRS = [
    (web_data.CHANGCHUN, web_data.ULSAN),
    (MUNICH, BEIJING),
    (MOSCOW, BEIJING),
    (MUMBAI, SAINT_PAUL),
    (SAINT_PAUL, NAGASAKI),
    (SAINT_ETIENNE, web_data.LYON),
]


@pytest.fixture(scope="module", params=BACKENDS)
def registry_with_places(request, tmp_path_factory, gazetteer):
    """The pairs above stored through the library; `gazetteer` builds the GeoNames index
    the alternate names come from."""
    for registry in module_registry(request, tmp_path_factory):
        articles = [
            web_data.make_article(
                f"{a.name} and {b.name} are sister cities (article {i}).",
                published=dt.date(2024, 1, 1 + i),
                relations=[Relation(a, b, event="mention", evidence=[f"{a.name} {b.name}"])],
            )
            for i, (a, b) in enumerate(PAIRS)
        ]
        ingest(registry, articles, extract=False)
        yield registry


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("München", "Munich"),
        ("Muenchen", "Munich"),
        ("Moskva", "Moscow"),
        ("Москва", "Moscow"),
        ("Peking", "Beijing"),
        ("Bombay", "Mumbai"),
        ("울산", "Ulsan"),
        ("ウルサン", "Ulsan"),
        ("St Paul", "Saint Paul"),
        ("St. Paul", "Saint Paul"),
        ("saint paul", "Saint Paul"),
        ("Saint Etienne", "Saint-Étienne"),
        ("st-etienne", "Saint-Étienne"),
        ("Ulsna", "Ulsan"),
        ("Chagchun", "Changchun"),
        ("uls", "Ulsan"),
    ],
)
def test_search_finds_a_place_by_any_name(registry_with_places, query, expected):
    with registry_with_places.session() as session:
        found = search(session, query)
    assert found["places"], query
    assert found["places"][0]["name"] == expected, [p["name"] for p in found["places"]]
    assert found["relations"]  # the best place's relations come with it


def test_search_says_how_a_place_matched(registry_with_places):
    with registry_with_places.session() as session:
        assert search(session, "Ulsan")["places"][0]["match"] == "exact"
        assert search(session, "Moskva")["places"][0]["match"] == "alternate"
        assert search(session, "Ulsna")["places"][0]["match"] == "fuzzy"


@pytest.mark.parametrize("query", ["%", "_", "'", "%%"])
def test_search_wildcards_find_nothing(registry_with_places, query):
    with registry_with_places.session() as session:
        assert search(session, query) == {"query": query, "places": [], "relations": []}


def test_api_search_by_exonym_and_pair(registry_with_places):
    with TestClient(create_app(Settings(registry=registry_with_places, warm_map=False))) as client:
        found = client.get("/api/search", params={"q": "Peking"}).json()
        assert found["places"][0]["name"] == "Beijing"
        pair = client.get("/api/search", params={"q": "München - Peking"}).json()
        assert [(r["a"]["name"], r["b"]["name"]) for r in pair["relations"]] in (
            [("Munich", "Beijing")],
            [("Beijing", "Munich")],
        )
        listed = client.get("/api/relations", params={"q": "st paul"}).json()
        assert listed["total"] == 2  # q folds St/Saint too


def test_search_keys_fold_saints_scripts_and_accents():
    assert search_keys("St. Paul") == ["saint paul", "st paul"]
    assert search_keys("Sainte-Foy") == ["sainte foy", "ste foy"]
    assert search_keys("Zürich") == ["zurich"]
    assert search_keys("Москва") == ["москва", "moskva"]
    assert search_keys("%") == []
