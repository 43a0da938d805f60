"""The REST API over a registry filled through the library, on SQLite and PostgreSQL.

Read-only tests share one filled registry per backend (`shared`, module-scoped); tests that
write get a fresh one (`fresh_client`)."""

from __future__ import annotations

import importlib

import pytest
from fastapi.testclient import TestClient

import web_data
from amity.api import Settings, create_app
from conftest import BACKENDS
from shared_registry import module_registry

TOKEN = "s3cret-token"


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, tmp_path_factory):
    """(registry, filled) shared by the module's read-only tests, one per backend."""
    for registry in module_registry(request, tmp_path_factory):
        yield registry, web_data.fill(registry)


@pytest.fixture(scope="module")
def filled(shared):
    return shared[1]


@pytest.fixture(scope="module")
def client(shared):
    app = create_app(Settings(registry=shared[0], api_token=TOKEN, max_body_bytes=20_000))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def readonly_client(shared):
    with TestClient(create_app(Settings(registry=shared[0]))) as client:
        yield client


@pytest.fixture
def fresh(registry, make_article):
    """A registry of its own, filled: for tests that write."""
    return registry, web_data.fill(registry, make_article)


@pytest.fixture
def fresh_client(fresh):
    app = create_app(Settings(registry=fresh[0], api_token=TOKEN, max_body_bytes=20_000))
    with TestClient(app) as client:
        yield client


def auth(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


# --- reads ---------------------------------------------------------------------------------


def test_api_relations_lists_every_pair_with_total(client):
    page = client.get("/api/relations").json()
    assert page["total"] == 5 and len(page["items"]) == 5
    names = [(item["a"]["name"], item["b"]["name"]) for item in page["items"]]
    assert names == sorted(names)  # sorted by a, then b


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "kr"}, {"Changchun-Ulsan"}),
        ({"tier": "friendly"}, {"Changchun-Novosibirsk"}),
        ({"status": "suspended"}, {"Saint Petersburg-Turku"}),
        ({"event": "anniversary"}, {"Changchun-Ulsan"}),
        ({"year_from": 1990, "year_to": 1999}, {"Changchun-Ulsan"}),
        ({"year_from": 2022, "year_to": 2022}, {"Saint Petersburg-Turku"}),
        ({"q": "novosib"}, {"Changchun-Novosibirsk"}),
        ({"place": "Changchun"}, {"Changchun-Ulsan", "Changchun-Novosibirsk"}),
    ],
)
def test_api_relations_filters(client, params, expected):
    page = client.get("/api/relations", params=params).json()
    found = {"-".join(sorted((i["a"]["name"], i["b"]["name"]))) for i in page["items"]}
    assert found == expected
    assert page["total"] == len(expected)


def test_api_relations_pagination_and_sort(client):
    first = client.get("/api/relations", params={"limit": 2, "sort": "-established"}).json()
    assert first["total"] == 5 and len(first["items"]) == 2
    everything = client.get("/api/relations", params={"sort": "-established"}).json()["items"]
    years = [i["established"] for i in everything]
    known = [y for y in years if y is not None]
    assert known == sorted(known, reverse=True) and years[: len(known)] == known  # None last
    rest = client.get(
        "/api/relations", params={"limit": 2, "offset": 2, "sort": "-established"}
    ).json()
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert ids == [i["id"] for i in everything[:4]]


@pytest.mark.parametrize("sort", ["a", "-a", "b", "-b", "established", "-last_event", "id"])
def test_api_relations_plans_agree(shared, monkeypatch, sort):
    """list_relations sorts a few matches in the database and reads many off the registry's
    whole order (kept per version): both give the same pages and total."""
    registry = shared[0]
    # the module, not the function `queries.relations` that the package exports
    queries = importlib.import_module("amity.registry.queries.relations")
    filters = [
        {},
        {"status": "active"},
        {"tier": "sister"},
        {"country": "CN"},
        {"place": "Changchun"},
        {"year_from": 1990, "year_to": 2030},
        {"q": "an"},
    ]
    with registry.session() as session:
        for where in filters:
            pages = []
            for few in (2_000, 0, 10**9):  # as shipped, always the whole order, always SQL
                monkeypatch.setattr(queries, "SORT_FEW", few)
                pages.append(
                    [
                        queries.list_relations(session, sort=sort, limit=2, offset=o, **where)
                        for o in (0, 2, 4)
                    ]
                )
            assert pages[0] == pages[1] == pages[2], where
            assert pages[0][0]["total"] >= 1


def test_api_place_has_partners_timeline_and_sources(client, filled):
    changchun = filled["places"]["Changchun"]
    view = client.get(f"/api/places/{changchun}").json()
    assert view["place"]["name"] == "Changchun"
    partners = {p["partner"]["name"]: p for p in view["partners"]}
    assert set(partners) == {"Ulsan", "Novosibirsk"}
    ulsan = partners["Ulsan"]
    assert ulsan["established"] == 1994 and ulsan["sources"] == ["news"]
    timeline = [(e["event_date"], e["event"]) for e in ulsan["news"]]
    assert timeline == [("1994", "agreement"), ("2024-05-24", "anniversary")]
    assert ulsan["news"][1]["evidence"] == [web_data.ANNIVERSARY]
    assert ulsan["news"][1]["article"]["url"] == "https://news.example/changchun-ulsan-30"


def test_api_article_segments_mark_the_evidence(client, filled):
    article_id = filled["articles"][1]
    article = client.get(f"/api/articles/{article_id}").json()
    marked = [s for s in article["segments"] if s["evidence"]]
    assert [s["text"] for s in marked] == [web_data.ANNIVERSARY]
    assert "".join(s["text"] for s in article["segments"]).startswith("Anniversary in Changchun.")
    assert article["facts"][0]["event"] == "anniversary"


def test_api_article_payload_is_returned_as_plain_text(client, filled):
    article = client.get(f"/api/articles/{filled['articles'][-1]}").json()
    text = "".join(s["text"] for s in article["segments"])
    assert web_data.SCRIPT in text and web_data.IMG in text  # data, not markup: JSON keeps it


def test_api_search_prefix_and_fuzzy(client):
    prefix = client.get("/api/search", params={"q": "uls"}).json()
    assert prefix["places"][0]["name"] == "Ulsan" and prefix["places"][0]["match"] == "prefix"
    fuzzy = client.get("/api/search", params={"q": "Ulsn"}).json()
    assert fuzzy["places"] and fuzzy["places"][0]["name"] == "Ulsan"
    assert fuzzy["places"][0]["match"] == "fuzzy"
    pair = client.get("/api/search", params={"q": "Changchun - Ulsan"}).json()
    assert [(r["a"]["name"], r["b"]["name"]) for r in pair["relations"]] in (
        [("Changchun", "Ulsan")],
        [("Ulsan", "Changchun")],
    )


def test_api_stats_aggregates(client):
    data = client.get("/api/stats").json()
    assert data["totals"]["relations"]["total"] == 5
    years = {row["year"]: row for row in data["per_year"]}
    assert years[1994]["established"] == 1 and years[2024]["news_events"] == 1
    countries = data["matrix"]["countries"]
    assert "CN" in countries and "KR" in countries
    i, j = countries.index("CN"), countries.index("KR")
    assert data["matrix"]["counts"][i][j] == data["matrix"]["counts"][j][i] == 1
    assert data["hubs"][0]["partners"] == 2  # Changchun or Lyon


def test_api_geojson_points_then_lines(client):
    response = client.get("/api/relations.geojson")
    assert response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds.count("Point") == web_data.EXPECTED_PLACES
    assert kinds.count("LineString") == web_data.EXPECTED_LINES
    assert kinds == sorted(kinds, key=lambda k: k != "Point")
    filtered = client.get("/api/relations.geojson", params={"status": "suspended"}).json()
    assert filtered["counts"] == {"places": 2, "relations": 1}


def test_api_geojson_is_gzipped_when_asked(client):
    response = client.get("/api/relations.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200  # small here; the middleware compresses >= 2 kB


# --- validation: clear 4xx JSON, never 500 ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/relations?limit=0",
        "/api/relations?limit=100000",
        "/api/relations?sort=drop table",
        "/api/relations?status=maybe",
        "/api/relations?country=China",
        "/api/relations?year_from=abc",
        "/api/relations?year_from=2000&year_to=1990",
        "/api/relations?q=%00",
        "/api/places/0",
        "/api/places/abc",
        "/api/places/99999999999999999999",
        "/api/articles/-1",
        "/api/search",
        "/api/search?q=",
        "/api/search?q=a%00b",
        "/api/relations.geojson?tier=cousin",
    ],
)
def test_api_bad_requests_are_4xx_json(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text
    assert "detail" in response.json()


def test_api_missing_ids_are_404(client):
    for url in ("/api/places/999999", "/api/articles/999999", "/api/relations/999999"):
        response = client.get(url)
        assert response.status_code == 404 and "detail" in response.json()


# --- writes ------------------------------------------------------------------------------


def test_api_writes_are_disabled_without_a_token(readonly_client, filled):
    relation_id = next(iter(filled["relations"].values()))
    response = readonly_client.post(
        f"/api/relations/{relation_id}/review", json={"verdict": "confirm"}, headers=auth()
    )
    assert response.status_code == 403
    assert readonly_client.post("/api/articles", json={"text": "x"}).status_code == 403


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": "Basic abc"}])
def test_api_writes_need_the_right_token(client, filled, headers):
    relation_id = next(iter(filled["relations"].values()))
    response = client.post(
        f"/api/relations/{relation_id}/review", json={"verdict": "confirm"}, headers=headers
    )
    assert response.status_code in (401, 403)


def test_api_review_is_stored_applied_and_shown(fresh_client, fresh):
    client, filled = fresh_client, fresh[1]
    before = client.get("/api/relations", params={"review": "correct"}).json()
    assert before["total"] == 0  # cached now: the review must invalidate it
    relation_id = filled["relations"][frozenset({"Turku", "Saint Petersburg"})]
    response = client.post(
        f"/api/relations/{relation_id}/review",
        json={
            "verdict": "correct",
            "corrected": {"status": "terminated"},
            "note": "ended in 2023",
            "reviewer": "ana",
        },
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["before"]["status"] == "suspended" and review["corrected"] == {
        "status": "terminated"
    }
    relation = client.get(f"/api/relations/{relation_id}").json()
    assert relation["status"] == "terminated" and relation["review"] == "correct"
    assert relation["reviews"][0]["note"] == "ended in 2023"
    listed = client.get("/api/relations", params={"review": "correct"}).json()
    assert [i["id"] for i in listed["items"]] == [relation_id]


@pytest.mark.parametrize(
    "body",
    [
        {"verdict": "maybe"},
        {"verdict": "correct"},
        {"verdict": "confirm", "corrected": {"status": "active"}},
        {"verdict": "correct", "corrected": {"status": "gone"}},
        {"verdict": "correct", "corrected": {"established": 99999}},
        {"verdict": "correct", "corrected": {"name": "x"}},
        {"verdict": "confirm", "extra": 1},
    ],
)
def test_api_bad_reviews_are_422(client, filled, body):
    relation_id = next(iter(filled["relations"].values()))
    response = client.post(f"/api/relations/{relation_id}/review", json=body, headers=auth())
    assert response.status_code == 422, response.text


def test_api_review_of_a_missing_relation_is_404(client):
    response = client.post(
        "/api/relations/999999/review", json={"verdict": "confirm"}, headers=auth()
    )
    assert response.status_code == 404


def test_api_body_size_limit(client):
    big = {"text": "x" * 50_000}
    response = client.post("/api/articles", json=big, headers=auth())
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_api_bad_json_is_422(client):
    response = client.post(
        "/api/articles",
        content=b"{not json",
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_api_post_article_runs_the_pipeline(fresh_client, gazetteer):
    client = fresh_client
    text = "Lyon and Birmingham renewed their twinning agreement on 3 March 2023.\n"
    response = client.post(
        "/api/articles",
        json={"text": text, "url": "https://news.example/lyon", "published": "2023-03-04"},
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["status"] == "ok" and stored["events"] >= 1
    article = client.get(f"/api/articles/{stored['article_id']}").json()
    assert any(s["evidence"] for s in article["segments"])
    again = client.post("/api/articles", json={"text": text}, headers=auth()).json()
    assert again["status"] == "skipped"


def test_api_openapi_documents_every_route(client):
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
    assert "/api/relations.geojson" in spec["paths"]


def test_api_docs_page_uses_only_local_urls(tmp_path):
    """/docs is Swagger UI from the package (no CDN): every URL in it is local and served."""
    import re

    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}"))) as client:
        response = client.get("/docs")
        assert response.status_code == 200
        html = response.text
        assert "SwaggerUIBundle" in html
        assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+", html), "a remote URL in /docs"
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']|url:\s*'([^']+)'""", html)
        urls = [u for pair in urls for u in pair if u]
        assert "/openapi.json" in urls
        assert {u.rsplit("/", 1)[-1] for u in urls} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
        for url in urls:
            assert url.startswith("/"), url
            assert client.get(url).status_code == 200, url
        assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN: disabled


# --- search text is literal; caching ---------------------------------------------------------


@pytest.mark.parametrize("q", ["%", "_", "'", "%%", "%_%", "\\"])
def test_api_like_wildcards_in_q_are_literal(client, q):
    """`q` is part of a name: % and _ match themselves (no place here has them), not anything."""
    assert client.get("/api/relations", params={"q": q}).json()["total"] == 0
    assert client.get("/api/relations.geojson", params={"q": q}).json()["counts"]["relations"] == 0
    assert client.get("/api/relations", params={"q": "an"}).json()["total"] > 0


@pytest.mark.parametrize(
    "url",
    ["/api/relations.geojson", "/api/stats", "/api/relations?country=CN", "/api/search?q=uls"],
)
def test_api_reads_have_an_etag_and_answer_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_api_map_layer_is_gzipped_once_and_cached(client):
    plain = client.get("/api/relations.geojson", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/api/relations.geojson", headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("content-encoding") is None
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == plain.content
    assert zipped.headers["x-cache"] == "hit" and zipped.headers["etag"] == plain.headers["etag"]


def test_api_cache_sees_writes_of_other_processes(fresh, monkeypatch):
    """A write the server did not make (another process: here a raw DB connection, which
    fires no SQLAlchemy event) shows once the registry version is read again."""
    registry, filled = fresh
    app = create_app(Settings(registry=registry, cache_check_seconds=0))
    relation_id = filled["relations"][frozenset({"Lyon", "Birmingham"})]
    with TestClient(app) as client:
        assert client.get("/api/relations", params={"review": "reject"}).json()["total"] == 0
        assert client.get("/api/relations", params={"review": "reject"}).headers["x-cache"] == "hit"
        connection = registry.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(
                "INSERT INTO review (relation_id, verdict, created_at) VALUES "
                f"({relation_id}, 'reject', '2026-01-01 00:00:00')"
            )
            cursor.execute(f"UPDATE relation SET review = 'reject' WHERE id = {relation_id}")
            connection.commit()
        finally:
            connection.close()
        page = client.get("/api/relations", params={"review": "reject"}).json()
        assert [item["id"] for item in page["items"]] == [relation_id]
