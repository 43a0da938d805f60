"""The pipeline on every core of one machine: worker processes read and extract, the
parent keeps the order (and, for `amity ingest`, does every registry write).

The parent cuts the input into units that are cheap to cut and independent to read
(`amity.ingest.units`: a JSONL line, a WARC response, the bytes of a text or HTML file of a
directory), sends them in
chunks to a pool of worker processes, and yields the extracted Articles in input order,
the same Articles that one process gives. Each worker builds one pipeline
(`amity.pipeline.default_pipeline()`) over the models it inherits: workers start from a
fork server that has imported amity and loaded the English models (`amity.worker_models`),
not as copies of the parent (whose database connections and threads they must not
inherit). The models load once, not once per worker, and the workers share their pages
(measured: about 200 MB and 2-4 s of CPU less for 2 workers, docs/scale.md).

What limits the speed-up (measured, docs/scale.md): not the parent (about 0.4 s of CPU for
5,000 JSONL articles: it cuts lines and unpickles results, ~12 µs an article) nor the
chunking, but the model load (2-4 s of CPU, once, in the fork server), the machine (two
independent processes on a 2-core VM reached 1.61x one) and the cores other work holds.

Example:
    >>> from amity.parallel import extract_paths
    >>> for article in extract_paths(["news/articles.jsonl"], workers=2):  # doctest: +SKIP
    ...     print(article.to_json())
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from amity.ingest.units import Unit, iter_units, read_unit
from amity.types import Article

if TYPE_CHECKING:
    from concurrent.futures import Future

    from amity.pipeline import Pipeline
    from amity.registry import Registry

CHUNK_SIZE = 16
"""Units per task: big enough that sending costs little next to reading, small enough that
one slow (relevant) article does not hold many others back."""
IN_FLIGHT_PER_WORKER = 32
"""Chunks queued per worker. Results leave in input order, so a chunk holding a slow
(relevant) article holds the head of the queue while the workers finish the others: with 4
a worker (64 articles, ~20 ms of irrelevant ones) they went idle behind it. Measured on
20,000 articles with 1 % relevant, 2 workers: 4 gave 24.6-25.7 s, 32 gave 20.6-23.2 s, as fast
as two independent processes on the two halves. Memory stays bounded (~1,000 units)."""
CHUNKS_PER_WORKER_SMALL_INPUT = 4
"""A small input is cut so that each worker gets at least this many chunks."""
POOL_WORTH_IT = 200
"""Below this many articles, `workers=None` runs in this process: starting the pool and
loading the models in its fork server (seconds) costs more than that work."""
# Imported once by the fork server, so workers start without importing them again.
_PRELOAD = ["amity.pipeline", "amity.ingest.readers", "amity.ingest.html", "amity.prefilter"]
_PRELOAD_MODELS = "amity.worker_models"  # and the models, loaded once for every worker

_worker_pipeline: Pipeline | None = None
_worker_skip: frozenset[str] = frozenset()


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def choose_workers(requested: int | None, count: int) -> int:
    """The processes to use for `count` articles: `requested` (capped at `count`), or with
    None all cores when there are at least POOL_WORTH_IT articles, else one."""
    if requested is None:
        return default_workers() if count >= POOL_WORTH_IT else 1
    return max(1, min(requested, count))


def extract_units(
    units: Iterable[Unit],
    workers: int,
    *,
    skip_hashes: frozenset[str] = frozenset(),
    chunk_size: int = CHUNK_SIZE,
    pipeline_factory: Callable[[], Pipeline] | None = None,
) -> Iterator[Article]:
    """Read and extract `units` with `workers` processes, yielding Articles in input order.

    An article whose content hash is in `skip_hashes` (stored already) is not extracted: it
    comes back as a stub with its id, source and content hash and no text, which
    `amity.registry.store.ingest` counts as already stored. With `workers` 1 everything
    runs in this process.
    """
    if workers <= 1:
        _init_worker(skip_hashes, pipeline_factory)
        for unit in units:
            yield from _process(unit)
        return
    import multiprocessing  # only for a pool: a one-process run starts without it
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    # the models too, unless the caller brings its own pipeline
    context.set_forkserver_preload(_PRELOAD + ([] if pipeline_factory else [_PRELOAD_MODELS]))
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(skip_hashes, pipeline_factory),
    )
    try:
        pending: deque[Future[list[Article]]] = deque()
        iterator = iter(units)
        while chunk := list(islice(iterator, chunk_size)):
            pending.append(pool.submit(_process_chunk, chunk))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:  # also when the caller stops early or fails: drop the queued chunks
        pool.shutdown(wait=True, cancel_futures=True)


def extract_paths(
    paths: Iterable[str], workers: int | None = None, **options: Any
) -> Iterator[Article]:
    """`extract_units(iter_units(paths), ...)`, with `choose_workers` deciding the processes."""
    units = list(iter_units(paths))
    return extract_units(units, choose_workers(workers, len(units)), **options)


def chunk_size_for(count: int, workers: int) -> int:
    """A chunk size that gives every worker a few chunks of a small input."""
    return max(1, min(CHUNK_SIZE, count // (workers * CHUNKS_PER_WORKER_SMALL_INPUT) or 1))


def stored_hashes(registry: Registry, *, retry_failed: bool = False) -> frozenset[str]:
    """The content hashes the registry holds (without failed articles under `retry_failed`):
    the articles a parallel ingest need not extract."""
    from sqlalchemy import select

    from amity.registry.models import ArticleRow

    query = select(ArticleRow.content_hash)
    if retry_failed:
        query = query.where(ArticleRow.status != "failed")
    with registry.session() as session:
        return frozenset(session.scalars(query))


def _init_worker(
    skip_hashes: frozenset[str], pipeline_factory: Callable[[], Pipeline] | None
) -> None:
    global _worker_pipeline, _worker_skip
    from amity.pipeline import default_pipeline

    _worker_pipeline = (pipeline_factory or default_pipeline)()  # stages load lazily
    _worker_skip = skip_hashes


def _process_chunk(chunk: Sequence[Unit]) -> list[Article]:
    return [article for unit in chunk for article in _process(unit)]


def _process(unit: Unit) -> Iterator[Article]:
    assert _worker_pipeline is not None
    for article in read_unit(unit):
        if article.content_hash and article.content_hash in _worker_skip:
            yield Article(
                id=article.id, text="", source=article.source, content_hash=article.content_hash
            )
        else:
            yield _worker_pipeline(article)
