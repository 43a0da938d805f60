"""The `amity` command, run in-process with typer's CliRunner.

Extraction quality is tuned elsewhere: these tests check structure and behaviour (lines,
keys, exit codes, error messages), not scores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amity import __version__
from amity.cli import app
from amity.evaluate import load_predictions

POSITIVE = "Lyon and Birmingham signed a twinning agreement on 3 March 2023.\n"
CONTRACT_KEYS = {"id", "published", "relations", "claims"}
RELATION_KEYS = {
    "a",
    "b",
    "tier",
    "event",
    "event_date",
    "established",
    "officials",
    "evidence",
    "confidence",
}
SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"


@pytest.fixture
def runner(gazetteer):  # the gazetteer fixture points AMITY_CACHE_DIR at pytest's cache
    return CliRunner()


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "lyon.txt").write_text(POSITIVE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "batch.jsonl").write_text(
        json.dumps({"id": "good", "text": "A quiet day at the town market; nothing happened."})
        + "\n{not json\n",
        encoding="utf-8",
    )
    return tmp_path


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_cli_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"amity {__version__}"


def test_cli_extract_positive_article_yields_a_relation(runner, inputs):
    result = runner.invoke(app, ["extract", str(inputs / "lyon.txt")])
    assert result.exit_code == 0, result.output
    (line,) = jsonl(result.stdout)
    assert CONTRACT_KEYS <= set(line)
    assert line["id"] == "lyon"
    assert line["relations"], "the positive article should yield at least one relation"
    relation = line["relations"][0]
    assert RELATION_KEYS <= set(relation)
    assert {relation["a"]["name"], relation["b"]["name"]} == {"Lyon", "Birmingham"}
    assert result.stderr == ""


def test_cli_extract_bad_inputs_go_to_stderr_and_the_batch_goes_on(runner, inputs):
    paths = [
        inputs / "lyon.txt",
        inputs / "empty.txt",
        inputs / "binary.dat",
        inputs / "batch.jsonl",
    ]
    result = runner.invoke(app, ["extract", *map(str, paths)])
    assert result.exit_code == 0
    lines = jsonl(result.stdout)  # stdout stays valid JSONL
    assert [line["id"] for line in lines] == ["lyon", "empty", "binary", "good", "batch:2"]
    assert all(CONTRACT_KEYS <= set(line) for line in lines)
    assert lines[0]["relations"]
    good = lines[3]
    assert good["relations"] == [] and "errors" not in good  # irrelevant article: empty relations
    assert "empty.txt" in result.stderr and "empty file" in result.stderr
    assert "binary.dat" in result.stderr
    assert "batch.jsonl:line 2" in result.stderr and "invalid JSON" in result.stderr


def test_cli_extract_exits_1_when_every_input_failed(runner, inputs):
    result = runner.invoke(app, ["extract", str(inputs / "empty.txt"), str(inputs / "binary.dat")])
    assert result.exit_code == 1
    assert len(jsonl(result.stdout)) == 2
    assert "empty.txt" in result.stderr


def test_cli_extract_escapes_markup_in_error_sources(runner, tmp_path):
    path = tmp_path / "[red]x[-].txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(path)])
    assert "[red]x[-].txt" in result.stderr


def test_cli_extract_reads_stdin(runner):
    result = runner.invoke(app, ["extract", "-"], input=POSITIVE)
    assert result.exit_code == 0, result.output
    (line,) = jsonl(result.stdout)
    assert line["id"] == "stdin"
    assert line["relations"]


def test_cli_extract_table(runner, inputs):
    result = runner.invoke(
        app, ["extract", str(inputs / "lyon.txt"), str(inputs / "empty.txt"), "--format", "table"]
    )
    assert result.exit_code == 0
    for header in ("article", "tier", "event", "event_date", "established", "confidence"):
        assert header in result.stdout
    assert "Lyon (FR)" in result.stdout
    assert "2 articles, 1 relations" in result.stdout
    assert "empty file" in result.stderr


def test_cli_extract_output_file_and_progress(runner, inputs):
    out = inputs / "out.jsonl"
    result = runner.invoke(
        app,
        [
            "extract",
            str(inputs / "lyon.txt"),
            str(inputs / "batch.jsonl"),
            "--output",
            str(out),
            "--progress",
        ],
    )
    assert result.exit_code == 0
    assert result.stdout == ""  # the progress bar never goes to stdout
    predictions = load_predictions(out)  # readable back through the library
    assert [p["id"] for p in predictions] == ["lyon", "good", "batch:2"]


def test_cli_eval_runs_extraction_on_articles(runner, tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        json.dumps({"id": "t1", "text": POSITIVE})
        + "\n"
        + json.dumps({"id": "t2", "text": "The weather in Leeds was mild all week."})
        + "\n",
        encoding="utf-8",
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "t1",
                "published": "2023-03-05",
                "claims": [],
                "relations": [
                    {
                        "a": {"names": ["Lyon"], "country": "FR"},
                        "b": {"names": ["Birmingham"], "country": "GB"},
                        "tier": "sister",
                        "event": "agreement",
                        "event_date": ["2023-03-03"],
                        "established": None,
                    }
                ],
            }
        )
        + "\n"
        + json.dumps({"id": "t2", "published": None, "relations": [], "claims": []})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["eval", str(gold), "--articles", str(articles), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 2
    assert set(report["pairs"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert report["pairs"]["tp"] + report["pairs"]["fn"] == 1
    assert set(report["attributes"]) == {"tier", "event", "event_date", "established"}
    assert report["negatives"]["articles"] == 1

    table = runner.invoke(app, ["eval", str(gold), "--articles", str(articles)])
    assert table.exit_code == 0
    assert "precision" in table.stdout and "On matched pairs" in table.stdout


def test_cli_eval_with_predictions_lists_errors(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "t1",
                "relations": [
                    {
                        "a": {"names": ["Lyon"], "country": "FR"},
                        "b": {"names": ["Birmingham"], "country": "GB"},
                        "tier": "sister",
                        "event": "agreement",
                        "event_date": [],
                        "established": None,
                    }
                ],
                "claims": [],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        json.dumps(
            {
                "id": "t1",
                "relations": [
                    {
                        "a": {"name": "Lyon", "country": "FR"},
                        "b": {"name": "Birmingham", "country": "GB"},
                        "tier": "friendly",
                        "event": "agreement",
                        "event_date": None,
                        "established": None,
                    }
                ],
                "claims": [],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(pred)])
    assert result.exit_code == 0
    assert "wrong value" in result.stdout and "tier" in result.stdout
    data = json.loads(
        runner.invoke(app, ["eval", str(gold), "--pred", str(pred), "-f", "json"]).stdout
    )
    assert data["pairs"]["f1"] == 1.0
    assert data["errors"][0]["wrong"][0]["field"] == "tier"


def test_cli_eval_malformed_gold_names_file_and_line(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "relations": []}\n{oops\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(gold)])
    assert result.exit_code == 1
    assert f"{gold}:2" in result.stderr


def test_cli_eval_fixture_set(runner):
    result = runner.invoke(
        app,
        [
            "eval",
            str(FIXTURES / "gold.jsonl"),
            "--articles",
            str(FIXTURES / "articles.jsonl"),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 63
    assert "no prediction for this article" not in result.stdout
    assert not any("no article with id" in p for e in report["errors"] for p in e["problems"])


def test_cli_eval_seeds(runner):
    gold = SHARED / "corpus" / "seeds.gold.jsonl"
    if not gold.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{gold} is missing on CI")
        pytest.skip(f"{gold} is not available")
    result = runner.invoke(app, ["eval", str(gold), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == sum(
        1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    for error in report["errors"]:  # every gold file was found and read
        assert not any("[ingest]" in problem for problem in error["problems"]), error
