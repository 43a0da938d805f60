"""The web UI in real headless Chromium (Debian `chromium`, driven by playwright).

A uvicorn server runs the app in a thread on 127.0.0.1 over one SQLite registry for the
whole session: the hand-made relations of tests/web_data.py, a Seoul–Los Angeles news
relation and the Wikipedia list shipped with amity (~24k relations), as a newcomer's map.
Screenshots go to pytest's temporary directory; their paths are printed (pytest -s shows
them). Without chromium or playwright the tests skip locally and FAIL under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import web_data
from web_browser import new_page, screenshot, serving, wait_for

TOKEN = "web-test-token"


@pytest.fixture(scope="session")
def site(tmp_path_factory, gazetteer):
    """(base URL, data) of a running server over a filled SQLite registry (read by every
    test; the one test that writes adds an article at the end of the module)."""
    from amity.api import Settings, create_app
    from amity.registry import open_registry

    path = tmp_path_factory.mktemp("web") / "amity.db"
    registry = open_registry(f"sqlite:///{path}")
    data = web_data.fill_world(registry)
    with serving(create_app(Settings(registry=registry, api_token=TOKEN))) as base:
        yield base, data
    registry.close()


@pytest.fixture
def page(browser):
    with new_page(browser) as page:
        yield page


@pytest.fixture(scope="session")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def shot(page, shots):
    def take(name: str) -> Path:
        return screenshot(page, shots, name)

    return take


def open_map(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    wait_for(page, "window.amity && window.amity.ready", timeout=60_000)
    page.wait_for_timeout(300)  # the world outline


def set_view(page, lat: float, lon: float, zoom: float) -> None:
    page.evaluate(f"window.amity.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}) && 0")
    page.wait_for_timeout(100)


def click_place(page, place_id: int) -> None:
    """Zoom in on the place and click its marker."""
    lat, lon = page.evaluate(
        f"(() => {{ const p = window.amity.scene.placeById.get({place_id}); return [p.lat, p.lon]; }})()"
    )
    set_view(page, lat, lon, 9)
    point = page.evaluate(f"window.amity.markerPoint({place_id})")
    assert point, f"no marker for place {place_id}"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)


def ink(page, layer: str) -> dict:
    """The painted pixels of a map layer: how many, and their mean colour."""
    return page.evaluate(
        """(layer) => {
        const canvas = document.querySelector(`.leaflet-${layer}-pane canvas.amity-canvas`);
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0, r = 0, g = 0, b = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] < 8) continue;
            n++; r += data[i]; g += data[i + 1]; b += data[i + 2];
        }
        return {n, rgb: n ? [r / n, g / n, b / n] : null};
    }""",
        layer,
    )


def highlighted_pixels(page) -> int:
    """Pixels of the top layer in the highlight colour (#e0115f, give or take)."""
    return page.evaluate(
        """() => {
        const c = document.querySelector('.leaflet-top-pane canvas.amity-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let hot = 0;
        for (let i = 0; i < d.length; i += 4)
            if (d[i] > 190 && d[i + 1] < 70 && d[i + 2] > 50 && d[i + 2] < 140 && d[i + 3] > 200) hot++;
        return hot;
    }"""
    )


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def distance(rgb, colour: str) -> float:
    return sum((a - b) ** 2 for a, b in zip(rgb, hex_rgb(colour), strict=True)) ** 0.5


# big cities, one of which at least should be labelled at world zoom
WORLD_CITIES = {
    "London", "Paris", "Moscow", "Tokyo", "Beijing", "Shanghai", "Istanbul", "São Paulo",
    "Mexico City", "New York City", "Cairo", "Seoul", "Mumbai", "Delhi", "Buenos Aires",
    "Lagos", "Jakarta", "Bangkok", "Tehran", "Lima", "Bogotá", "Madrid", "Berlin", "Sydney",
}  # fmt: skip
# small towns with many partners in the Wikipedia list, labelled before Paris at first
SMALL_HUBS = {"Kannus", "Houffalize", "Meerssen", "Hafnarfjörður", "Rovaniemi"}


def assert_no_overlap(boxes) -> None:
    """No two label boxes [x0, y0, x1, y1] overlap (rounded to whole pixels)."""
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (
                a[0] < b[2] - 1 and a[2] > b[0] + 1 and a[1] < b[3] - 1 and a[3] > b[1] + 1
            ), (a, b)


def api(base: str, path: str):
    import httpx

    return httpx.get(f"{base}{path}", timeout=60).json()


def test_web_world_map_sums_lines_between_countries_and_labels_hubs(page, site, shot):
    base, data = site
    assert data["imported"]["imported"] > 25_000
    open_map(page, base)
    counts = api(base, "/api/relations.geojson")["counts"]
    assert page.evaluate("window.amity.lineCount") == counts["relations"] > 24_000
    assert page.evaluate("window.amity.markerCount") == counts["places"]
    assert page.inner_text("#status-line").startswith(f"{counts['relations']:,} relations")
    assert "in the news" in page.inner_text("#status-line")
    state = page.evaluate("window.amity.layerState()")
    assert state["drawn"]["mode"] == "countries" and 500 < state["drawn"]["edges"] < 10_000
    assert 20 <= len(state["labels"]) <= 140  # the biggest places and the places in the news
    assert "Seoul" in state["labels"] or "Los Angeles" in state["labels"]
    # labels go to big cities (GeoNames population), not to small towns with many partners
    labels = set(state["labels"])
    assert len(labels & WORLD_CITIES) >= 6, sorted(labels)
    assert not labels & SMALL_HUBS, sorted(labels)
    assert_no_overlap(state["labelBoxes"])
    # the country filter lists names with codes
    options = page.locator("#filters select[name=country] option").all_inner_texts()
    assert any(o.startswith("Germany (DE) · ") for o in options)
    shot("world.png")
    set_view(page, 50, 10, 5)
    state = page.evaluate("window.amity.layerState()")
    assert state["drawn"]["mode"] == "lines" and state["drawn"]["lines"] > 5_000
    labels = set(state["labels"])
    assert {"Paris", "London", "Berlin"} <= labels, sorted(labels)
    assert not labels & SMALL_HUBS, sorted(labels)
    assert_no_overlap(state["labelBoxes"])
    shot("europe-zoom5.png")
    assert page.problems == []


def test_web_selected_city_lines_highlighted_others_dimmed(page, site, shot):
    base, data = site
    open_map(page, base)
    set_view(page, 40, 80, 3)
    colours = page.evaluate("window.amity.layerState().colours")
    before = ink(page, "lines")
    assert before["n"] > 10_000 and distance(before["rgb"], colours["base"]) < 40
    assert highlighted_pixels(page) < 50  # only lines in the news (by status) before a selection
    page.evaluate(f"window.amity.openPlace({data['places']['Changchun']}) && 0")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    page.wait_for_timeout(200)
    state = page.evaluate("window.amity.layerState()")
    assert state["dimmed"] and state["selected"] == data["places"]["Changchun"]
    assert {data["places"]["Ulsan"], data["places"]["Novosibirsk"]} <= set(state["highlighted"])
    assert len(state["highlighted"]) > 5  # its Wikipedia-list partners too
    assert "Ulsan" in state["labels"] and "Novosibirsk" in state["labels"]
    after = ink(page, "lines")
    assert distance(after["rgb"], colours["dimmed"]) < distance(after["rgb"], colours["base"])
    # the partner lines are the highlight colour (with a white casing)
    pixels = highlighted_pixels(page)
    assert pixels > 2_000
    # partners with news come first in the panel, reference ones say why their tier is unknown
    partners = page.locator("#panel .partner-name").all_inner_texts()
    assert set(partners[:2]) == {"Novosibirsk (RU)", "Ulsan (KR)"}
    metas = page.locator("#panel section.partner .meta").all_inner_texts()
    assert any(m.startswith("tier unknown (reference list)") for m in metas)
    assert not any(m.startswith("?") for m in metas)
    shot("selected-changchun.png")
    assert page.problems == []


def test_web_changchun_marker_opens_changchun_at_world_zoom(page, site, shot):
    base, data = site
    open_map(page, base)
    set_view(page, 40, 125, 2)
    changchun = page.evaluate(f"window.amity.markerPoint({data['places']['Changchun']})")
    harbin = page.evaluate(f"window.amity.markerPoint({data['places']['Harbin']})")
    gap = ((changchun["x"] - harbin["x"]) ** 2 + (changchun["y"] - harbin["y"]) ** 2) ** 0.5
    assert gap < 12  # Harbin's circle covers Changchun's centre at this zoom
    page.mouse.click(changchun["x"], changchun["y"])
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    assert page.inner_text("#panel-title").startswith("Changchun (CN)")
    # the panel does not cover the place just clicked
    point = page.evaluate(f"window.amity.markerPoint({data['places']['Changchun']})")
    box = page.locator("#panel").bounding_box()
    assert not (box["x"] <= point["x"] <= box["x"] + box["width"])
    shot("changchun-world-zoom.png")
    # between two places, a picker: here, Harbin's rim towards Changchun
    page.click("#panel-close")
    set_view(page, 40, 125, 2)
    changchun = page.evaluate(f"window.amity.markerPoint({data['places']['Changchun']})")
    harbin = page.evaluate(f"window.amity.markerPoint({data['places']['Harbin']})")
    page.mouse.click((changchun["x"] + harbin["x"]) / 2, (changchun["y"] + harbin["y"]) / 2)
    if page.locator(".picker:not([hidden])").count():
        names = page.locator(".picker .picker-item").all_inner_texts()
        assert any(n.startswith("Changchun (CN)") for n in names)
        assert any(n.startswith("Harbin (CN)") for n in names)
    assert page.problems == []


def test_web_seoul_los_angeles_crosses_the_pacific(page, site, shot):
    base, data = site
    seoul, los_angeles = data["places"]["Seoul"], data["places"]["Los Angeles"]
    open_map(page, base)
    path = page.evaluate(f"window.amity.relationPath({seoul}, {los_angeles})")
    assert path, "no Seoul–Los Angeles line"
    lons = [lon if lon >= 0 else lon + 360 for _lat, lon in path]
    assert lons[0] < 130 and lons[-1] > 240 and lons == sorted(lons)  # eastwards, over the Pacific
    assert max(lat for lat, _lon in path) > 45  # the great circle bends north
    page.evaluate(f"window.amity.openPlace({seoul}) && 0")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    set_view(page, 40, -175, 3)  # the view across the antimeridian
    lat, lon = path[len(path) // 2]
    lon = (lon + 180) % 360 - 180  # the copy of the world around the view's centre
    point = page.evaluate(
        f"(() => {{ const p = window.amity.map.latLngToContainerPoint([{lat}, {lon}]);"
        " const b = window.amity.map.getContainer().getBoundingClientRect();"
        " return {x: b.left + p.x, y: b.top + p.y}; })()"
    )
    assert 0 < point["x"] < 1000 and 0 < point["y"] < 850
    found = page.evaluate(
        f"""(() => {{ const hits = [];
        for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++)
          hits.push(window.amity.pixelAt('top', {point["x"]} + dx, {point["y"]} + dy));
        return hits; }})()"""
    )
    highlight = hex_rgb(page.evaluate("window.amity.layerState().colours.highlight"))
    assert any(
        p[3] > 200 and sum(abs(a - b) for a, b in zip(p[:3], highlight, strict=True)) < 60
        for p in found
    )
    # the map goes on past 180°: the world outline and places repeat east of the antimeridian
    assert page.evaluate(f"window.amity.markerPoint({los_angeles})") is not None
    shot("seoul-los-angeles.png")
    assert page.problems == []


def test_web_phone_shows_the_whole_panel_and_a_one_row_header(browser, site, shots):
    base, data = site
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{base}/?place={data['places']['Ulsan']}")
        page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=60_000)
        page.wait_for_timeout(300)
        header = page.locator("header.top").bounding_box()
        assert header["height"] < 50  # one row: brand, search, the Filters button
        box = page.locator("#panel").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert box["y"] > header["height"] and box["y"] + box["height"] <= 844
        assert page.evaluate(
            "(() => { const p = document.getElementById('panel'); return p.scrollWidth <= p.clientWidth; })()"
        )
        title = page.locator("#panel-title").bounding_box()
        assert title["x"] >= 0 and title["x"] + title["width"] <= 390
        assert page.inner_text("#panel-title").startswith("Ulsan (KR)")
        path = shots / "phone-panel.png"
        page.screenshot(path=str(path))
        print(f"screenshot: {path}")
        page.click("#filters-toggle")
        assert page.locator("#filters").is_visible()
        form = page.locator("#filters").bounding_box()
        assert form["x"] >= 0 and form["x"] + form["width"] <= 390
        assert problems == []
    finally:
        context.close()


def test_web_reloaded_permalink_restores_the_view(page, site, shot):
    base, data = site
    open_map(page, base)
    page.select_option("#filters select[name=country]", "KR")
    page.click("#filters button[type=submit]")
    wait_for(page, "window.amity.ready && window.amity.lineCount < 3000", timeout=20_000)
    page.wait_for_timeout(600)
    zoom = page.evaluate("window.amity.map.getZoom()")
    assert zoom >= 4  # fitted to the country's places
    page.evaluate(f"window.amity.openPlace({data['places']['Ulsan']}) && 0")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    set_view(page, 36, 128, 6)
    page.wait_for_timeout(200)
    url = page.url
    assert "country=KR" in url and f"place={data['places']['Ulsan']}" in url and "at=6%2F36" in url
    page.goto("about:blank")
    open_map(page, base, url.split("/", 3)[3])
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    assert page.input_value("#filters select[name=country]") == "KR"
    assert page.evaluate("window.amity.openPlaceId") == data["places"]["Ulsan"]
    assert page.evaluate("window.amity.map.getZoom()") == 6
    centre = page.evaluate(
        "(() => { const c = window.amity.map.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert abs(centre[0] - 36) < 0.01 and abs(centre[1] - 128) < 0.01
    assert page.inner_text("#panel-title").startswith("Ulsan (KR)")
    shot("permalink.png")
    assert page.problems == []


def test_web_time_slider_changes_the_drawn_count(page, site, shot):
    base, _data = site
    open_map(page, base)
    total = page.evaluate("window.amity.lineCount")
    assert page.is_visible("#timeline")
    unknown = int(page.inner_text("#unknown-count").replace(",", ""))
    assert unknown > 24_000  # the Wikipedia list gives no years
    page.evaluate(
        "(() => { const s = document.getElementById('year-slider'); s.value = '1995';"
        " s.dispatchEvent(new Event('input')); })()"
    )
    before = page.evaluate("window.amity.layerState().drawn")
    lines_before = ink(page, "lines")["n"]
    assert before["mode"] == "countries" and before["edges"] > 500
    shown = page.evaluate("window.amity.shownCount")
    assert shown < total and "of" in page.inner_text("#status-line")
    assert page.inner_text("#year-out") == "1995"
    page.uncheck("#year-unknown")
    dated = page.evaluate("window.amity.shownCount")
    assert 0 < dated < 10 and dated == shown - unknown
    # what is drawn changes with it: a few single lines instead of country sums
    after = page.evaluate("window.amity.layerState().drawn")
    assert after["mode"] == "lines" and after["lines"] <= 3 * dated
    assert ink(page, "lines")["n"] < lines_before / 10
    assert "until=1995" in page.url and "unknown=0" in page.url
    shot("time-slider.png")
    assert page.problems == []


def test_web_filters_fit_explain_empty_results_and_errors(page, site, shot):
    base, _data = site
    open_map(page, base)
    page.select_option("#filters select[name=status]", "suspended")
    page.click("#filters button[type=submit]")
    wait_for(page, "window.amity.lineCount === 1", timeout=10_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.amity.map.getZoom()") >= 4  # fitted: Turku – Saint Petersburg
    page.fill("#filters input[name=year_from]", "1990")
    page.fill("#filters input[name=year_to]", "1999")
    page.select_option("#filters select[name=status]", "")
    page.click("#filters button[type=submit]")
    wait_for(page, "window.amity.lineCount === 1", timeout=10_000)
    # nothing matches: a message that says so, with a way out
    page.select_option("#filters select[name=status]", "terminated")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#message:not([hidden])", timeout=10_000)
    assert "No relation matches these filters" in page.inner_text("#message")
    assert page.evaluate("window.amity.lineCount") == 0
    shot("empty-result.png")
    # inverted years: said in words, and no stale lines left on the map
    page.select_option("#filters select[name=status]", "")
    page.fill("#filters input[name=year_from]", "2000")
    page.fill("#filters input[name=year_to]", "1990")
    page.click("#filters button[type=submit]")
    wait_for(page, "window.amity.message && window.amity.message.includes('wrong way round')")
    assert page.evaluate("window.amity.lineCount") == 0
    # an error from the API (a bad country code in a hand-edited URL): words, not "HTTP 422"
    open_map(page, base, "?country=X1")
    message = page.inner_text("#message")
    assert "Could not load the relations" in message and "HTTP" not in message
    assert page.evaluate("window.amity.lineCount") == 0
    shot("api-error.png")
    page.click("#message button")
    wait_for(page, "window.amity.lineCount > 20000", timeout=20_000)
    assert page.is_hidden("#message")


def test_web_search_finds_ulsan(page, site):
    base, data = site
    open_map(page, base)
    page.fill("#search", "Ulsan")
    page.wait_for_selector("#search-results li.search-result", timeout=10_000)
    assert (
        page.locator("#search-results li.search-result").first.inner_text().startswith("Ulsan (KR)")
    )
    page.press("#search", "Enter")
    page.wait_for_selector("#panel:not([hidden]) section.partner", timeout=10_000)
    assert page.inner_text("#panel-title").startswith("Ulsan")
    assert "Changchun (CN)" in page.locator("#panel .partner-name").all_inner_texts()
    assert page.problems == []


def test_web_place_panel_timeline_and_sources(page, site, shot):
    base, data = site
    open_map(page, base)
    click_place(page, data["places"]["Changchun"])
    assert page.inner_text("#panel-title").startswith("Changchun")
    ulsan = page.locator("#panel section.partner", has_text="Ulsan")
    dates = ulsan.locator(".timeline .date").all_inner_texts()
    assert dates == ["1994", "2024-05-24"]
    assert web_data.ANNIVERSARY in ulsan.locator(".evidence").all_inner_texts()
    hrefs = ulsan.locator("a.source-link").evaluate_all("links => links.map(a => a.href)")
    assert "https://news.example/changchun-ulsan-30" in hrefs
    shot("panel-changchun.png")
    assert page.problems == []


def test_web_browser_gets_html_error_pages_and_the_api_json(page, site, shot):
    import httpx

    base, _data = site
    response = page.goto(f"{base}/places/999999")
    assert response.status == 404 and "text/html" in response.headers["content-type"]
    assert page.inner_text("h1") == "Not found"
    assert "999999" in page.inner_text("main")
    shot("error-page.png")
    response = page.goto(f"{base}/no/such/page")
    assert response.status == 404 and page.inner_text("h1") == "Not found"
    api_response = httpx.get(f"{base}/api/places/999999", headers={"Accept": "text/html"})
    assert api_response.status_code == 404 and api_response.headers["content-type"].startswith(
        "application/json"
    )


def test_web_payloads_stay_text(page, site, shot):
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
    shot("xss-panel.png")
    # the article page with the evidence marked, and the place page
    page.goto(f"{base}/articles/{data['articles'][-1]}")
    assert web_data.SCRIPT in page.inner_text(".article-text")
    assert page.locator("mark").count() == 1
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    shot("xss-article.png")
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


def test_web_stats_page_draws_its_charts(page, site, shot):
    base, _data = site
    page.goto(f"{base}/stats")
    wait_for(page, "window.amityStats && window.amityStats.ready", timeout=20_000)
    assert page.locator("#matrix svg rect").count() > 0
    assert page.locator("#hubs svg text").count() > 0
    assert page.locator("#matrix-scale svg rect").count() == 20  # the colour scale
    assert "Year unknown:" in page.inner_text("#per-year-unknown")
    shot("stats.png")
    assert page.problems == []


def test_web_docs_render_offline(page, site, shot):
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
    shot("docs.png")
    assert failed == []
    assert requests and all(url.startswith(base + "/") for url in requests), requests
    assert page.problems == []
