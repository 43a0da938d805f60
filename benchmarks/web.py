"""Web benchmark: API latency on a synthetic 100k-relation registry, and the map's first
full paint in Chromium with ~26k relations.

- API (SQLite file and PostgreSQL): a registry of `--relations` random relations (default
  100,000) between 30,000 places, 5% with a news event, is written in bulk; then p50/p95 of
  200 requests each, in process through FastAPI's TestClient (routing, validation and
  serialisation included): `/api/relations` with random filter combinations (country,
  status, tier, year range, text; limit 50), `/api/places/{id}` of random places, and
  `/api/search?q=` with random 3-5 letter prefixes. Goal: p95 <= 50 ms for lists and places.
  The response cache is off (every request runs its queries). For the lists it also times
  the same filters as bare SQL (the page query on the DB-API connection) and prints the
  ratio of the API's p95 to the SQL's p95, a figure that survives a change of machine.
- Map (SQLite): a registry of `--map-relations` relations (default 26,000) served by uvicorn
  on 127.0.0.1; headless Chromium (/usr/bin/chromium) opens `/` and the page reports the
  time from navigation start until every line and marker is drawn and painted
  (`window.amity.firstPaintMs`). Cold: the first load after start (the server may still be
  building the layer); warm: the next loads. Each load also prints where the time went:
  the HTML, when the map layer (/map/layer.json) was requested and had arrived, its size,
  when it was read into the scene and drawn, each canvas's draw time, and the load average
  around it. Goal: <= 1.5 s on an idle 2-core machine.

The machine (CPU model, cores, memory) and its load average are printed first and after each
part; a 1-minute load above half the cores is flagged: the timings are then inflated.

PostgreSQL: `--pg-url URL`, else a throw-away server (see benchmarks/registry.py).

Usage: .venv/bin/python benchmarks/web.py [--backend sqlite|postgresql|both|none] [--no-map]
       [--loads N] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry import percentiles, temporary_postgres  # noqa: E402

COUNTRIES = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "KLMNOP"]  # 60 synthetic codes
SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ne", "sa", "vo", "chi", "an", "ber", "gen", "dor", "li"]
STATUSES = ["active"] * 90 + ["proposed"] * 4 + ["suspended"] * 3 + ["terminated"] * 3


def place_name(rng: random.Random, i: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() + (
        f" {i}" if i % 7 == 0 else ""
    )


def build(registry, n_relations: int, n_places: int, seed: int = 7) -> dict:
    """Write places, names, relations and 5% news events in bulk; returns timings."""
    from sqlalchemy import insert

    from amity.registry.merge import normalise_name
    from amity.registry.models import (
        ArticleRow,
        EventRow,
        PlaceNameRow,
        PlaceRow,
        RelationRow,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    places, names = [], []
    for i in range(1, n_places + 1):
        name = place_name(rng, i)
        places.append(
            {
                "id": i,
                "key": f"name:{i}",
                "geonameid": None,
                "name": name,
                "country": rng.choice(COUNTRIES),
                "admin1": None,
                "lat": rng.uniform(-55, 70),
                "lon": rng.uniform(-170, 175),
                "kind": "city",
                "parent": None,
            }
        )
        names.append({"place_id": i, "name": name, "search_name": normalise_name(name)})
    # hubs: a skewed degree distribution, as in real registries
    weights = [1.0 / (rank**0.6) for rank in range(1, n_places + 1)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_relations:
        chunk = rng.choices(range(1, n_places + 1), weights=weights, k=2 * n_relations)
        for a, b in zip(chunk[::2], chunk[1::2], strict=True):
            if a != b:
                pairs.add((min(a, b), max(a, b)))
            if len(pairs) >= n_relations:
                break
    relations = []
    for rid, (a, b) in enumerate(sorted(pairs), start=1):
        established = rng.randint(1950, 2024) if rng.random() < 0.6 else None
        relations.append(
            {
                "id": rid,
                "place_a_id": a,
                "place_b_id": b,
                "tier": rng.choice(["sister", "sister", "sister", "friendly", None]),
                "status": rng.choice(STATUSES),
                "established": established,
                "last_event": f"{established}-01-01" if established else None,
            }
        )
    now = dt.datetime(2026, 1, 1)
    articles, events = [], []
    for rel in rng.sample(relations, n_relations // 20):
        aid = len(articles) + 1
        day = dt.date(rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28))
        articles.append(
            {
                "id": aid,
                "content_hash": f"h{aid}",
                "title": f"News {aid}",
                "published": day,
                "ingested_at": now,
                "status": "ok",
                "text": f"Lead.\nPlace {rel['place_a_id']} and place {rel['place_b_id']} signed.",
            }
        )
        events.append(
            {
                "relation_id": rel["id"],
                "article_id": aid,
                "type": rng.choice(["agreement", "anniversary", "exchange", "intent"]),
                "tier": "sister",
                "date": day.isoformat(),
                "date_precision": "day",
                "sort_date": day.isoformat(),
                "evidence": [f"Place {rel['place_a_id']} and place {rel['place_b_id']} signed."],
                "confidence": 0.9,
            }
        )
    with registry.session() as session:
        for model, rows in (
            (PlaceRow, places),
            (PlaceNameRow, names),
            (RelationRow, relations),
            (ArticleRow, articles),
            (EventRow, events),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        session.commit()
    # planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would
    # gather them; committed: on PostgreSQL a rolled-back ANALYZE leaves no statistics
    if registry.dialect == "postgresql":
        with registry.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            for table in ("place", "place_name", "relation", "article", "event"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            conn.commit()
    else:
        with registry.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    return {"build_s": round(time.perf_counter() - started, 1)}


def machine() -> dict:
    """The numbers depend on the machine and on what else runs on it: say both (CPU model,
    cores, memory, load average; a load near the core count means the figures are slow)."""
    info = {"nproc": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:  # not Linux: cores and load only
        pass
    info["idle"] = info["loadavg"][0] < 0.5 * (info["nproc"] or 1)
    return info


def describe(info: dict) -> str:
    return (
        f"{info.get('cpu', 'CPU ?')}, {info['nproc']} cores, {info.get('mem_gb', '?')} GB; "
        f"load average {info['loadavg']} (1, 5, 15 min)"
        + ("" if info["idle"] else " — NOT idle: timings are inflated")
    )


def bare_sql_ms(registry, params: dict) -> float:
    """The page query of `/api/relations` with these parameters as plain SQL on the DB-API
    connection (no ORM, no HTTP): the floor the API's time is compared with."""
    from sqlalchemy import select

    from amity.registry.models import RelationRow
    from amity.registry.queries import RelationFilter, relation_conditions
    from amity.registry.queries.relations import ordered

    sort = params.get("sort", "a")
    fields = {k: v for k, v in params.items() if k not in ("sort", "limit")}
    with registry.session() as session:
        where = relation_conditions(session, RelationFilter(**fields))
        statement = ordered(select(RelationRow.id).where(*where), sort.lstrip("-"), sort[0] == "-")
        sql = str(
            statement.limit(50).compile(
                dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
            )
        )
        cursor = session.connection().connection.dbapi_connection.cursor()
        cursor.execute(sql)  # warm: the first run reads pages from disk
        cursor.fetchall()
        start = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        elapsed = time.perf_counter() - start
        cursor.close()
    return elapsed


def api_latency(registry, n_places: int, samples: int = 200, seed: int = 11) -> dict:
    from fastapi.testclient import TestClient

    from amity.api import Settings, create_app

    rng = random.Random(seed)
    # the response cache off: every request runs its queries (the cache is load.py's business)
    app = create_app(Settings(registry=registry, warm_map=False, response_cache=False))
    results = {}
    with TestClient(app) as client:

        def measure(urls: list[str]) -> dict:
            client.get(urls[0])  # warm-up
            times = []
            for url in urls:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)  # seconds: percentiles() gives ms
                assert response.status_code == 200, (url, response.text[:200])
            p50, p95 = percentiles(times)
            return {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}

        lists, list_params = [], []
        for _ in range(samples):
            params = {"limit": "50"}
            for key, values in (
                ("country", COUNTRIES),
                ("status", ["active", "proposed", "suspended"]),
                ("tier", ["sister", "friendly"]),
            ):
                if rng.random() < 0.5:
                    params[key] = rng.choice(values)
            if rng.random() < 0.3:
                year = rng.randint(1950, 2020)
                params["year_from"], params["year_to"] = str(year), str(year + 5)
            if rng.random() < 0.2:
                params["q"] = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
            if rng.random() < 0.3:
                params["sort"] = rng.choice(["-established", "last_event", "b"])
            lists.append("/api/relations?" + "&".join(f"{k}={v}" for k, v in params.items()))
            list_params.append(params)
        results["relations_list"] = measure(lists)
        # the same filters as bare SQL: the ratio survives a change of machine
        _, sql_p95 = percentiles([bare_sql_ms(registry, p) for p in list_params])
        results["relations_list"]["bare_sql_p95_ms"] = round(sql_p95, 1)
        results["relations_list"]["api_to_sql_p95"] = round(
            results["relations_list"]["p95_ms"] / max(sql_p95, 1e-3), 1
        )
        results["place"] = measure(
            [f"/api/places/{rng.randint(1, n_places)}" for _ in range(samples)]
        )
        results["search"] = measure(
            [
                "/api/search?q=" + "".join(rng.choice(SYLLABLES) for _ in range(2))
                for _ in range(samples)
            ]
        )
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def map_paint(n_relations: int, loads: int = 5) -> dict:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from amity.api import Settings, create_app
    from amity.registry import open_registry

    directory = tempfile.mkdtemp(prefix="amity-web-bench-")
    registry = open_registry(f"sqlite:///{directory}/map.db")
    build(registry, n_relations, max(2000, int(n_relations * 0.65)))
    app = create_app(Settings(registry=registry))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    args = [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    paints = []
    # what the page reports: ms since navigation start when the layer had arrived, was read,
    # was drawn (canvas commands recorded), and the first frame after it was painted; the
    # draw ms of each canvas; the layer's bytes over the wire and decoded
    report_js = """() => {
        const t = window.amity.timings;
        const layer = performance.getEntriesByType('resource').find(e => e.name.includes('/map/layer.json'));
        const nav = performance.getEntriesByType('navigation')[0];
        return {first_paint_ms: Math.round(window.amity.firstPaintMs),
                html_ms: Math.round(nav.responseEnd),
                layer_start_ms: layer ? Math.round(layer.startTime) : null,
                layer_end_ms: layer ? Math.round(layer.responseEnd) : null,
                layer_bytes: layer ? layer.transferSize : null,
                layer_decoded_bytes: layer ? layer.decodedBodySize : null,
                fetched_ms: Math.round(t.fetched), read_ms: Math.round(t.result),
                drawn_ms: Math.round(t.drawn),
                draw_ms: {base: t.baseMs, top: t.topMs, places: t.placesMs},
                lines: window.amity.lineCount, places: window.amity.markerCount};
    }"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(loads):
            # the page forbids eval (CSP script-src 'self'), which wait_for_function needs
            page = browser.new_page(viewport={"width": 1400, "height": 850}, bypass_csp=True)
            # the renderer's CPU time (its main thread, and the whole process with its raster
            # threads) from navigation to the first full paint: unlike the paint's wall time
            # it hardly grows when other work shares the machine
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
            load_before = os.getloadavg()[0]
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function("window.amity && window.amity.ready", timeout=120_000)
            paint = page.evaluate(report_js)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            paint["main_thread_cpu_ms"] = round(metrics.get("ThreadTime", 0) * 1000)
            paint["renderer_cpu_ms"] = round(metrics.get("ProcessTime", 0) * 1000)
            paint["script_ms"] = round(metrics.get("ScriptDuration", 0) * 1000)
            paint["loadavg_1min"] = round(max(load_before, os.getloadavg()[0]), 2)
            paints.append(paint)
            page.close()
        version = browser.version
        browser.close()
    server.should_exit = True
    thread.join(timeout=10)
    registry.close()
    first = paints[0]
    return {
        "chromium": version,
        "relations": first["lines"],
        "places": first["places"],
        "layer_kb": round((first["layer_bytes"] or 0) / 1024),
        "layer_decoded_kb": round((first["layer_decoded_bytes"] or 0) / 1024),
        "cold_ms": first["first_paint_ms"],
        "warm_ms": [p["first_paint_ms"] for p in paints[1:]],
        "main_thread_cpu_ms": [p["main_thread_cpu_ms"] for p in paints],
        "renderer_cpu_ms": [p["renderer_cpu_ms"] for p in paints],
        "loads": paints,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend", choices=["sqlite", "postgresql", "both", "none"], default="both"
    )
    parser.add_argument("--pg-url")
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--map-relations", type=int, default=26_000)
    parser.add_argument("--no-map", action="store_true")
    parser.add_argument("--loads", type=int, default=5, help="page loads for the map (first: cold)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from amity.registry import open_registry

    report: dict = {"relations": args.relations, "machine": machine()}
    if not args.json:
        print(f"machine: {describe(report['machine'])}", flush=True)
    n_places = 30_000
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in [b for b in backends if b != "none"]:
        if backend == "sqlite":
            context = nullcontext(f"sqlite:///{tempfile.mkdtemp(prefix='amity-web-bench-')}/b.db")
        else:
            context = nullcontext(args.pg_url) if args.pg_url else temporary_postgres()
        with context as url:
            registry = open_registry(url)
            entry = build(registry, args.relations, n_places)
            entry.update(api_latency(registry, n_places))
            registry.close()
        entry["machine_after"] = machine()
        report[backend] = entry
        if not args.json:
            print(f"{backend}: {json.dumps(entry)}", flush=True)
    if not args.no_map:
        report["map"] = map_paint(args.map_relations, loads=args.loads)
        report["map"]["machine_after"] = machine()
        if not args.json:
            summary = {k: v for k, v in report["map"].items() if k != "loads"}
            print(f"map: {json.dumps(summary)}", flush=True)
            for paint in report["map"]["loads"]:
                print(f"  load: {json.dumps(paint)}", flush=True)
            print(f"machine after the map: {describe(report['map']['machine_after'])}")
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
