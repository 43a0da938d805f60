"""Reconciliation (amity.analysis.reconcile, `amity reconcile`, /api/reconcile) on the seeds
+ news-dev + Wikipedia list + our Wikidata sample registry (analysis_registry)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from amity.analysis.reconcile import (
    CATEGORIES,
    DOUBTFUL_KM,
    doubts,
    haversine_km,
    reconcile,
    reconcile_counts,
)
from amity.api import Settings, create_app
from amity.cli import app
from amity.registry import open_registry
from analysis_registry import news_registry_url


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    return news_registry_url(tmp_path_factory)


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def pairs(entries) -> dict[frozenset[str], dict]:
    return {frozenset((e["a"]["name"], e["b"]["name"])): e for e in entries}


@pytest.fixture(scope="module")
def against_list(url):
    return json.loads(run("reconcile", "--against", "wikipedia-list", "--db", url, "-f", "json"))


@pytest.fixture(scope="module")
def against_all(url):
    with open_registry(url) as registry, registry.session() as session:
        return reconcile(session)


def test_the_packaged_list_is_the_shared_reference():
    """The issue's registry imports ../shared/reference/twin_cities.csv; the analysis
    registry imports the copy amity ships: the same bytes."""
    import gzip

    from amity.registry.reference import WIKIPEDIA_LIST
    from shared_paths import require_shared

    shared = require_shared("reference/twin_cities.csv").read_bytes()
    assert gzip.decompress(WIKIPEDIA_LIST.read_bytes()) == shared


def test_reconcile_news_pairs_in_no_reference_are_new(against_list):
    new = pairs(against_list["new"])
    for pair in ({"Bor", "Longyan"}, {"Binzhou", "Goyang-si"}):
        entry = new[frozenset(pair)]
        assert entry["evidence"]["sentence"]  # with its evidence ...
        assert entry["evidence"]["article"]["id"]  # ... and article
        assert "wikipedia-list" not in entry["sources"]
    assert frozenset(("Changchun", "Ulsan")) not in new


def test_reconcile_changchun_ulsan_is_known_with_its_year(against_list, against_all):
    # Wikipedia's list gives no years: the news year (1994, from the 30th anniversary
    # in 2024) stands unopposed ...
    entry = pairs(against_list["known"])[frozenset(("Changchun", "Ulsan"))]
    assert entry["established"] == 1994
    assert entry["year"]["standing"] == "reference-silent"
    assert entry["year"]["news"][0]["year"] == 1994
    assert entry["references"] == {"wikipedia-list": {"start_year": None, "end_year": None}}
    # ... and Wikidata's start time (P580) of 1994 matches it
    entry = pairs(against_all["known"])[frozenset(("Changchun", "Ulsan"))]
    assert entry["year"]["standing"] == "match"
    assert entry["year"]["reference"] == {"wikipedia-list": None, "wikidata": 1994}
    assert entry not in against_all["year_conflicts"]


def test_reconcile_counts_every_category(against_list, against_all):
    for report in (against_list, against_all):
        counts = report["counts"]
        for name in ("new", "known", "ended", "year_conflicts", "one_sided", "doubtful", "claims"):
            assert counts[name] == len(report[name])
        assert counts["new"] + counts["known"] == counts["news_relations"]
    assert against_list["counts"]["reference_only"] > 20_000
    assert against_list["against"] == ["wikipedia-list"]


def test_stats_prints_the_count_of_each_category(url, against_list, against_all):
    """`amity stats` carries reconcile's counts (against every reference), as JSON and as
    table rows: the same numbers as the reconcile report's lists."""
    with open_registry(url) as registry, registry.session() as session:
        assert reconcile_counts(session, ("wikipedia-list",)) == against_list["counts"]
    data = json.loads(run("stats", "--db", url, "--format", "json"))
    counts = data["reconciliation"]
    assert counts == against_all["counts"]
    assert counts["new"] >= 2 and counts["known"] >= 1 and counts["one_sided"] == 1
    table = run("stats", "--db", url)
    for name in (*CATEGORIES, "news_relations", "reference_only"):
        label = "reconciliation " + name.replace("_", " ")
        (shown,) = re.findall(rf"{label}\W+(\d+)", table)
        assert int(shown) == counts[name], name


def test_reconcile_ended_in_news_but_listed_active(against_list):
    assert against_list["ended"]
    for entry in against_list["ended"]:
        assert entry["status"] in ("suspended", "terminated")
        assert entry["listed_active_in"] == ["wikipedia-list"]
        assert entry["evidence"]["event"] in ("suspension", "termination")


def test_reconcile_one_sided_and_far_wikidata_rows(against_all):
    one_sided = pairs(against_all["one_sided"])
    assert set(one_sided) == {frozenset(("Ulsan", "Houston"))}  # Changchun–Ulsan: both items
    doubtful = pairs(e for e in against_all["doubtful"] if e["source"] == "wikidata")
    assert set(doubtful) == {frozenset(("Ulsan", "Houston"))}
    (reason,) = doubtful[frozenset(("Ulsan", "Houston"))]["reasons"]
    assert reason.startswith("far: Houston listed 111 km from Houston")


def place(name, country, lat, lon, *, geonameid=1, admin1=None, kind="city"):
    return dict(
        id=geonameid, name=name, country=country, admin1=admin1, geonameid=geonameid,
        lat=lat, lon=lon, kind=kind,
    )  # fmt: skip


def test_doubts_of_a_reference_row():
    changchun = place("Changchun", "CN", 43.88, 125.32, admin1="Jilin", geonameid=2)
    jilin = place("Jilin", "CN", 43.5, 126.0, kind="province", geonameid=3)
    raw = {"city1": "Changchun", "lat1": 43.88, "lng1": 125.32, "city2": "Jilin", "lat2": 43.5}
    row = {"source": "wikipedia-list", "a": changchun, "b": jilin, "raw": {**raw, "lng2": 126.0}}
    assert doubts(row) == ["own province: Changchun in Jilin"]
    # the row's points are matched to the nearer side, whichever order they are listed in
    swapped = {"city1": "Jilin", "lat1": 43.5, "lng1": 126.0, "city2": "Changchun", "lat2": 44.5}
    row = {**row, "b": {**jilin, "kind": "city"}, "raw": {**swapped, "lng2": 125.32}}
    km = haversine_km(43.88, 125.32, 44.5, 125.32)
    assert km > DOUBTFUL_KM
    assert doubts(row) == [f"far: Changchun listed {km:.0f} km from Changchun"]
    unresolved = {**jilin, "geonameid": None, "name": "Changchun"}
    row = {"source": "wikipedia-list", "a": changchun, "b": unresolved, "raw": {}}
    assert doubts(row) == ["unresolved: Changchun (CN)", "self: Changchun with itself"]


def test_reconcile_claimed_vs_known(against_list):
    national = [
        c for c in against_list["claims"] if c["scope"] == "national" and c["subject"] == "CN"
    ]
    assert national
    for claim in national:
        assert claim["known"] > 1000  # relations with a Chinese side, news and list
        assert claim["gap"] == claim["claimed"] - claim["known"]


def test_reconcile_cli_table_and_csv(url):
    table = run("reconcile", "--against", "wikipedia-list", "--db", url)
    assert "news relations" in table and "year conflicts" in table
    assert "Bor (RS)" in table and "Longyan (CN)" in table
    rows = list(csv.DictReader(io.StringIO(run("reconcile", "--db", url, "--format", "csv"))))
    new = {(r["a"], r["b"]) for r in rows if r["category"] == "new"}
    assert ("Bor", "Longyan") in new and ("Binzhou", "Goyang-si") in new
    known = [r for r in rows if r["category"] == "known" and r["a"] == "Changchun"]
    assert any("established match: news 1994" in r["detail"] for r in known)


def test_reconcile_api(url):
    with open_registry(url) as registry:
        with TestClient(create_app(Settings(registry=registry))) as client:
            response = client.get("/api/reconcile", params={"against": "wikipedia-list"})
            assert response.status_code == 200
            body = response.json()
            assert frozenset(("Bor", "Longyan")) in pairs(body["new"])
            assert body["counts"]["new"] == len(body["new"])
            assert client.get("/api/reconcile", params={"against": "dbpedia"}).status_code == 422


def test_reconcile_on_each_backend(registry):
    """web_data's news relations and our Wikidata sample, on SQLite and PostgreSQL: the
    Wikidata start year (1994) matches the news one, Ulsan–Houston is one-sided and far."""
    import web_data
    from amity.registry.reference import import_wikidata
    from analysis_registry import WIKIDATA

    web_data.fill(registry)
    import_wikidata(registry, WIKIDATA)
    with registry.session() as session:
        report = reconcile(session, ("wikidata",))
    entry = pairs(report["known"])[frozenset(("Changchun", "Ulsan"))]
    assert entry["year"]["standing"] == "match"
    assert frozenset(("Lyon", "Birmingham")) in pairs(report["new"])
    assert set(pairs(report["one_sided"])) == {frozenset(("Ulsan", "Houston"))}
    assert report["counts"]["reference_only"] == 1  # Ulsan–Houston
