"""Where two workers lose against one process: wall time and CPU seconds of every process.

One run, on the stream of benchmarks/scale.py (BBC articles repeated, one news-dev article
in every 100): `amity.parallel.extract_units` with one process, then with 2 workers, then
2 workers with bigger chunks, each in a fresh process. For each it prints the wall time,
the speed-up over one process, the CPU seconds of the parent (cutting lines, unpickling,
ordering) and of each worker (read from /proc just before the pool shuts down), CPU
milliseconds per article summed over the processes, and the load average around it. Last,
two one-process runs at once on the two halves of the stream: the same contention for the
cores as 2 workers, without the pool. On a shared machine the wall-time speed-up says as
much about the other work as about amity; the CPU per article of 2 workers against that
of the two halves says what the pool itself adds.

Usage: .venv/bin/python benchmarks/workers.py [--count N] [--relevant SHARE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import build_stream, free_parallelism  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a live process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run(path: Path, workers: int, chunk: int) -> dict[str, object]:
    """One measured run in this (fresh) process."""
    import concurrent.futures

    from amity.ingest.units import iter_units
    from amity.parallel import extract_units

    worker_cpu: list[float] = []

    class MeasuredPool(concurrent.futures.ProcessPoolExecutor):
        def shutdown(self, *args: object, **kwargs: object) -> None:
            for process in (self._processes or {}).values():
                worker_cpu.append(_cpu_of(process.pid))
            super().shutdown(*args, **kwargs)

    concurrent.futures.ProcessPoolExecutor = MeasuredPool  # type: ignore[misc]
    start = time.perf_counter()
    found = articles = 0
    for article in extract_units(iter_units([str(path)]), workers, chunk_size=chunk):
        articles += 1
        found += len(article.relations)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall": wall,
        "parent_cpu": usage.ru_utime + usage.ru_stime,
        "worker_cpu": worker_cpu,
        "articles": articles,
        "relations": found,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--relevant", type=float, default=0.01)
    parser.add_argument("--_run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._run:
        path, workers, chunk = args._run
        print(json.dumps(run(Path(path), int(workers), int(chunk))))
        return 0
    work = Path(tempfile.mkdtemp(prefix="amity-workers-"))
    try:
        stream = work / "stream.jsonl"
        relevant = build_stream(stream, args.count, args.relevant)
        print(f"stream: {args.count:,} articles, {relevant} from news-dev")
        print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"free parallelism (2.00x idle): {free_parallelism():.2f}x")
        one = None
        for workers, chunk in ((1, 16), (2, 16), (2, 64), (2, 16), (1, 16)):
            load = os.getloadavg()[0]
            output = subprocess.run(
                [sys.executable, __file__, "--_run", str(stream), str(workers), str(chunk)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            cpu = result["parent_cpu"] + sum(result["worker_cpu"])
            one = one or result["wall"]
            per_worker = ", ".join(f"{c:.1f} s" for c in result["worker_cpu"]) or "-"
            print(
                f"workers {workers}, chunk {chunk} (load {load:.1f}): {result['wall']:.1f} s wall, "
                f"{args.count / result['wall']:,.0f} articles/s, {one / result['wall']:.2f}x one "
                f"process; CPU parent {result['parent_cpu']:.1f} s, workers {per_worker}; "
                f"{1000 * cpu / result['articles']:.2f} ms CPU per article in all; "
                f"{result['relations']} relations"
            )
        halves = [work / "first.jsonl", work / "second.jsonl"]
        lines = stream.read_text(encoding="utf-8").splitlines(True)
        halves[0].write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        halves[1].write_text("".join(lines[len(lines) // 2 :]), encoding="utf-8")
        load = os.getloadavg()[0]
        start = time.perf_counter()
        processes = [
            subprocess.Popen(
                [sys.executable, __file__, "--_run", str(half), "1", "16"],
                stdout=subprocess.PIPE,
                text=True,
            )
            for half in halves
        ]
        results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]
        wall = time.perf_counter() - start
        cpus = [r["parent_cpu"] for r in results]
        print(
            f"two one-process runs at once, half the stream each (load {load:.1f}): {wall:.1f} s "
            f"wall, {one / wall:.2f}x one process; CPU {cpus[0]:.1f} s + {cpus[1]:.1f} s; "
            f"{1000 * sum(cpus) / args.count:.2f} ms CPU per article in all (a pool without "
            f"its costs: what 2 workers could do under the same contention)"
        )
        print(f"free parallelism (2.00x idle): {free_parallelism():.2f}x")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
