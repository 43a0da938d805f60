"""Analysis benchmark: reconcile, each export format and the network report on the synthetic
100k-relation registry of benchmarks/web.py (30,000 places, 5% of relations with a news
event), to which a Wikipedia-list row is added for 90% of the relations (coordinates of
both places, 1 in 20 moved ~1 degree, so that some rows are doubtful).

The reference rows carry their reasons to doubt them (`reference_relation.doubts`), as
`amity import wikipedia-list` stores them.

Each operation runs in a child process of its own (`--op`), so its peak resident memory
(ru_maxrss) is its own; the parent prints wall time, the child's CPU time (user + system:
what a busy machine changes least; the PostgreSQL server's own CPU is not in it) and peak
RSS per operation, and for the exports also the peak RSS and bytes of the same export over
a subset (`year_from=2020`: about 5% of the relations), to show whether memory grows with
the number of relations. The load average is printed before and after each backend.
Goal: each operation under 10 s, exports flat in memory.

PostgreSQL: `--pg-url URL`, else a throw-away server (see benchmarks/registry.py).

Usage: .venv/bin/python benchmarks/analysis.py [--backend sqlite|postgresql|both]
       [--relations N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry import temporary_postgres  # noqa: E402
from web import build, machine  # noqa: E402

EXPORTS = ("csv", "jsonl", "geojson", "graphml", "parquet")
OPERATIONS = ("reconcile", *(f"export-{f}" for f in EXPORTS), "network")


def add_reference_rows(registry, share: float = 0.9, seed: int = 3) -> None:
    """A wikipedia-list row for `share` of the relations, in bulk."""
    import datetime as dt

    from sqlalchemy import insert, select

    from amity.registry.doubts import row_doubts
    from amity.registry.models import PlaceRow, ReferenceRow, RelationRow

    rng = random.Random(seed)
    columns = ("id", "name", "country", "admin1", "geonameid", "lat", "lon", "kind")
    with registry.session() as session:
        places = {
            row[0]: dict(zip(columns, row, strict=True))
            for row in session.execute(select(*(getattr(PlaceRow, c) for c in columns)))
        }
        rows = []
        for rid, a, b in session.execute(
            select(RelationRow.id, RelationRow.place_a_id, RelationRow.place_b_id)
        ):
            if rng.random() > share:
                continue
            pa, pb = places[a], places[b]
            lat1 = pa["lat"] + (1.0 if rng.random() < 0.05 else 0.0)
            raw = dict(
                city1=pa["name"], lat1=lat1, lng1=pa["lon"],
                city2=pb["name"], lat2=pb["lat"], lng2=pb["lon"],
            )  # fmt: skip
            rows.append(
                dict(
                    relation_id=rid,
                    source="wikipedia-list",
                    source_key=f"k{rid}",
                    raw=raw,
                    imported_at=dt.datetime(2026, 1, 1),
                    # as the import stores them (here without the gazetteer's checks)
                    doubts=row_doubts({"source": "wikipedia-list", "raw": raw, "a": pa, "b": pb}),
                )
            )
        for start in range(0, len(rows), 5000):
            session.execute(insert(ReferenceRow), rows[start : start + 5000])
        session.commit()


def run_op(url: str, op: str, subset: bool) -> dict:
    """One operation in this process: {"s", "cpu_s", "peak_rss_mb", "size"} (size: doubtful
    rows, relations in the graph, or bytes written)."""
    from amity.registry import open_registry
    from amity.registry.queries import RelationFilter

    started, cpu_started = time.perf_counter(), time.process_time()
    size = 0
    with open_registry(url, migrate=False) as registry, registry.session() as session:
        if op == "reconcile":
            from amity.analysis.reconcile import reconcile

            size = reconcile(session)["counts"]["doubtful"]
        elif op == "network":
            from amity.analysis.network import network

            size = network(session)["relations"]
        else:
            from amity.export import stream

            filters = RelationFilter(year_from=2020) if subset else None
            with open(os.devnull, "wb") as sink:
                for piece in stream(session, op.removeprefix("export-"), filters):
                    sink.write(piece.encode() if isinstance(piece, str) else piece)
                    size += len(piece)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "s": round(time.perf_counter() - started, 2),
        "cpu_s": round(time.process_time() - cpu_started, 2),
        "peak_rss_mb": round(peak),
        "size": size,
    }


@contextmanager
def _temporary_sqlite() -> Iterator[str]:
    """A SQLite URL in a directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="amity-an-bench-") as folder:
        yield f"sqlite:///{folder}/b.db"


def child(url: str, op: str, subset: bool = False) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--op", op, "--url", url, *(["--subset"] if subset else [])],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url")
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--op", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--subset", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.op:
        print(json.dumps(run_op(args.url, args.op, args.subset)))
        return 0

    from amity.registry import open_registry

    report: dict = {"relations": args.relations, "machine": machine()}
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "sqlite":
            context = _temporary_sqlite()
        else:
            context = nullcontext(args.pg_url) if args.pg_url else temporary_postgres()
        with context as url:
            registry = open_registry(url)
            entry = build(registry, args.relations, 30_000)
            add_reference_rows(registry)
            registry.close()
            entry["load_before"] = os.getloadavg()
            for op in OPERATIONS:
                entry[op] = child(url, op)
                if op.startswith("export-"):  # the same export over fewer relations
                    subset = child(url, op, subset=True)
                    entry[op]["subset"] = {k: subset[k] for k in ("peak_rss_mb", "size")}
                if not args.json:
                    print(f"{backend} {op}: {json.dumps(entry[op])}", flush=True)
            entry["load_after"] = os.getloadavg()
            if not args.json:
                print(f"{backend} load average before/after: {entry['load_before']} / "
                      f"{entry['load_after']}", flush=True)  # fmt: skip
        report[backend] = entry
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
