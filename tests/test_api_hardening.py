"""The API under hostile use: one error shape for every 4xx (as docs/api.md and the OpenAPI
say), security headers that the pages live with (checked in real Chromium), HEAD, the
access log, and POSTed articles read exactly as `amity ingest` reads a JSONL line."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

import web_data
from amity.api import Settings, create_app
from amity.api.errors import ErrorResponse
from amity.registry import open_registry
from amity.registry.models import ArticleRow, RelationRow

TOKEN = "hardening-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    opened = open_registry(f"sqlite:///{tmp_path_factory.mktemp('api') / 'amity.db'}")
    web_data.fill(opened)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(registry, gazetteer):
    app = create_app(
        Settings(registry=registry, api_token=TOKEN, max_body_bytes=20_000, warm_map=False)
    )
    with TestClient(app) as client:
        yield client


def error_of(response, status: int) -> ErrorResponse:
    """The body, checked against the one documented shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = TypeAdapter(ErrorResponse).validate_python(response.json(), strict=True)
    assert set(response.json()) == {"detail", "errors"}
    assert body.detail and body.errors and all(e.msg and e.type for e in body.errors)
    return body


# --- one error shape ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "kind"),
    [
        ("GET", "/api/places/999999", {}, 404, "not_found"),
        ("GET", "/api/articles/999999", {}, 404, "not_found"),
        ("GET", "/api/no-such-route", {}, 404, "not_found"),
        ("GET", "/api/relations?limit=0", {}, 422, "greater_than_equal"),
        ("GET", "/api/relations?year_from=2000&year_to=1990", {}, 422, None),
        ("GET", "/api/places/abc", {}, 422, None),
        ("DELETE", "/api/relations", {}, 405, "method_not_allowed"),
        ("POST", "/api/articles", {"json": {"text": "x"}}, 401, "unauthorized"),
        ("POST", "/api/articles", {"json": {"text": "x"}, "headers": {"Authorization": "Bearer no"}}, 401, "unauthorized"),
        ("POST", "/api/articles", {"json": {"text": "a", "html": "b"}, "headers": AUTH}, 422, "invalid"),
        ("POST", "/api/articles", {"json": {"text": "a", "extra": 1}, "headers": AUTH}, 422, "extra_forbidden"),
        ("POST", "/api/articles", {"content": b"{not json", "headers": {**AUTH, "Content-Type": "application/json"}}, 422, None),
        ("POST", "/api/articles", {"content": b"x" * 30_000, "headers": {**AUTH, "Content-Type": "application/json"}}, 413, "too_large"),
        ("POST", "/api/relations/999999/review", {"json": {"verdict": "confirm"}, "headers": AUTH}, 404, None),
        ("POST", "/api/relations/1/review", {"json": {"verdict": "maybe"}, "headers": AUTH}, 422, None),
    ],
)  # fmt: skip
def test_every_4xx_has_the_documented_shape(client, method, url, kwargs, status, kind):
    body = error_of(client.request(method, url, **kwargs), status)
    if kind is not None:
        assert body.errors[0].type == kind
    assert body.errors[0].msg in body.detail  # detail sums the problems up in one line


def test_a_validation_error_lists_each_field_and_says_where(client):
    body = error_of(client.get("/api/relations", params={"limit": 0, "offset": -1}), 422)
    assert sorted(tuple(e.loc) for e in body.errors) == [("query", "limit"), ("query", "offset")]
    assert body.detail.startswith("query.") and "(and 1 more)" in body.detail


def test_writes_disabled_is_403_in_the_same_shape(registry):
    app = create_app(Settings(registry=registry, warm_map=False))
    with TestClient(app) as client:
        body = error_of(client.post("/api/articles", json={"text": "x"}), 403)
    assert body.errors[0].type == "forbidden" and "AMITY_API_TOKEN" in body.detail


def test_openapi_declares_the_error_responses_with_their_schema(client):
    spec = client.get("/openapi.json").json()
    schema = spec["components"]["schemas"]["ErrorResponse"]
    assert set(schema["required"]) == {"detail", "errors"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # replaced everywhere
    ref = {"$ref": "#/components/schemas/ErrorResponse"}

    def codes(path, method):
        responses = spec["paths"][path][method]["responses"]
        for code, response in responses.items():
            if code.startswith("4"):
                assert response["content"]["application/json"]["schema"] == ref, (path, code)
        return {code for code in responses if code.startswith("4")}

    assert codes("/api/articles", "post") == {"400", "401", "403", "413", "422"}
    assert codes("/api/relations/{relation_id}/review", "post") >= {"401", "404", "413", "422"}
    assert codes("/api/places/{place_id}", "get") == {"400", "404", "422"}
    assert codes("/api/relations", "get") == {"400", "422"}


# --- headers, HEAD, access log --------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/stats", "/api/stats", "/api/relations.geojson", "/static/app.js", "/api/nope"]
)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no CDN
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy  # no other origin (no tile server configured)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_docs_allow_only_their_own_inline_script(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy


def test_tile_server_origin_is_allowed_for_images_only(registry):
    tiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    app = create_app(Settings(registry=registry, tile_url=tiles, warm_map=False))
    with TestClient(app) as client:
        policy = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tile.example.org;" in policy
    assert policy.count("tile.example.org") == 1


@pytest.mark.parametrize("url", ["/", "/stats", "/api/stats", "/api/relations?limit=2"])
def test_head_answers_like_get_without_a_body(client, url):
    get = client.get(url, headers={"Accept-Encoding": "identity"})
    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]


def test_access_log_has_one_line_per_request(registry):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("amity.access")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers[:] = [Keep()]  # an operator's own handler: amity adds none then
    logger.setLevel(logging.INFO)
    try:
        app = create_app(Settings(registry=registry, warm_map=False))
        with TestClient(app) as client:
            client.get("/api/relations", params={"limit": 1})
            client.head("/")
            client.get("/api/places/999999")
            client.get("/api/search", params={"q": "evil\nforged line"})
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved
    lines = [record.getMessage() for record in records]
    assert len(lines) == 4 and logger.handlers == saved[0]
    assert (
        lines[0].startswith("testclient:")
        and '"GET /api/relations?limit=1 HTTP/1.1" 200' in lines[0]
    )
    assert '"HEAD / HTTP/1.1" 200 0 ' in lines[1]  # no body sent
    assert '"GET /api/places/999999 HTTP/1.1" 404' in lines[2]
    assert "\n" not in lines[3]  # a newline in the URL cannot forge a log line
    assert lines[0].endswith("ms")


# --- POST /api/articles reads as amity ingest reads -----------------------------------------


def test_post_refuses_a_future_publication_date_naming_the_article(client, registry):
    with registry.session() as session:
        before = session.query(ArticleRow).count()
    response = client.post(
        "/api/articles",
        json={
            "id": "from-the-future",
            "text": "Lyon and Birmingham signed a twinning agreement on 3 March 2023.",
            "published": "9999-12-31",
        },
        headers=AUTH,
    )
    body = error_of(response, 422)
    assert "from-the-future" in body.detail and "9999-12-31" in body.detail
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    ok = client.post(
        "/api/articles",
        json={"text": "Lyon and Birmingham met again.", "published": tomorrow.isoformat()},
        headers=AUTH,
    )
    assert ok.status_code == 201, ok.text  # tomorrow is allowed: time zones
    with registry.session() as session:
        assert session.query(ArticleRow).count() == before + 1


def test_a_future_date_cannot_pin_a_relation_status(client, registry):
    """The issue's case: a 9999-12-31 article would have kept the relation 'active' after a
    later, dated suspension."""
    agreement = "Turku and Saint Petersburg renewed their twinning agreement on 2 May 2023."
    refused = client.post(
        "/api/articles",
        json={"text": agreement + " Again.", "published": "9999-12-31"},
        headers=AUTH,
    )
    assert refused.status_code == 422
    stored = client.post(
        "/api/articles",
        json={"text": agreement, "published": "2023-05-02"},
        headers=AUTH,
    ).json()
    suspension = (
        "Turku suspended its twinning with Saint Petersburg on 1 March 2025, the city said."
    )
    later = client.post(
        "/api/articles", json={"text": suspension, "published": "2025-03-01"}, headers=AUTH
    ).json()
    assert stored["status"] == "ok" and later["status"] == "ok", (stored, later)
    relation_id = (later["relations_updated"] + later["relations_new"])[0]
    with registry.session() as session:
        assert session.get(RelationRow, relation_id).status == "suspended"


def test_post_with_nul_bytes_stores_what_ingest_stores_from_a_file(client, registry, tmp_path):
    from amity.ingest import read_articles

    text = "Bremen and Gdansk\x00 signed a partnership agreement\x00 on 4 April 2024.\x00"
    (tmp_path / "nul.txt").write_bytes(text.encode())
    (from_file,) = read_articles([tmp_path / "nul.txt"])
    assert from_file.errors == [] and "\x00" not in from_file.text
    response = client.post("/api/articles", json={"text": text}, headers=AUTH)
    assert response.status_code == 201, response.text
    with registry.session() as session:
        row = session.get(ArticleRow, response.json()["article_id"])
        assert row.content_hash == from_file.content_hash and row.text == from_file.text
    again = client.post("/api/articles", json={"text": from_file.text}, headers=AUTH)
    assert again.json()["status"] == "skipped"


def test_post_refuses_binary_text_as_a_file_is_refused(client):
    garbage = "".join(chr(i % 32) for i in range(400)) + " some words"
    body = error_of(client.post("/api/articles", json={"text": garbage}, headers=AUTH), 422)
    assert "binary" in body.detail


# --- the pages under the policy, in real Chromium ---------------------------------------------


@pytest.fixture(scope="module")
def site(registry):
    from web_browser import serving

    with serving(create_app(Settings(registry=registry, api_token=TOKEN, warm_map=False))) as base:
        yield base


def test_pages_work_under_the_content_security_policy(browser, site, registry):
    """Every page loads, runs its scripts and draws with no CSP violation reported."""
    with registry.session() as session:
        place_id = session.query(RelationRow).first().place_a_id
        article_id = session.query(ArticleRow).first().id
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));"
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{site}/")
        # a function, not an expression string: Playwright would eval() a string while
        # polling, which the policy (rightly) forbids
        page.wait_for_function("() => window.amity && window.amity.ready", timeout=30_000)
        # the map drew (earlier tests of this module may have added relations)
        assert page.evaluate("window.amity.lineCount") >= web_data.EXPECTED_LINES
        seen = {"/": page.evaluate("window.__violations")}
        for path, ready in [
            ("/stats", "() => document.querySelector('main') !== null"),
            (f"/places/{place_id}", "() => document.querySelector('main') !== null"),
            (f"/articles/{article_id}", "() => document.querySelector('mark') !== null"),
            ("/docs", "() => document.querySelector('.opblock') !== null"),
        ]:
            page.goto(f"{site}{path}")
            page.wait_for_function(ready, timeout=30_000)
            page.wait_for_timeout(300)
            seen[path] = page.evaluate("window.__violations")
        reported = [p for p in problems if "Content Security Policy" in p]
        # the control: an inline script is refused, and the listener sees it
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
        )
        page.wait_for_function("() => window.__violations.length > 0", timeout=5_000)
        assert page.evaluate("window.injected") is None
    finally:
        context.close()
    assert all(not v for v in seen.values()), json.dumps(seen, indent=1)
    assert reported == [], reported
