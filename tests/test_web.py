"""The web UI in real headless Chromium (Debian `chromium`, driven by playwright).

A uvicorn server runs the app in a thread on 127.0.0.1 over a SQLite registry filled by
hand (tests/web_data.py). Screenshots go to test-output/. Without chromium or playwright
the tests skip locally and FAIL under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

import web_data

CHROMIUM = os.environ.get("AMITY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
TOKEN = "web-test-token"


def unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, data) of a running server over a filled SQLite registry."""
    import uvicorn

    from amity.api import Settings, create_app
    from amity.registry import open_registry

    path = tmp_path_factory.mktemp("web") / "amity.db"
    registry = open_registry(f"sqlite:///{path}")
    data = web_data.fill(registry)
    app = create_app(Settings(registry=registry, api_token=TOKEN))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", data
    server.should_exit = True
    thread.join(timeout=10)
    registry.close()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        unavailable(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    page.problems = []  # console errors and page errors
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def shot(page, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / name))


def open_map(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    page.wait_for_function("window.amity && window.amity.ready", timeout=30_000)
    page.wait_for_timeout(300)  # the world outline


def click_place(page, place_id: int) -> None:
    point = page.evaluate(f"window.amity.markerPoint({place_id})")
    assert point, f"no marker for place {place_id}"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)


def test_web_map_loads_without_errors_and_draws_every_line(page, site):
    base, _data = site
    open_map(page, base)
    assert page.evaluate("window.amity.lineCount") == web_data.EXPECTED_LINES
    assert page.evaluate("window.amity.markerCount") == web_data.EXPECTED_PLACES
    assert "5 relations" in page.inner_text("#status-line")
    shot(page, "map.png")
    assert page.problems == []


def test_web_clicking_a_city_opens_its_panel_with_partners_and_timeline(page, site):
    base, data = site
    open_map(page, base)
    click_place(page, data["places"]["Changchun"])
    assert page.inner_text("#panel-title").startswith("Changchun")
    partners = page.locator("#panel .partner-name").all_inner_texts()
    assert sorted(partners) == ["Novosibirsk (RU)", "Ulsan (KR)"]
    ulsan = page.locator("#panel section.partner", has_text="Ulsan")
    dates = ulsan.locator(".timeline .date").all_inner_texts()
    assert dates == ["1994", "2024-05-24"]
    assert web_data.ANNIVERSARY in ulsan.locator(".evidence").all_inner_texts()
    hrefs = ulsan.locator("a.source-link").evaluate_all("links => links.map(a => a.href)")
    assert "https://news.example/changchun-ulsan-30" in hrefs
    shot(page, "panel-changchun.png")
    assert page.problems == []


def test_web_search_finds_ulsan(page, site):
    base, data = site
    open_map(page, base)
    page.fill("#search", "Uls")
    page.wait_for_selector("#search-results li.search-result", timeout=10_000)
    assert (
        page.locator("#search-results li.search-result").first.inner_text().startswith("Ulsan (KR)")
    )
    shot(page, "search.png")
    page.press("#search", "Enter")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    assert page.inner_text("#panel-title").startswith("Ulsan")
    assert page.locator("#panel .partner-name").all_inner_texts() == ["Changchun (CN)"]
    assert page.problems == []


def test_web_filters_redraw_the_map(page, site):
    base, _data = site
    open_map(page, base)
    page.select_option("#filters select[name=status]", "suspended")
    page.click("#filters button[type=submit]")
    page.wait_for_function("window.amity.lineCount === 1", timeout=10_000)
    page.fill("#filters input[name=year_from]", "1990")
    page.fill("#filters input[name=year_to]", "1999")
    page.select_option("#filters select[name=status]", "")
    page.click("#filters button[type=submit]")
    page.wait_for_function("window.amity.lineCount === 1", timeout=10_000)
    assert page.problems == []


def test_web_payloads_stay_text(page, site):
    base, data = site
    page.add_init_script("window.XSS = undefined;")
    open_map(page, base)
    # the place whose name is an <img onerror> payload: tooltip and panel
    evil = data["places"][web_data.EVIL_PLACE.name]
    point = page.evaluate(f"window.amity.markerPoint({evil})")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(300)
    click_place(page, data["places"]["Lyon"])
    panel_text = page.inner_text("#panel")
    assert web_data.EVIL_PLACE.name in panel_text  # shown as text
    assert web_data.SCRIPT in panel_text and web_data.IMG in panel_text
    assert page.locator("#panel script, #panel img").count() == 0
    links = page.locator("#panel a").evaluate_all("links => links.map(a => a.href)")
    assert not any(href.startswith("javascript:") for href in links)
    shot(page, "xss-panel.png")
    # the article page with the evidence marked, and the place page
    page.goto(f"{base}/articles/{data['articles'][-1]}")
    assert web_data.SCRIPT in page.inner_text(".article-text")
    assert page.locator("mark").count() == 1
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    shot(page, "xss-article.png")
    page.goto(f"{base}/places/{evil}")
    assert web_data.EVIL_PLACE.name in page.inner_text("h1")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.XSS") == "undefined"
    assert page.problems == []


def test_web_ingested_article_payload_stays_text(page, site, gazetteer):
    """Through the real pipeline: POST /api/articles, then every view of it."""
    import httpx

    base, _data = site
    text = (
        f"Changchun and Ulsan signed a friendship agreement {web_data.SCRIPT} on 5 May 2023, "
        f"the mayor said {web_data.IMG}.\n"
    )
    response = httpx.post(
        f"{base}/api/articles",
        json={"text": text, "title": web_data.SCRIPT, "url": "javascript:window.XSS=5"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    article_id = response.json()["article_id"]
    page.add_init_script("window.XSS = undefined;")
    page.goto(f"{base}/articles/{article_id}")
    body = page.inner_text("main")
    assert web_data.SCRIPT in body and web_data.IMG in body
    open_map(page, base)
    page.fill("#search", "Changchun")
    page.wait_for_selector("#search-results li.search-result", timeout=10_000)
    page.press("#search", "Enter")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.XSS") == "undefined"
    assert page.problems == []


def test_web_stats_page_draws_its_charts(page, site):
    base, _data = site
    page.goto(f"{base}/stats")
    page.wait_for_function("window.amityStats && window.amityStats.ready", timeout=20_000)
    assert page.locator("#matrix svg rect").count() > 0
    assert page.locator("#hubs svg text").count() > 0
    assert "5" in page.inner_text("#totals")
    shot(page, "stats.png")
    assert page.problems == []


def test_web_docs_render_offline(page, site):
    """/docs (Swagger UI vendored in the package) lists the operations, and every request
    it makes goes to this server and succeeds."""
    base, _data = site
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
    page.goto(f"{base}/docs")
    page.wait_for_selector(".opblock .opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock .opblock-summary-path").all_inner_texts()
    assert "/api/relations" in [p.strip().replace("\u200b", "") for p in paths]
    assert len(paths) >= 8
    page.wait_for_load_state("networkidle")
    shot(page, "docs.png")
    assert failed == []
    assert requests and all(url.startswith(base + "/") for url in requests), requests
    assert page.problems == []
