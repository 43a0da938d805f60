"""The analysis pages in real headless Chromium: reconciliation (/reconcile), anniversaries
(/anniversaries), the country × country heatmap (/network), the reconcile counts on /stats
and the map's download buttons (every /api/export format, read back by its library).

One small SQLite registry for the module, filled in seconds: the hand-made news relations
of tests/web_data.py, a Wikipedia-style list of five invented rows (tests/web_data.py's
pairs, one with coordinates far from its place) and the small Wikidata result of the
analysis tests (Changchun–Ulsan from 1994 on both items, Ulsan–Houston on one). So:
Lyon–Birmingham and Changchun–Novosibirsk are *new*, Changchun–Ulsan *known* with a matching
year, Turku–Saint Petersburg *ended in the news* but listed active, Ulsan–Houston
*one-sided*. Screenshots go to pytest's temporary directory (pytest -s prints the paths).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import web_data
from analysis_registry import WIKIDATA
from web_browser import new_page, screenshot, serving, wait_for

# invented rows in the Wikipedia list's format; the last puts Novosibirsk at 10°N 10°E
REFERENCE_CSV = """city1,country1,lat1,lng1,city2,country2,lat2,lng2
Changchun,China,43.88,125.32,Ulsan,South Korea,35.54,129.32
Turku,Finland,60.45,22.27,Saint Petersburg,Russia,59.94,30.31
Lyon,France,45.75,4.85,Turku,Finland,60.45,22.27
Birmingham,United Kingdom,52.48,-1.9,Ulsan,South Korea,35.54,129.32
Turku,Finland,60.45,22.27,Novosibirsk,Russia,10.0,10.0
"""


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory, gazetteer):
    from amity.api import Settings, create_app
    from amity.registry import open_registry
    from amity.registry.reference import import_wikidata, import_wikipedia_list

    directory = tmp_path_factory.mktemp("web-pages")
    (directory / "list.csv").write_text(REFERENCE_CSV, encoding="utf-8")
    registry = open_registry(f"sqlite:///{directory / 'amity.db'}")
    data = web_data.fill(registry)
    data["list"] = import_wikipedia_list(registry, directory / "list.csv").to_dict()
    data["wikidata"] = import_wikidata(registry, WIKIDATA).to_dict()
    with serving(create_app(Settings(registry=registry))) as base:
        yield base, data
    registry.close()


@pytest.fixture
def page(browser):
    with new_page(browser) as page:
        yield page


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots-pages")


def api(base: str, path: str):
    import httpx

    response = httpx.get(f"{base}{path}", timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_pages_reconcile_lists_each_category_with_evidence(page, pages_site, shots):
    base, data = pages_site
    report = api(base, "/api/reconcile")
    summary = api(base, "/api/reconcile?counts_only=true")  # what the stats page reads
    assert summary == {"against": report["against"], "counts": report["counts"]}
    page.add_init_script("window.XSS = undefined;")
    page.goto(f"{base}/reconcile")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    # a count per category, as the API gives them
    for key in ("new", "known", "ended", "year_conflicts", "one_sided", "doubtful", "claims"):
        shown = page.inner_text(f"#categories button[data-category={key}] .num")
        assert int(shown.replace(",", "")) == report["counts"][key], key
    assert report["counts"]["new"] >= 3 and report["counts"]["ended"] == 1
    # new pairs first: each with its evidence sentence, its article and the source link
    rows = page.locator("#rows li.row")
    assert rows.count() == report["counts"]["new"]
    lyon = page.locator("#rows li.row", has_text="Birmingham (GB)")
    assert lyon.locator(".pair").inner_text() == "Lyon (FR) – Birmingham (GB)"
    assert (
        "Lyon and Birmingham signed a twinning agreement" in lyon.locator(".evidence").inner_text()
    )
    article = lyon.locator("a.article-link").get_attribute("href")
    assert article.startswith("/articles/") and int(article.rsplit("/", 1)[1]) in data["articles"]
    assert lyon.locator("a.source-link").get_attribute("href").startswith("https://news.example/")
    places = lyon.locator("a.place").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert places == [
        f"/places/{data['places']['Lyon']}",
        f"/places/{data['places']['Birmingham']}",
    ]
    # known pairs (Changchun–Ulsan, listed by both) are not new; the XSS payload is text
    assert page.locator("#rows li.row", has_text="Ulsan (KR)").count() == 0
    text = page.inner_text("#rows")
    assert web_data.SCRIPT in text and web_data.EVIL_PLACE.name in text
    assert page.locator("#rows script, #rows img").count() == 0
    assert page.locator("#rows a[href^='javascript:']").count() == 0
    screenshot(page, shots, "reconcile-new.png", full_page=True)
    # the news says suspended, the list says active
    page.click("#categories button[data-category=ended]")
    ended = page.locator("#rows li.row")
    assert ended.count() == 1
    assert ended.locator(".pair").inner_text() == "Turku (FI) – Saint Petersburg (RU)"
    assert "listed as active by wikipedia-list" in ended.inner_text()
    assert "category=ended" in page.url
    # known, with the years by source: Wikidata's 1994 matches the news
    page.click("#categories button[data-category=known]")
    changchun = page.locator("#rows li.row", has_text="Changchun (CN) – Ulsan (KR)")
    assert "news: 1994" in changchun.inner_text() and "(match)" in changchun.inner_text()
    page.click("#categories button[data-category=one_sided]")
    assert "Houston" in page.inner_text("#rows")
    page.click("#categories button[data-category=doubtful]")
    assert page.locator("#rows li.row").count() == report["counts"]["doubtful"] >= 1
    screenshot(page, shots, "reconcile-doubtful.png", full_page=True)
    # the permalink opens the same category; another reference changes the counts
    page.goto(f"{base}/reconcile?against=wikipedia-list&category=ended")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    assert page.input_value("select[name=against]") == "wikipedia-list"
    assert page.get_attribute("#categories button[data-category=ended]", "aria-selected") == "true"
    only_list = api(base, "/api/reconcile?against=wikipedia-list")["counts"]
    assert page.inner_text("#categories button[data-category=new] .num") == str(only_list["new"])
    assert page.evaluate("typeof window.XSS") == "undefined"
    assert page.problems == []


def test_pages_anniversaries_window_control(page, pages_site, shots):
    base, _data = pages_site
    page.goto(f"{base}/anniversaries?from=2024-05-01&within=60")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    items = page.locator("#anniversaries li.anniversary")
    assert items.count() == len(api(base, "/api/anniversaries?from=2024-05-01&within=60")) >= 1
    first = items.first
    assert first.locator(".date").inner_text() == "2024-05-24"
    assert first.locator(".years").inner_text() == "30th anniversary"
    assert first.locator(".pair").inner_text() == "Changchun (CN) – Ulsan (KR)"
    assert "established 1994" in first.inner_text()
    assert "2024-05-01 to 2024-06-30" in page.inner_text("#summary")
    screenshot(page, shots, "anniversaries.png", full_page=True)
    # a window that misses the day: nothing, and a sentence that says so
    page.fill("input[name=from]", "2024-06-01")
    page.select_option("select[name=within]", "30")
    wait_for(page, "window.amityPage.ready && location.search.includes('2024-06-01')")
    assert items.count() == 0
    assert "No round anniversary" in page.inner_text("#summary")
    # every 5 years over two years from 2019: the 25th (2019) is there, the 30th in 2024 not
    page.goto(f"{base}/anniversaries?from=2019-01-01&within=730&round=5")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    texts = items.all_inner_texts()
    assert any("25th anniversary" in t and "Changchun (CN) – Ulsan (KR)" in t for t in texts)
    assert page.input_value("select[name=round]") == "5"
    assert page.problems == []


def luminance(colour: str) -> float:
    r, g, b = (int(v) for v in colour.removeprefix("rgb(").removesuffix(")").split(","))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_pages_network_heatmap_with_colour_scale(page, pages_site, shots):
    base, _data = pages_site
    page.goto(f"{base}/network?size=10")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    matrix = api(base, "/api/stats?matrix_size=10")["matrix"]
    n = len(matrix["countries"])
    assert n >= 5
    cells = page.locator("#heatmap rect[data-count]")
    assert cells.count() == n * n
    counts = [int(c) for c in cells.evaluate_all("cs => cs.map(c => c.dataset.count)")]
    assert counts == [v for row in matrix["counts"] for v in row]
    # more relations, a darker cell; none, the empty grey
    fills = cells.evaluate_all("cs => cs.map(c => c.getAttribute('fill'))")
    by_count = {}
    for count, fill in zip(counts, fills, strict=True):
        by_count.setdefault(count, fill)
    top = max(by_count)
    assert 0 in by_count and by_count[0] == "#f1f3f5"
    assert luminance(by_count[top]) < luminance(by_count[1]) - 60
    # the colour scale: a bar from 1 to the largest count
    assert page.locator("#heatmap-scale svg.scale-bar rect").count() == 26
    assert page.locator("#heatmap-scale svg.scale-bar text").all_text_contents()[-1] == f"{top:,}"
    labels = page.locator("#heatmap .row-label").all_text_contents()
    assert "China (CN)" in labels and "South Korea (KR)" in labels
    wait_for(page, "window.amityPage.networkReady", timeout=60_000)
    assert page.locator("#country-hubs li").count() >= 5
    screenshot(page, shots, "network-heatmap.png", full_page=True)
    # another scale recolours without a reload; fewer countries, a smaller grid
    page.select_option("select[name=scale]", "linear")
    assert "linear" in page.get_attribute("#heatmap-scale svg.scale-bar", "aria-label")
    assert "linear scale" in page.inner_text("#heatmap-scale")
    assert "scale=linear" in page.url
    page.select_option("select[name=size]", "10")
    wait_for(page, "window.amityPage.ready")
    assert page.problems == []


def test_pages_stats_shows_reconcile_counts(page, pages_site, shots):
    base, _data = pages_site
    counts = api(base, "/api/reconcile?counts_only=true")["counts"]
    page.goto(f"{base}/stats")
    wait_for(
        page, "window.amityStats && window.amityStats.ready && window.amityStats.reconcileReady"
    )
    for key in ("new", "known", "ended", "doubtful", "one_sided", "claims"):
        box = page.locator(f"#reconcile-counts a.category.{key}")
        assert int(box.locator(".num").inner_text().replace(",", "")) == counts[key], key
        assert box.get_attribute("href") == f"/reconcile?category={key}"
    screenshot(page, shots, "stats-reconcile.png", full_page=True)
    page.click("#reconcile-counts a.category.ended")
    wait_for(page, "window.amityPage && window.amityPage.ready")
    assert page.locator("#rows li.row").count() == counts["ended"]
    assert page.problems == []


def test_pages_map_download_buttons_give_every_export_format(page, pages_site, shots):
    """A button per format of /api/export (as its OpenAPI lists them), for the map's
    filter; each file read back by the library that consumes it."""
    import networkx as nx
    import pyarrow.parquet as pq

    base, _data = pages_site
    spec = api(base, "/openapi.json")["paths"]["/api/export"]["get"]["parameters"]
    offered = next(p for p in spec if p["name"] == "format")["schema"]["enum"]
    page.goto(f"{base}/?country=FR")
    wait_for(page, "window.amity && window.amity.ready")
    page.click("#downloads summary")
    links = page.locator("#download-links a.download")
    assert sorted(links.evaluate_all("ls => ls.map(a => a.dataset.format)")) == sorted(offered)
    screenshot(page, shots, "map-downloads.png")
    listed = api(base, "/api/relations?country=FR&limit=100")
    files = {}
    for format in offered:
        link = page.locator(f"#download-links a[data-format={format}]")
        assert "country=FR" in link.get_attribute("href")
        with page.expect_download() as waiting:
            link.click()
        download = waiting.value
        files[format] = Path(download.path()).read_bytes()
        assert download.suggested_filename.startswith("relations.")
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8"))))
    # France's only place is Lyon: Birmingham and the payload (news), Turku (the list)
    assert len(rows) == listed["total"] == 3
    lines = [json.loads(line) for line in files["jsonl"].decode().splitlines() if line.strip()]
    assert len(lines) == len(rows)
    geojson = json.loads(files["geojson"])
    assert geojson["type"] == "FeatureCollection" and geojson["features"]
    graph = nx.read_graphml(io.BytesIO(files["graphml"]))
    assert graph.number_of_edges() == len(rows)
    assert pq.read_table(io.BytesIO(files["parquet"])).num_rows == len(rows)
    assert isinstance(files["quickstatements"], bytes)  # no QIDs for Lyon here: may be empty
    # a new filter, new links
    page.select_option("#filters select[name=status]", "suspended")
    page.click("#filters button[type=submit]")
    wait_for(page, "window.amity.ready && window.amity.lineCount === 0")
    assert "status=suspended" in links.first.get_attribute("href")
    assert page.problems == []
