"""Gazetteer index and name keys against the real GeoNames data."""

from __future__ import annotations

import csv
import time
from importlib.resources import files

import pytest
from rapidfuzz import fuzz

from amity.gazetteer import Gazetteer
from amity.gazetteer.index import FUZZY_THRESHOLD, cache_path
from amity.gazetteer.names import normalize, squash, strip_generic, variants


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Goyang-si", "goyang si"),
        ("  São  Paulo ", "sao paulo"),
        ("Xi'an", "xian"),
        ("Stavropol'", "stavropol"),
        ("ZÜRICH", "zurich"),
        ("Kraków", "krakow"),
        ("", ""),
    ],
)
def test_names_normalize(text, key):
    assert normalize(text) == key


def test_names_strip_generic_and_variants():
    assert strip_generic("hubei province") == "hubei"
    assert strip_generic("state of jalisco") == "jalisco"
    assert strip_generic("changning district") == "changning"
    assert "saint petersburg" in variants("st petersburg")


@pytest.mark.parametrize(
    ("a", "b", "country"),
    [
        ("Pusan", "Busan", "KR"),
        ("Kyongju", "Gyeongju", "KR"),
        ("Pogranichnyj", "Pogranichnyy", "RU"),
        ("Nizhniy Novgorod", "Nizhny Novgorod", "RU"),
        ("Hsinchu", "Xinchu", "TW"),
    ],
)
def test_names_squash_romanisations_agree(a, b, country):
    assert squash(normalize(a), country) == squash(normalize(b), country)


def test_fuzzy_threshold_keeps_real_misspellings():
    pairs = [
        ("Pogranic Nei", "Pogranichnyy", "RU"),
        ("Rybynsk", "Rybinsk", "RU"),
        ("Hangzou", "Hangzhou", "CN"),
        ("Chelyabinks", "Chelyabinsk", "RU"),
    ]
    for wrong, right, country in pairs:
        score = fuzz.ratio(squash(normalize(wrong), country), squash(normalize(right), country))
        assert score >= FUZZY_THRESHOLD, (wrong, score)


def test_gazetteer_lookup_best_first(gazetteer):
    top = gazetteer.lookup("Longyan")[0]
    assert (top.geonameid, top.country, top.admin1, top.kind, top.match) == (
        1802276,
        "CN",
        "Fujian",
        "city",
        "name",
    )
    assert gazetteer.lookup("Kiev")[0].name == "Kyiv"
    assert gazetteer.lookup("Canton")[0].name == "Guangzhou"


def test_gazetteer_lookup_variants_and_fuzzy(gazetteer):
    assert gazetteer.lookup("Chongzuo City")[0].match == "variant"
    assert gazetteer.lookup("Goyang-si")[0].country == "KR"
    fuzzy = gazetteer.lookup("Pogranic Nei", country="RU")
    assert fuzzy[0].geonameid == 2017851 and fuzzy[0].match == "fuzzy"


def test_gazetteer_lookup_country_filter_and_kinds(gazetteer):
    assert {c.country for c in gazetteer.lookup("Springfield", country="US")} == {"US"}
    assert gazetteer.lookup("Hubei Province")[0].kind == "province"
    assert any(c.kind == "country" for c in gazetteer.lookup("Britain"))
    # a country given by name or in lower case works like its ISO2 code
    assert gazetteer.lookup("Cambridge", country="UK")[0].country == "GB"
    assert gazetteer.lookup("Bor", country="Serbia")[0].geonameid == 792456
    assert gazetteer.lookup("Bor", country="rs")[0].geonameid == 792456


@pytest.mark.parametrize("odd", ["", " ", "—", "\x00", "a" * 1000, "'''", "🙂"])
def test_gazetteer_lookup_never_raises(gazetteer, odd):
    assert isinstance(gazetteer.lookup(odd), list)
    assert gazetteer.country_code(odd) is None
    assert isinstance(gazetteer.is_place_name(odd), bool)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CN"),
        ("People's Republic of China", "CN"),
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("Chinese", "CN"),
        ("Belarus", "BY"),
        ("Russia's", "RU"),
        ("Serbian", "RS"),
        ("US", "US"),
        ("U.S.", "US"),
        ("the United States", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Türkiye", "TR"),
        ("Ivory Coast", "CI"),
        ("ROK", "KR"),
        ("North Korean", "KP"),
        ("us", None),
        ("Springfield", None),
        ("New Mexico", None),
    ],
)
def test_gazetteer_country_code(gazetteer, text, code):
    assert gazetteer.country_code(text) == code


def test_gazetteer_country_codes_in(gazetteer):
    assert gazetteer.country_codes_in("Serbian-Chinese friendship") == ["RS", "CN"]
    text = (
        "Talks between the U.S. and Russia's envoy; South Korean and North Korean cities; tell us"
    )
    assert gazetteer.country_codes_in(text) == ["US", "RU", "KR", "KP"]
    assert gazetteer.country_codes_in("a fair in New Mexico") == []


def test_gazetteer_country_name_and_admin1(gazetteer):
    assert gazetteer.country_name("KR") == "South Korea"
    assert gazetteer.admin1_of("Fujian") == [("CN", "Fujian")]
    assert gazetteer.admin1_of("Gyeonggi province") == [("KR", "Gyeonggi-do")]
    assert gazetteer.admin1_of("Guangxi Zhuang Autonomous Region") == [("CN", "Guangxi")]
    assert ("US", "Illinois") in gazetteer.admin1_of("Illinois", "US")
    assert gazetteer.admin1_of("Primorsky Krai") == [("RU", "Primorsky Krai")]


def test_gazetteer_is_place_name(gazetteer):
    assert all(
        map(gazetteer.is_place_name, ["Paris", "Longyan", "Goyang-si", "Gyeonggi", "Myanmar"])
    )
    assert not any(map(gazetteer.is_place_name, ["Chinese", "Sister", "Monday", "The", "x"]))


def test_gazetteer_warm_start_is_fast(gazetteer):
    started = time.perf_counter()
    Gazetteer(gazetteer.path)
    assert time.perf_counter() - started < 2.0


def test_gazetteer_cache_is_versioned(gazetteer, monkeypatch, tmp_path):
    assert gazetteer.path == cache_path()
    assert "-v" in gazetteer.path.name and "gnc" in gazetteer.path.name
    monkeypatch.setenv("AMITY_CACHE_DIR", str(tmp_path))
    assert cache_path().parent == tmp_path


def test_admin1_table_is_well_formed():
    path = files("amity.data").joinpath("gazetteer/admin1.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 1000 < len(rows) < 10000
    assert len({(r["country"], r["admin1code"]) for r in rows}) == len(rows)
    assert all(len(r["country"]) == 2 and r["name"] for r in rows)
