"""`--workers N`: worker processes read and extract, the parent keeps order and writes; the
output is the same bytes as one process, and the registry the same."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from amity.cli import app
from amity.parallel import POOL_WORTH_IT, choose_workers, chunk_size_for, default_workers
from modes_corpus import corpus_paths, registry_content, single_process
from shared_paths import require_shared


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, gazetteer):
    base = tmp_path_factory.getbasetemp() / "modes"
    base.mkdir(exist_ok=True)
    return corpus_paths(base)


def test_two_workers_give_the_bytes_of_one_process(corpus, tmp_path):
    """The seeds, news-dev and 300 BBC articles: `amity extract --workers 2` writes exactly
    what one process writes (extract_articles(read_articles(...)))."""
    expected, _ = single_process(tuple(corpus))
    output = tmp_path / "two.jsonl"
    result = CliRunner().invoke(
        app, ["extract", *corpus, "--workers", "2", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(expected) > 400
    assert lines == list(expected)
    assert sum(bool(json.loads(line)["relations"]) for line in lines) > 50


def test_choose_workers():
    assert choose_workers(None, POOL_WORTH_IT - 1) == 1  # a small batch: no pool
    assert choose_workers(None, POOL_WORTH_IT) == default_workers()
    assert choose_workers(8, 3) == 3 and choose_workers(2, 1000) == 2
    assert chunk_size_for(5, 2) == 1 and chunk_size_for(100_000, 2) == 16


def test_ingest_with_two_workers_equals_one_process(registry_url, tmp_path, gazetteer):
    """The seeds plus irrelevant BBC articles, stored by `--workers 2` (workers extract, the
    parent writes) and by one process: the same registry; a rerun stores nothing."""
    seeds = require_shared("corpus/seeds")
    bbc = require_shared("corpus/bbc/bbc-2225.jsonl")
    lines = bbc.read_text(encoding="utf-8").splitlines()[:40]
    extra = tmp_path / "bbc-40.jsonl"
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = f"sqlite:///{tmp_path / 'one.db'}"
    runner = CliRunner()
    inputs = [str(seeds), str(extra), "--no-progress"]
    first = runner.invoke(app, ["ingest", *inputs, "--db", one, "--workers", "1"])
    assert first.exit_code == 0, first.output
    two = runner.invoke(app, ["ingest", *inputs, "--db", registry_url, "--workers", "2"])
    assert two.exit_code == 0, two.output
    relations, articles = registry_content(registry_url)
    assert (relations, articles) == registry_content(one)
    assert len(relations) >= 5 and articles["total"] == 45 and articles["irrelevant"] >= 40
    again = runner.invoke(app, ["ingest", *inputs, "--db", registry_url, "--workers", "2"])
    assert again.exit_code == 0, again.output
    assert re.search(r"already stored\W+45\b", again.output), again.output
    assert registry_content(registry_url) == (relations, articles)


def test_files_of_a_directory_are_read_by_the_workers_not_the_parent(tmp_path):
    """A directory's text and HTML files go to the workers as bytes (the parent only lists
    and reads files), JSONL files as lines; what the workers make of them is exactly what
    `read_articles` makes of the directory, errors included."""
    import gzip
    from dataclasses import asdict

    from amity.ingest import read_articles
    from amity.ingest.units import Document, Line, Ready, iter_units, read_unit

    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Harbour towns\nThe two harbour towns signed a twinning pact.")
    (folder / "sub" / "b.html").write_text(
        "<html><head><title>Mayors meet</title></head><body><p>The mayors of two river "
        "towns met on Monday to plan a school exchange for next spring.</p></body></html>"
    )
    (folder / "c.jsonl").write_text('{"id": "c1", "text": "A plain line of news."}\n')
    (folder / "d.txt.gz").write_bytes(gzip.compress(b"Compressed news about a bridge."))
    (folder / "empty.txt").write_text("")
    units = list(iter_units([str(folder)]))
    kinds = [type(unit).__name__ for unit in units]
    assert kinds == ["Document", Line.__name__, Ready.__name__, "Document", "Document"]
    assert sum(isinstance(unit, Document) for unit in units) == 3
    from_units = [asdict(article) for unit in units for article in read_unit(unit)]
    assert from_units == [asdict(article) for article in read_articles([str(folder)])]
    assert [a["id"] for a in from_units] == ["a", "c1", "d", "empty", "b"]


def test_a_forked_child_reads_the_gazetteer_on_a_connection_of_its_own(gazetteer):
    """Workers fork from a server that opened the gazetteer: the child must not use the
    parent's SQLite connection, and must still answer as the parent does."""
    import os

    from amity.gazetteer.index import Gazetteer

    parent = Gazetteer()
    view = parent.restricted(["cities500"])
    before = (id(parent._db), id(view._db))
    expected = [c.geonameid for c in view.lookup("Longyan")]
    assert expected
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave at once, without pytest's clean-up
        try:
            answer = {
                "new": id(parent._db) != before[0] and id(view._db) != before[1],
                "found": [c.geonameid for c in view.lookup("Longyan")],
            }
            os.write(write, json.dumps(answer).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert answer == {"new": True, "found": expected}
    assert (id(parent._db), id(view._db)) == before  # the parent keeps its own


def test_the_fork_server_loads_the_models_once_for_every_worker(gazetteer):
    """What `amity.worker_models` does on import (the fork server's preload): spaCy with the
    place ruler, the gazetteer, the known pairs and the language identifier are loaded, and
    the loaded objects are moved out of the collector's reach (no copy-on-write by gc)."""
    import subprocess
    import sys

    script = (
        "import gc, sys\n"
        "import amity.worker_models\n"
        "from amity.extract.nlp import load_nlp\n"
        "from amity.gazetteer.knowledge import load_knowledge\n"
        "from amity.extract.lookup_cache import shared_gazetteer, shared_resolution_gazetteer\n"
        "from amity.languages.detect import _identifier\n"
        "loaded = [f.cache_info().currsize for f in (load_nlp, load_knowledge, shared_gazetteer,"
        " shared_resolution_gazetteer, _identifier)]\n"
        "print(loaded, 'amity_place_ruler' in load_nlp().pipe_names, gc.get_freeze_count() > 10000)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert output.strip() == "[1, 1, 1, 1, 1] True True"


def test_a_caller_with_its_own_pipeline_gets_no_preloaded_models(monkeypatch):
    """`pipeline_factory` replaces the default pipeline: its workers must not pay for the
    English models."""
    import multiprocessing

    from amity import parallel
    from amity.ingest.units import iter_units

    preloads: list[list[str]] = []
    original = multiprocessing.get_context

    def recording_context(method):
        context = original(method)
        set_preload = context.set_forkserver_preload

        def recording_preload(names):
            preloads.append(list(names))
            set_preload(names)

        context.set_forkserver_preload = recording_preload
        return context

    monkeypatch.setattr(multiprocessing, "get_context", recording_context)
    assert list(parallel.extract_units(iter([]), 2, pipeline_factory=_identity_pipeline)) == []
    assert list(parallel.extract_units(iter_units([]), 2)) == []
    assert preloads[0] == parallel._PRELOAD
    assert preloads[1] == [*parallel._PRELOAD, parallel._PRELOAD_MODELS]


def _identity_pipeline():
    return lambda article: article
