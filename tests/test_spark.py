"""amity on Spark `local[2]` with a real JVM: the same relations as one process, the tables'
schema, compressed/WARC/Parquet inputs, extract_dataframe, and `amity ingest --from-parquet`.

One SparkSession for the whole module (starting one costs about 10 s)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amity.cli import app
from amity.registry import open_registry
from amity.registry.store import ingest
from modes_corpus import corpus_paths, registry_content, relations_by_article, single_process
from test_ingest_formats import PAGE, write_warc

LYON = "Lyon and Birmingham signed a twinning agreement on 3 March 2023, the two mayors said."


def unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def spark(gazetteer):  # after the gazetteer fixture: the workers inherit AMITY_CACHE_DIR
    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install -e '.[spark]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("no Java: Spark needs a JRE 17+ (apt-get install openjdk-17-jre-headless)")
    from amity.spark import spark_session

    session = spark_session(
        "local[2]",
        **{
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4",
            "spark.driver.memory": "1g",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, gazetteer):
    base = tmp_path_factory.getbasetemp() / "modes"
    base.mkdir(exist_ok=True)
    return corpus_paths(base)


@pytest.fixture(scope="module")
def spark_output(spark, corpus, tmp_path_factory):
    from amity.spark import extract_to

    output = tmp_path_factory.mktemp("spark") / "out"
    summary = extract_to(spark, corpus, str(output))
    assert summary.relations > 100
    return output


def test_spark_gives_the_relations_of_one_process(spark_output, corpus):
    """The seeds, news-dev and 300 BBC articles: Spark local[2] finds exactly the relations
    (places, geonameids, tier, event, dates, confidence, evidence) one process finds."""
    from amity.spark.tables import read_extraction

    _, expected = single_process(tuple(corpus))
    got = list(read_extraction(spark_output))
    assert relations_by_article(got) == relations_by_article(expected)
    assert len(relations_by_article(got)) > 50
    relevant = {a.id: a for a in expected if a.relevant}
    spark_relevant = {a.id: a for a in got if a.relevant}
    assert spark_relevant.keys() == relevant.keys()
    assert {k: a.claims for k, a in spark_relevant.items()} == {
        k: a.claims for k, a in relevant.items()
    }

    def in_news_dev(articles):
        return [a.id for a in articles if a.relevant and "news-dev" in a.source]

    assert in_news_dev(got) == in_news_dev(expected)  # in input order within an input


def test_spark_tables_schema(spark_output):
    import pyarrow.parquet as pq

    from amity.spark.tables import TABLES

    for name, ddl in TABLES.items():
        files = sorted((spark_output / name).glob("*.parquet"))
        assert files, name
        schema = pq.read_schema(files[0])
        columns = [part.strip().split(" ")[0] for part in _top_level(ddl)]
        assert schema.names == columns, name
    relations = pq.read_table(spark_output / "relations").to_pylist()
    row = relations[0]
    for key in ("article_id", "url", "published", "a_geonameid", "a_country", "a_admin1", "a_lat",
                "a_lon", "a_kind", "b_geonameid", "tier", "event", "event_date", "established",
                "confidence", "evidence"):  # fmt: skip
        assert key in row
    assert isinstance(row["evidence"], list) and row["evidence"]


def _top_level(ddl: str) -> list[str]:
    """Split a DDL string at the commas outside <...>."""
    parts, depth, current = [], 0, ""
    for char in ddl:
        depth += char == "<"
        depth -= char == ">"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_ingest_from_parquet_is_idempotent(spark_output, corpus, tmp_path):
    """`amity ingest --from-parquet` stores what an ingest of the extracted articles stores."""
    _, expected = single_process(tuple(corpus))
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    with open_registry(reference) as registry:
        ingest(registry, [a for a in expected if a.relevant or a.errors], extract=False)
    db = f"sqlite:///{tmp_path / 'spark.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "--from-parquet", str(spark_output), "--db", db])
    assert first.exit_code == 0, first.output
    assert registry_content(db) == registry_content(reference)
    again = runner.invoke(app, ["ingest", "--from-parquet", str(spark_output), "--db", db])
    assert again.exit_code == 0, again.output
    read = re.search(r"articles read\W+(\d+)", again.output).group(1)
    assert re.search(rf"already stored\W+{read}\b", again.output), again.output
    assert re.search(r"relations new\W+0\b", again.output), again.output
    assert registry_content(db) == registry_content(reference)


def test_spark_cli_reads_compressed_warc_and_parquet(spark, tmp_path):
    """`amity spark extract` on a .jsonl.gz, a .warc.gz, a .txt.bz2 and a Parquet table,
    writing JSON lines; a damaged archive lands in the errors table."""
    import bz2

    news = tmp_path / "news"
    news.mkdir()
    records = [{"id": "lyon", "text": LYON}, {"id": "quiet", "text": "Apples were cheaper today."}]
    (news / "a.jsonl.gz").write_bytes(
        gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode())
    )
    (news / "b.txt.bz2").write_bytes(bz2.compress(LYON.replace("Lyon", "Frankfurt").encode()))
    write_warc(
        news / "c.warc.gz", [("https://news.example/kobe", "text/html", "200 OK", PAGE.encode())]
    )
    (news / "d.jsonl.gz").write_bytes(gzip.compress(b'{"id": "x", "text": "cut')[:20])
    table = tmp_path / "articles.parquet"
    spark.createDataFrame(
        [("p1", LYON.replace("Birmingham", "Leipzig"), "https://news.example/p1")],
        "id string, text string, url string",
    ).write.parquet(str(table))
    output = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "spark",
            "extract",
            str(news),
            str(table),
            "--output",
            str(output),
            "--format",
            "jsonl",
            "--master",
            "local[2]",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [
        json.loads(line)
        for path in sorted((output / "relations").glob("*.json"))
        for line in path.read_text().splitlines()
    ]
    pairs = {(row["article_id"], row["a_name"], row["b_name"]) for row in rows}
    assert ("lyon", "Lyon", "Birmingham") in pairs
    assert ("b", "Frankfurt", "Birmingham") in pairs
    assert ("c:1", "Kobe", "Seattle") in pairs
    assert ("p1", "Lyon", "Leipzig") in pairs
    kobe = next(row for row in rows if row["article_id"] == "c:1")
    assert kobe["url"] == "https://news.example/kobe" and kobe["published"] == "2024-03-04"
    errors = [
        json.loads(line)
        for path in (output / "errors").glob("*.json")
        for line in path.read_text().splitlines()
    ]
    assert any(e["article_id"] == "d" and "cannot decompress" in e["message"] for e in errors)
    assert spark.sparkContext._jsc is not None  # the CLI did not stop the shared session


def test_extract_dataframe(spark):
    from amity.spark import extract_dataframe

    frame = spark.createDataFrame(
        [
            ("n1", LYON, None),
            ("n2", None, "<html><body><p>Apples were cheaper today.</p></body></html>"),
        ],
        "id string, text string, html string",
    )
    rows = extract_dataframe(frame, partitions=2).collect()
    assert [(r.article_id, r.a_name, r.b_name, r.a_country, r.b_country) for r in rows] == [
        ("n1", "Lyon", "Birmingham", "FR", "GB")
    ]
    assert rows[0].a_geonameid and rows[0].event == "agreement" and rows[0].evidence


def test_docs_spark_schema_lists_every_column():
    from amity.spark.tables import TABLES

    text = (Path(__file__).resolve().parents[1] / "docs" / "spark.md").read_text(encoding="utf-8")
    for ddl in TABLES.values():
        for part in _top_level(ddl):
            assert f"`{part.strip().split(' ')[0]}`" in text


def test_ingest_from_parquet_refuses_other_directories(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(app, ["ingest", "--from-parquet", str(tmp_path), "--db", db])
    assert result.exit_code == 1
    assert "not an 'amity spark extract' output" in result.output
    both = CliRunner().invoke(
        app, ["ingest", str(tmp_path), "--from-parquet", str(tmp_path), "--db", db]
    )
    assert both.exit_code == 2 and "either PATHs or --from-parquet" in both.output
