"""Registry benchmark: import the reference list, ingest seeds + BBC, database size, query latency.

For each backend (SQLite file, PostgreSQL) it measures:

- import: `amity.registry.reference.import_wikipedia_list` on ../shared/reference/twin_cities.csv
  (25,917 pairs; includes resolving every place with the gazetteer);
- ingest: `amity.registry.store.ingest` of ../shared/corpus/seeds and the 2,225 BBC articles
  (the full pipeline, then the writes);
- size: the database file (SQLite, with its WAL) or pg_database_size (PostgreSQL);
- show / relations: p50 and p95 latency of `queries.show` on 200 random places and of
  `queries.relations` with 100 random filter combinations (country, status, since, tier).

PostgreSQL: `--pg-url URL`, else a throw-away server is started from the Debian `postgresql`
package (initdb + pg_ctl in a temporary directory, as `postgres` when run as root).
../shared is read at run time (AMITY_SHARED overrides); nothing is copied from it.

Usage: .venv/bin/python benchmarks/registry.py [--backend sqlite|postgresql] [--pg-url URL] [--json]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
CSV = SHARED / "reference" / "twin_cities.csv"
NEWS = [SHARED / "corpus" / "seeds", SHARED / "corpus" / "bbc" / "bbc-2225.jsonl"]


@contextmanager
def temporary_postgres() -> Iterator[str]:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    pg_ctl = Path(bins[0]) if bins else Path(shutil.which("pg_ctl") or "pg_ctl")
    base = Path(tempfile.mkdtemp(prefix="amity-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run(
        [
            *as_user,
            str(pg_ctl.parent / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(pg_ctl),
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-o",
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE amity_bench")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/amity_bench"
    finally:
        subprocess.run(
            [*as_user, str(pg_ctl), "-D", str(data), "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def database_size(registry, url: str) -> int:
    if registry.dialect == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with registry.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()


def run(backend: str, url: str, resolver) -> dict:
    from sqlalchemy import select

    from amity.ingest import read_articles
    from amity.registry import open_registry
    from amity.registry.models import PlaceRow, RelationRow
    from amity.registry.queries import relations, show
    from amity.registry.reference import import_wikipedia_list
    from amity.registry.store import ingest

    result: dict = {"backend": backend}
    with open_registry(url) as registry:
        start = time.perf_counter()
        imported = import_wikipedia_list(registry, CSV, resolver=resolver)
        result["import_s"] = time.perf_counter() - start
        result["imported"] = imported.imported
        start = time.perf_counter()
        summary = ingest(registry, read_articles(NEWS))
        result["ingest_s"] = time.perf_counter() - start
        result["articles"] = summary.read
        result["news_relations"] = summary.relations_new + summary.relations_updated
        result["size_mb"] = database_size(registry, url) / 1e6

        rng = random.Random(5)
        with registry.session() as session:
            ids = session.scalars(select(RelationRow.place_a_id)).all()
            places = session.scalars(
                select(PlaceRow.name).where(PlaceRow.id.in_(rng.sample(ids, 200)))
            ).all()
            countries = [c for c in session.scalars(select(PlaceRow.country).distinct()) if c]
        timings = []
        for name in places:
            with registry.session() as session:
                start = time.perf_counter()
                show(session, name)
                timings.append(time.perf_counter() - start)
        result["show_p50_ms"], result["show_p95_ms"] = percentiles(timings)
        timings = []
        for _ in range(100):
            filters = {
                "country": rng.choice(countries),
                "status": rng.choice([None, "active", "proposed"]),
                "since": rng.choice([None, 2000, 2020]),
                "tier": rng.choice([None, None, "sister"]),
            }
            with registry.session() as session:
                start = time.perf_counter()
                relations(session, **filters)
                timings.append(time.perf_counter() - start)
        result["relations_p50_ms"], result["relations_p95_ms"] = percentiles(timings)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: start one)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not CSV.exists() or not all(p.exists() for p in NEWS):
        print(
            f"registry benchmark: {SHARED} lacks the reference list or the corpus", file=sys.stderr
        )
        return 1
    from amity.resolve import Resolver

    resolver = Resolver()
    results = []
    for backend in args.backend or ["sqlite", "postgresql"]:
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results.append(run(backend, f"sqlite:///{tmp}/amity.db", resolver))
        elif args.pg_url:
            results.append(run(backend, args.pg_url, resolver))
        else:
            with temporary_postgres() as url:
                results.append(run(backend, url, resolver))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Registry benchmark", title_justify="left")
    columns = [
        "backend",
        "import_s",
        "imported",
        "ingest_s",
        "articles",
        "news_relations",
        "size_mb",
        "show_p50_ms",
        "show_p95_ms",
        "relations_p50_ms",
        "relations_p95_ms",
    ]
    for column in columns:
        table.add_column(column, justify="left" if column == "backend" else "right")
    for row in results:
        table.add_row(
            *(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in columns)
        )
    Console(width=200).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
