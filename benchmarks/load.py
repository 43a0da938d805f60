"""Load benchmark: concurrent clients against `amity serve` on 127.0.0.1, on a registry with
the Wikipedia list loaded (25,917 pairs), on SQLite and on PostgreSQL.

For each backend: a registry is filled (`amity import wikipedia-list`, unless `--db` or
`--pg-url` names a filled one), `amity serve --workers N` starts on a free loopback port,
and `--clients` threads (default 16), each with one keep-alive connection, send requests
for `--seconds` (default 30) or until `--requests` in all (default 20,000), whichever comes
first, after `--warmup` seconds (not counted). The mix, drawn at random from a pool of
`--distinct` URLs made from the registry's own places and countries:

    40% relation lists  /api/relations with 0-3 filters (country, status, tier, year range,
                         q, source) and a sort, limit 50
    25% searches        /api/search?q= a place name's prefix, a misspelling, or an exonym
    25% place pages     /api/places/{id} of places with relations
    10% statistics      /api/stats

It prints requests/s, p50/p95/p99 latency (and p95 per kind), errors, the share served from
the response cache (the X-Cache header), the server's CPU time per request (with
PostgreSQL's) and the machine's load average while it ran. Then, one client at a time: the
CPU cost of `--cost-samples` new URLs of each kind (default 100: cache misses, so what a
request's queries and serialisation cost, whatever else runs on the machine), and
`--ratio-samples` new relation lists (default 200) against the same
filters' page query as bare SQL (benchmarks/web.py's `bare_sql_ms`): the ratio of the API's
p95 to the SQL's p95 is what the API adds to the database's work, a figure that survives a
change of machine. Goal (issue 11): >= 200
requests/s and p95 <= 250 ms with 16 clients on a 2-core machine. `--no-cache` serves every
request from the database (the cache off), `--distinct 0` makes every URL new.

Nothing leaves 127.0.0.1. PostgreSQL: `--pg-url URL` (a filled or empty database), else a
throw-away server as in benchmarks/registry.py.

Usage: .venv/bin/python benchmarks/load.py [--backend sqlite|postgresql|both] [--db URL]
       [--pg-url URL] [--clients 16] [--seconds 30] [--requests 20000] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry import CSV, REPO, temporary_postgres  # noqa: E402

HOST = "127.0.0.1"
EXONYMS = [
    "München",
    "Moskva",
    "Peking",
    "Bombay",
    "St Paul",
    "울산",
    "ウルサン",
    "Москва",
    "Ulsna",
]


def machine() -> dict:
    """CPU count and load average: the numbers depend on both."""
    return {"nproc": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of process `root` and its descendants, from /proc: what the
    server itself used, whatever else runs on the machine."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


def postmaster_pid(url: str) -> int | None:
    """The PostgreSQL server's main process (on this machine), to count its CPU too."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            # read while the backend lives: it exits when the connection closes
            stat = (Path("/proc") / str(backend) / "stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except OSError:
        return None
    finally:
        engine.dispose()


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def fill(url: str) -> None:
    """Import the Wikipedia list into `url` unless it holds relations already."""
    from sqlalchemy import func, select

    from amity.registry import open_registry
    from amity.registry.models import RelationRow

    with open_registry(url) as registry, registry.session() as session:
        if session.scalar(select(func.count()).select_from(RelationRow)):
            return
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "amity",
            "import",
            "wikipedia-list",
            str(CSV),
            "--db",
            url,
            "--no-progress",
        ],
        check=True,
        capture_output=True,
    )
    print(f"  filled {url.split('@')[-1]} in {time.perf_counter() - started:.0f} s", flush=True)


def url_pool(url: str, distinct: int, seed: int = 5) -> tuple[list[str], Any]:
    """`distinct` request URLs in the mix's proportions, from the registry's own data, and
    the function that draws one more."""
    from sqlalchemy import func, select, union_all

    from amity.registry import open_registry
    from amity.registry.models import PlaceRow, RelationRow

    rng = random.Random(seed)
    with open_registry(url) as registry, registry.session() as session:
        ends = union_all(
            select(RelationRow.place_a_id.label("p")), select(RelationRow.place_b_id)
        ).subquery()
        connected = [p for (p,) in session.execute(select(ends.c.p).distinct())]
        names = dict(
            session.execute(
                select(PlaceRow.id, PlaceRow.name).where(PlaceRow.id.in_(connected[:20000]))
            ).all()
        )
        countries = [
            c
            for c, _ in session.execute(
                select(PlaceRow.country, func.count())
                .group_by(PlaceRow.country)
                .order_by(func.count().desc())
                .limit(40)
            )
            if c
        ]
    place_names = [n for n in names.values() if n and n.isascii() and len(n) >= 4]

    def relation_params() -> dict[str, str]:
        params: dict[str, str] = {"limit": "50"}
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            kind = rng.choice(["country", "country", "status", "tier", "years", "q", "source"])
            if kind == "country":
                params["country"] = rng.choice(countries)
            elif kind == "status":
                params["status"] = rng.choice(["active", "active", "suspended", "proposed"])
            elif kind == "tier":
                params["tier"] = rng.choice(["sister", "friendly"])
            elif kind == "years":
                year = rng.randint(1950, 2020)
                params["year_from"], params["year_to"] = (
                    str(year),
                    str(year + rng.choice([0, 5, 10])),
                )
            elif kind == "q":
                params["q"] = rng.choice(place_names)[: rng.randint(3, 6)]
            else:
                params["source"] = rng.choice(["news", "wikipedia-list"])
        params["sort"] = rng.choice(["a", "a", "b", "-established", "last_event", "id"])
        return params

    def relation_list() -> str:
        return relations_url(relation_params())

    def search() -> str:
        roll = rng.random()
        if roll < 0.1:
            q = rng.choice(EXONYMS)
        elif roll < 0.3:  # a misspelling: two letters swapped
            name = rng.choice(place_names)
            i = rng.randrange(len(name) - 1)
            q = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            name = rng.choice(place_names)
            q = name[: rng.randint(3, len(name))]
        return f"/api/search?q={_quote(q)}&limit=8"

    def draw() -> str:
        roll = rng.random()
        if roll < 0.40:
            return relation_list()
        if roll < 0.65:
            return search()
        if roll < 0.90:
            return f"/api/places/{rng.choice(connected)}"
        return "/api/stats"

    draw.relation_params = relation_params  # type: ignore[attr-defined]
    return [draw() for _ in range(max(distinct, 1))], draw


def relations_url(params: dict[str, str]) -> str:
    return "/api/relations?" + "&".join(f"{k}={_quote(v)}" for k, v in params.items())


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(url: str, workers: int, cache: bool, log: Path) -> tuple[subprocess.Popen, int]:
    """`amity serve` on a free port; its messages go to `log` (a pipe nobody reads would fill
    and stop the server)."""
    port = free_port()
    env = {**os.environ, "AMITY_RESPONSE_CACHE": "1" if cache else "0"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amity",
            "serve",
            "--db",
            url,
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/openapi.json")
            if connection.getresponse().status == 200:
                connection.close()
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"amity serve did not start: {log.read_text()[-2000:]}")


def run_load(port: int, urls: list[str], draw, clients: int, seconds: float, requests: int) -> dict:
    """`clients` threads, one keep-alive connection each, until `seconds` pass or
    `requests` are done; latencies in seconds."""
    lock = threading.Lock()
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    hits = 0
    issued = 0
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        nonlocal hits, issued
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if issued >= requests:
                    return
                issued += 1
            path = rng.choice(urls) if urls else draw()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                status, cached = response.status, response.getheader("x-cache") == "hit"
            except (OSError, http.client.HTTPException) as error:
                elapsed, status, cached = time.perf_counter() - started, type(error).__name__, False
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
            with lock:
                latencies.append(elapsed)
                by_kind.setdefault(_kind(path), []).append(elapsed)
                hits += cached
                if status != 200:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": round(wall, 1),
        "requests_per_s": round(len(ordered) / wall, 1),
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
        "errors": errors,
        "cache_hits": round(hits / max(len(ordered), 1), 3),
        "p95_ms_by_kind": {
            kind: round(percentile(sorted(times), 0.95) * 1000, 1)
            for kind, times in sorted(by_kind.items())
        },
    }


def _kind(path: str) -> str:
    """relations, search, places or stats: the mix's parts."""
    return path.split("?")[0].removeprefix("/api/").split("/")[0]


def list_ratio(port: int, url: str, relation_params, samples: int) -> dict:
    """One client, `samples` new relation-list URLs over HTTP (cache misses: each runs its
    queries), and the same filters' page query as bare SQL (benchmarks/web.py's
    `bare_sql_ms`: no ORM, no HTTP). The ratio of the two p95s depends little on the machine:
    it is what the API adds to the database's own work."""
    from web import bare_sql_ms

    from amity.registry import open_registry

    params = [relation_params() for _ in range(samples)]
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    api = []
    for p in params:
        started = time.perf_counter()
        connection.request("GET", relations_url(p))
        response = connection.getresponse()
        response.read()
        api.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"{relations_url(p)}: HTTP {response.status}")
    connection.close()
    with open_registry(url) as registry:
        sql = [bare_sql_ms(registry, p) for p in params]
    api_p95, sql_p95 = percentile(sorted(api), 0.95), percentile(sorted(sql), 0.95)
    return {
        "samples": samples,
        "api_p50_ms": round(percentile(sorted(api), 0.5) * 1000, 1),
        "api_p95_ms": round(api_p95 * 1000, 1),
        "bare_sql_p95_ms": round(sql_p95 * 1000, 2),
        "api_to_sql_p95": round(api_p95 / max(sql_p95, 1e-6), 1),
    }


def miss_costs(port: int, draw, samples: int, server_pid: int, database: int | None) -> dict:
    """CPU milliseconds (the server's, and PostgreSQL's) per request of each kind, one
    client, `samples` new URLs per kind (cache misses: each runs its queries). What a
    request costs does not depend on what else runs on the machine, unlike its latency."""
    wanted: dict[str, list[str]] = {"relations": [], "search": [], "places": []}
    while min(len(paths) for paths in wanted.values()) < samples:
        path = draw()
        kind = _kind(path)
        if kind in wanted and len(wanted[kind]) < samples:
            wanted[kind].append(path)
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    costs = {}
    for kind, paths in wanted.items():
        server_before = cpu_seconds(server_pid)
        database_before = cpu_seconds(database) if database else 0.0
        for path in paths:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            connection.getresponse().read()
        server = cpu_seconds(server_pid) - server_before
        db = cpu_seconds(database) - database_before if database else 0.0
        costs[kind] = {
            "server_ms": round(1000 * server / samples, 2),
            "database_ms": round(1000 * db / samples, 2),
        }
    connection.close()
    return costs


def bench(url: str, args: argparse.Namespace) -> dict:
    fill(url)
    urls, draw = url_pool(url, args.distinct)
    if args.distinct == 0:
        urls = []
    log = Path(tempfile.mkdtemp(prefix="amity-load-log-")) / "serve.log"
    server, port = start_server(url, args.workers, cache=not args.no_cache, log=log)
    try:
        if args.warmup:
            run_load(port, urls, draw, args.clients, args.warmup, args.requests)
        database = postmaster_pid(url)
        db_before = cpu_seconds(database) if database else 0.0
        before, cpu_before = machine(), cpu_seconds(server.pid)
        result = run_load(port, urls, draw, args.clients, args.seconds, args.requests)
        result["machine_before"], result["machine_after"] = before, machine()
        cpu = cpu_seconds(server.pid) - cpu_before
        if database:  # the PostgreSQL server's work is the server's too
            cpu += cpu_seconds(database) - db_before
        # what the server (and PostgreSQL) did per CPU-second they got: about its capacity
        # per core on an idle machine, whatever else shared the machine during the run
        result["server_cpu_s"] = round(cpu, 1)
        result["requests_per_server_cpu_s"] = round(result["requests"] / max(cpu, 1e-9), 1)
        result["server_cpu_ms_per_request"] = round(1000 * cpu / max(result["requests"], 1), 2)
        if args.cost_samples:
            result["miss_cpu_ms"] = miss_costs(port, draw, args.cost_samples, server.pid, database)
        if args.ratio_samples:
            result["list_vs_sql"] = list_ratio(port, url, draw.relation_params, args.ratio_samples)
            result["list_vs_sql"]["loadavg"] = machine()["loadavg"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    problems = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if any(word in line for word in ("Traceback", "Error", "ERROR", "Exception"))
    ]
    if problems:
        print(f"  server problems (see {log}):", *problems[-20:], sep="\n", file=sys.stderr)
    result.update(
        clients=args.clients,
        workers=args.workers,
        distinct_urls=args.distinct,
        cache=not args.no_cache,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--db", help="a SQLite registry URL to use (filled when empty)")
    parser.add_argument("--pg-url", help="a PostgreSQL registry URL to use (filled when empty)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--distinct", type=int, default=2000, help="URL pool size (0: every URL new)"
    )
    parser.add_argument("--no-cache", action="store_true", help="turn the response cache off")
    parser.add_argument(
        "--ratio-samples",
        type=int,
        default=200,
        help="relation lists timed one at a time against bare SQL after the run (0: none)",
    )
    parser.add_argument(
        "--cost-samples",
        type=int,
        default=100,
        help="new URLs per kind timed for their CPU cost after the run (0: none)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    report: dict = {"machine": machine()}
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "sqlite":
            context = nullcontext(
                args.db or f"sqlite:///{tempfile.mkdtemp(prefix='amity-load-')}/load.db"
            )
        else:
            context = nullcontext(args.pg_url) if args.pg_url else temporary_postgres()
        with context as url:
            report[backend] = bench(url, args)
        if not args.json:
            r = report[backend]
            print(
                f"{backend}: {r['requests_per_s']} requests/s ({r['requests']} in {r['seconds']} s, "
                f"{r['clients']} clients, {r['workers']} workers), p50 {r['p50_ms']} ms, "
                f"p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors'] or 0}, "
                f"cache hits {r['cache_hits']:.0%}; server CPU {r['server_cpu_s']} s"
                f"{' (with PostgreSQL)' if backend == 'postgresql' else ''} "
                f"({r['server_cpu_ms_per_request']} ms per request, "
                f"{r['requests_per_server_cpu_s']} requests per CPU-second); "
                f"load average {r['machine_before']['loadavg']} "
                f"-> {r['machine_after']['loadavg']} on {r['machine_after']['nproc']} cores; "
                f"p95 by kind (ms) {r['p95_ms_by_kind']}",
                flush=True,
            )
            costs = r.get("miss_cpu_ms")
            if costs:
                print(
                    "  CPU per request, cache misses, one client (server + database ms): "
                    + ", ".join(
                        f"{kind} {c['server_ms']} + {c['database_ms']}" for kind, c in costs.items()
                    ),
                    flush=True,
                )
            ratio = r.get("list_vs_sql")
            if ratio:
                print(
                    f"  relation lists one at a time ({ratio['samples']} new URLs): API p50 "
                    f"{ratio['api_p50_ms']} ms, p95 {ratio['api_p95_ms']} ms; bare SQL p95 "
                    f"{ratio['bare_sql_p95_ms']} ms; API/SQL p95 {ratio['api_to_sql_p95']} "
                    f"(load average {ratio['loadavg']})",
                    flush=True,
                )
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
