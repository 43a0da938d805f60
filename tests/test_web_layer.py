"""The map's compact layer (/map/layer.json, amity.web.layer): the same relations and places
as /api/relations.geojson in columns, the news relations and country counts in the same
answer, GeoNames populations for labels, and an ETag, gzip and filters like the API's."""

from __future__ import annotations

import gzip
import json

import pytest

import web_data


@pytest.fixture(scope="module")
def client(tmp_path_factory, gazetteer):
    from fastapi.testclient import TestClient

    from amity.api import Settings, create_app
    from amity.registry import open_registry

    registry = open_registry(f"sqlite:///{tmp_path_factory.mktemp('layer') / 'amity.db'}")
    web_data.fill(registry)
    with TestClient(create_app(Settings(registry=registry, warm_map=False))) as client:
        yield client
    registry.close()


def columns_as_rows(block: dict) -> list[dict]:
    keys = list(block)
    return [dict(zip(keys, values, strict=True)) for values in zip(*block.values(), strict=True)]


def test_layer_holds_what_the_geojson_holds(client):
    layer = client.get("/map/layer.json").json()
    geojson = client.get("/api/relations.geojson").json()
    points = {f["id"]: f for f in geojson["features"] if f["geometry"]["type"] == "Point"}
    lines = {f["id"]: f for f in geojson["features"] if f["geometry"]["type"] == "LineString"}
    places = columns_as_rows(layer["places"])
    assert {p["id"] for p in places} == set(points)
    for place in places:
        point = points[place["id"]]
        assert [place["lon"], place["lat"]] == point["geometry"]["coordinates"]
        assert (place["name"], place["c"], place["n"]) == tuple(
            point["properties"][k] for k in ("name", "c", "n")
        )
    codes = layer["codes"]
    relations = columns_as_rows(layer["lines"])
    assert [r["id"] for r in relations] == sorted(lines)
    for relation in relations:
        properties = lines[relation["id"]]["properties"]
        assert (relation["a"], relation["b"]) == (properties["a"], properties["b"])
        assert codes["s"][relation["s"]] == properties["s"]
        assert (codes["t"][relation["t"]] if relation["t"] is not None else None) == properties.get(
            "t"
        )
        assert relation["e"] == properties.get("e")
    assert (
        layer["counts"]
        == {
            "places": len(points),
            "relations": len(lines),
            "news": len(layer["news"]),
        }
        == {**geojson["counts"], "news": web_data.EXPECTED_LINES}
    )
    # which lines are in the news: the relations source=news selects
    news = client.get("/api/relations.geojson?source=news").json()
    assert layer["news"] == sorted(
        f["id"] for f in news["features"] if f["geometry"]["type"] == "LineString"
    )


def test_layer_counts_countries_and_knows_populations(client):
    layer = client.get("/map/layer.json").json()
    # relations touching each country: Lyon's two, Birmingham's one, ...
    assert layer["countries"]["FR"] == 2 and layer["countries"]["GB"] == 1
    assert layer["countries"]["CN"] == 2 and layer["countries"]["RU"] == 2
    population = dict(zip(layer["places"]["name"], layer["places"]["pop"], strict=True))
    assert population["Saint Petersburg"] > population["Turku"] > 100_000
    assert population["Changchun"] > 1_000_000
    assert population[web_data.EVIL_PLACE.name] == 0  # no geonameid: unknown


def test_layer_filters_like_the_api_and_refuses_bad_ones(client):
    layer = client.get("/map/layer.json?country=FR").json()
    assert layer["counts"]["relations"] == 2
    assert set(layer["places"]["c"]) == {"FR", "GB", "ZZ"}
    assert client.get("/map/layer.json?status=suspended").json()["counts"]["relations"] == 1
    for bad in ("country=X1", "year_from=2000&year_to=1990", "status=asleep"):
        response = client.get(f"/map/layer.json?{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"]


def test_layer_etag_and_gzip(client):
    first = client.get("/map/layer.json", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip" and first.headers["etag"]
    assert "no-cache" in first.headers["cache-control"]
    plain = client.get("/map/layer.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert json.loads(plain.content) == first.json()
    again = client.get("/map/layer.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    filtered = client.get("/map/layer.json?country=FR")
    assert filtered.headers["etag"] != first.headers["etag"]
    # the stored body is the gzip of the plain one
    from amity.web.layer import _CACHE

    assert any(gzip.decompress(layer.gzipped) == layer.body for layer in _CACHE.values())


def test_map_page_preloads_the_layer_it_asks_for(client):
    page = client.get("/?country=KR&status=active&place=3&at=5/36/128").text
    assert 'rel="preload" href="/map/layer.json?country=KR&amp;status=active"' in page
    assert 'href="/map/layer.json"' in client.get("/").text
