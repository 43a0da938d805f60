"""Two `amity ingest` processes at once, on SQLite and on a real PostgreSQL server: both exit
0 and the registry equals the one a single clean run makes.

The ~200 articles are generated here (city pairs with an agreement, an anniversary, an
exchange or a suspension, each on its own date, so no two facts of a relation tie), plus
the bundled examples/articles and a few lines that fail to read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from amity.registry import open_registry
from amity.registry.models import ArticleRow, EventRow, PlaceRow, RelationRow

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
CITIES = [
    "Lyon", "Birmingham", "Turku", "Nagasaki", "Edinburgh", "Krakow", "Florence", "Kyoto",
    "Munich", "Edmonton", "Seville", "Porto", "Gdansk", "Bremen", "Rotterdam", "Marseille",
    "Genoa", "Valencia", "Bordeaux", "Leipzig", "Dresden", "Stuttgart", "Toulouse", "Glasgow",
]  # fmt: skip
TEMPLATES = [
    "{a} and {b} signed a sister city agreement on {date}. The mayors met in {a}.",
    "{a} and {b} marked the {n}th anniversary of their twinning on {date}.",
    "A delegation from {a} visited its sister city {b} on {date} for a student exchange.",
    "{a} suspended its twin city relationship with {b} on {date}, the council said.",
]
N_GENERATED = 192


def write_inputs(directory: Path) -> list[Path]:
    """Two JSONL halves that share city pairs (the same relation written from both), the
    examples, and three lines that fail; returns the paths in a fixed order."""
    directory.mkdir(parents=True, exist_ok=True)
    start = dt.date(2015, 1, 1)
    pairs = [(a, b) for i, a in enumerate(CITIES) for b in CITIES[i + 1 :]][::5]
    lines = []
    for i in range(N_GENERATED):
        a, b = pairs[i % len(pairs)]
        day = start + dt.timedelta(days=7 * i)  # one date per fact: no ties on a timeline
        text = TEMPLATES[(i // len(pairs)) % len(TEMPLATES)].format(
            a=a, b=b, n=10 + i % 20, date=f"{day.day} {day:%B} {day.year}"
        )
        lines.append({"id": f"gen-{i:03d}", "text": text, "published": day.isoformat()})
    lines.append({"id": "no-text", "text": 12345})
    lines.append({"id": "irrelevant", "text": "The river rose two metres in Lyon on Monday."})
    halves = [directory / "half-1.jsonl", directory / "half-2.jsonl"]
    for number, path in enumerate(halves):
        with path.open("w", encoding="utf-8") as out:
            for record in lines[number::2]:
                out.write(json.dumps(record) + "\n")
    examples = directory / "examples"
    shutil.copytree(EXAMPLES, examples)
    (examples / "broken.txt").write_bytes(b"\x00\x01\x02\x03 not text \x00\x00\x00" * 20)
    return [*halves, examples]


def run_ingest(paths: list[Path], url: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "amity", "ingest", *map(str, paths)]
    return subprocess.Popen(
        [*command, "--db", url, "--no-progress"],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=900)
    return process.returncode, stdout, stderr


def snapshot(url: str) -> dict:
    """The registry's content, free of row ids and of which process wrote what."""
    with open_registry(url) as registry, registry.session() as session:
        keys = dict(session.execute(select(PlaceRow.id, PlaceRow.key)).all())
        hashes = dict(session.execute(select(ArticleRow.id, ArticleRow.content_hash)).all())
        articles = sorted(
            (a.content_hash, a.external_id or "", a.status, str(a.published), a.title or "")
            for a in session.scalars(select(ArticleRow))
        )
        relations = {}
        pair_of = {}  # relation id -> (key, key), sorted: which side is `a` follows row ids
        swapped = {}
        for rel in session.scalars(select(RelationRow)):
            pair = (keys[rel.place_a_id], keys[rel.place_b_id])
            swapped[rel.id] = pair[0] > pair[1]
            pair_of[rel.id] = tuple(sorted(pair))
            pair = pair_of[rel.id]
            relations[pair] = (
                rel.tier,
                rel.status,
                rel.established,
                json.dumps(rel.established_conflict, sort_keys=True),
                str(rel.first_seen),
                str(rel.last_seen),
                rel.last_event,
            )
        events = sorted(
            (
                hashes[e.article_id],
                pair_of[e.relation_id],
                e.type,
                e.tier or "",
                e.date or "",
                e.sort_date or "",
                e.established or 0,
                e.anniversary or 0,
                tuple(e.evidence),
                e.confidence,
                *((e.b_name, e.a_name) if swapped[e.relation_id] else (e.a_name, e.b_name)),
            )
            for e in session.scalars(select(EventRow))
        )
        return {
            "articles": articles,
            "places": sorted(keys.values()),
            "relations": relations,
            "events": events,
        }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return write_inputs(tmp_path_factory.mktemp("concurrent") / "in")


@pytest.fixture(scope="module")
def clean(inputs, tmp_path_factory, gazetteer):
    """The registry one `amity ingest` makes of all the inputs, alone."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}"
    code, stdout, stderr = finish(run_ingest(inputs, url))
    assert code == 0, stderr
    expected = snapshot(url)
    assert len(expected["articles"]) == N_GENERATED + 2 + 9  # 8 examples and broken.txt
    assert len(expected["relations"]) >= 40
    assert sum(1 for a in expected["articles"] if a[2] == "failed") == 2
    # most relations carry several facts, so the write order would show in their summary
    assert len(expected["events"]) > len(expected["relations"]) * 2
    return expected


@pytest.mark.parametrize("split", [False, True], ids=["same-articles", "different-articles"])
def test_two_concurrent_ingests_equal_one_clean_run(registry_url, inputs, clean, split):
    """Into a registry that does not exist yet: both processes create the schema at once."""
    if split:  # half each, the halves share relations
        first, second = [inputs[0], inputs[2]], [inputs[1]]
    else:
        first = second = inputs
    processes = [run_ingest(first, registry_url), run_ingest(second, registry_url)]
    results = [finish(process) for process in processes]
    for code, _stdout, stderr in results:
        assert code == 0, stderr[-3000:]
        assert "Traceback" not in stderr and "IntegrityError" not in stderr
    if not split:  # every article was stored once, by one of the two
        counts = [_count(stdout, "already stored") for _code, stdout, _stderr in results]
        assert sum(counts) == len(clean["articles"]), counts
    assert snapshot(registry_url) == clean


def _count(table: str, label: str) -> int:
    for line in table.splitlines():
        if label in line:
            return int(line.split("│")[2])
    raise AssertionError(f"no {label!r} in {table!r}")


def test_schema_creation_is_serialised(registry_url):
    """The issue's case: two or three ingests into a new registry gave "table article
    already exists". Four processes open the same new registry at once."""
    code = (
        "import sys; from amity.registry import open_registry; open_registry(sys.argv[1]).close()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, registry_url], stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=300)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors
    with open_registry(registry_url, migrate=False) as registry, registry.engine.connect() as c:
        from alembic.migration import MigrationContext

        heads = MigrationContext.configure(c).get_current_heads()
    assert len(heads) == 1


def test_an_article_stored_by_another_writer_meanwhile_counts_as_already_stored(
    registry, registry_url, make_article
):
    """Process B stores the article while process A is extracting it: A's write finds it
    under the write lock and skips it (it used to die with IntegrityError on
    article.content_hash, then again in its failure path)."""
    from amity.registry.store import ingest
    from amity.types import Place, Relation

    lyon = Place("Lyon", "FR", None, 2996944, 45.75, 4.85, canonical="Lyon", unresolved=False)
    gdansk = Place("Gdansk", "PL", None, 3099434, 54.35, 18.65, canonical="Gdansk")
    article = make_article(
        "Lyon and Gdansk are twinned.", relations=[Relation(a=lyon, b=gdansk, evidence=["x"])]
    )
    other = open_registry(registry_url)

    def pipeline_racing_another_writer(item):
        ingest(other, [item], extract=False)  # the other writer wins the race
        return item

    try:
        summary = ingest(registry, [article], pipeline=pipeline_racing_another_writer)
    finally:
        other.close()
    assert (summary.skipped, summary.failed, summary.relevant) == (1, 0, 0)
    with registry.session() as session:
        assert [a.status for a in session.scalars(select(ArticleRow))] == ["ok"]
        assert len(session.scalars(select(EventRow)).all()) == 1
