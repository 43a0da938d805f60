"""A crash mid-batch loses nothing and half-writes nothing: SIGKILL an `amity ingest`, rerun it."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from amity.registry import open_registry
from amity.registry.models import ArticleRow, EventRow, PlaceRow, ReferenceRow, RelationRow

CITIES = [
    "Lyon",
    "Birmingham",
    "Turku",
    "Nagasaki",
    "Edinburgh",
    "Krakow",
    "Florence",
    "Kyoto",
    "Munich",
    "Edmonton",
    "Seville",
    "Porto",
    "Gdansk",
    "Bremen",
    "Rotterdam",
    "Marseille",
    "Genoa",
    "Valencia",
    "Bordeaux",
    "Leipzig",
    "Dresden",
    "Stuttgart",
    "Toulouse",
    "Glasgow",
]
N_ARTICLES = 240


def write_batch(path) -> None:
    pairs = itertools.islice(itertools.combinations(CITIES, 2), N_ARTICLES)
    with path.open("w", encoding="utf-8") as out:
        for i, (a, b) in enumerate(pairs):
            day = i % 28 + 1
            text = f"{a} and {b} signed a sister city agreement on {day} May 2021. Article {i}."
            out.write(json.dumps({"id": f"art-{i:03d}", "text": text}) + "\n")


def snapshot(url: str) -> dict:
    with open_registry(url) as registry, registry.session() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        hashes = session.scalar(select(func.count(func.distinct(ArticleRow.content_hash))))
        empty = session.scalar(
            select(func.count())
            .select_from(RelationRow)
            .where(
                ~select(EventRow.id).where(EventRow.relation_id == RelationRow.id).exists(),
                ~select(ReferenceRow.id).where(ReferenceRow.relation_id == RelationRow.id).exists(),
            )
        )
        unsummarised = session.scalar(
            select(func.count()).select_from(RelationRow).where(RelationRow.status == "unknown")
        )
        pairs = {}
        for rel in session.scalars(select(RelationRow)):
            key = tuple(sorted((rel.place_a.key, rel.place_b.key)))
            pairs[key] = (len(rel.events), rel.status, rel.established)
        return {
            "articles": count(ArticleRow),
            "distinct_hashes": hashes,
            "places": count(PlaceRow),
            "events": count(EventRow),
            "relations_without_evidence": empty,
            "relations_unsummarised": unsummarised,
            "ids": sorted(session.scalars(select(ArticleRow.external_id))),
            "pairs": pairs,
        }


def test_registry_sigkill_mid_batch_then_rerun_loses_and_duplicates_nothing(
    registry_url, tmp_path, gazetteer
):
    batch = tmp_path / "batch.jsonl"
    write_batch(batch)
    command = [
        sys.executable,
        "-m",
        "amity",
        "ingest",
        str(batch),
        "--workers",  # one process extracts and stores in turn: the batch takes long enough
        "1",  # to be killed in the middle (with workers, extraction finishes first and the
        "--db",  # stores alone can outrun the poll)
        registry_url,
        "--no-progress",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    open_registry(registry_url).close()  # create the schema, so the test can poll
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed_at = None
    deadline = time.monotonic() + 300
    poll = open_registry(registry_url)  # one registry for the polls: each is one count
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with poll.session() as session:
                stored = session.scalar(select(func.count()).select_from(ArticleRow))
            if stored >= 20:
                process.send_signal(signal.SIGKILL)
                killed_at = stored
                break
            time.sleep(0.05)
    finally:
        poll.close()
        if process.poll() is None and killed_at is None:
            process.kill()
        process.wait(timeout=60)
    assert killed_at is not None, (
        f"ingest ended before it could be killed: {process.stderr.read()!r}"
    )
    assert process.returncode == -signal.SIGKILL

    crashed = snapshot(registry_url)
    assert killed_at <= crashed["articles"] < N_ARTICLES, "the kill came too late to test anything"
    assert crashed["articles"] == crashed["distinct_hashes"]
    assert crashed["relations_without_evidence"] == 0
    assert crashed["relations_unsummarised"] == 0
    assert crashed["events"] == sum(n for n, _, _ in crashed["pairs"].values())

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    resumed = snapshot(registry_url)

    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    clean = subprocess.run(
        [*command[:-3], "--db", clean_url, "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert clean.returncode == 0, clean.stderr
    expected = snapshot(clean_url)

    assert resumed["ids"] == expected["ids"] == sorted(f"art-{i:03d}" for i in range(N_ARTICLES))
    assert resumed["articles"] == resumed["distinct_hashes"] == N_ARTICLES
    assert resumed["relations_without_evidence"] == 0
    assert resumed["pairs"] == expected["pairs"]
    assert resumed["events"] == expected["events"]
    assert len(expected["pairs"]) > N_ARTICLES * 0.9  # the batch really produced relations
