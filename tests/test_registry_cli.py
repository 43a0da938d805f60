"""`amity ingest`, `import`, `show`, `relations`, `stats`: run the command, check through the library."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from amity.cli import app
from amity.registry import open_registry
from amity.registry.models import ArticleRow, RelationRow
from amity.registry.queries import relations, stats
from shared_paths import FIXTURES

LYON = "Lyon and Birmingham signed a twinning agreement on 3 March 2023.\n"
TURKU = "Turku suspended its sister city relationship with Saint Petersburg on 1 March 2022.\n"


@pytest.fixture
def runner(gazetteer):  # the gazetteer fixture points AMITY_CACHE_DIR at pytest's cache
    return CliRunner()


@pytest.fixture
def news(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "lyon.txt").write_text(LYON, encoding="utf-8")
    (tmp_path / "news" / "turku.txt").write_text(TURKU, encoding="utf-8")
    (tmp_path / "news" / "market.txt").write_text("A quiet day at the market.\n", encoding="utf-8")
    (tmp_path / "news" / "binary.dat").write_bytes(bytes(range(256)) * 4)
    return tmp_path / "news"


def test_cli_ingest_summary_and_idempotence(runner, news, registry_url):
    result = runner.invoke(app, ["ingest", str(news), "--db", registry_url])
    assert result.exit_code == 0, result.output
    assert "articles read" in result.stdout and "relations new" in result.stdout
    with open_registry(registry_url) as registry, registry.session() as session:
        counts = stats(session)
        assert counts["articles"]["total"] == 4
        assert counts["articles"]["failed"] == 1  # the binary file, with its error
        assert counts["relations"]["total"] == 2
        pairs = {(r["a"], r["b"]): r["status"] for r in relations(session)}
    assert "suspended" in pairs.values() and "active" in pairs.values()
    again = runner.invoke(app, ["ingest", str(news), "--db", registry_url])
    assert again.exit_code == 0
    with open_registry(registry_url) as registry, registry.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 4
        assert session.scalar(select(func.count()).select_from(RelationRow)) == 2


def test_cli_ingest_uses_amity_database_url(runner, news, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("AMITY_DATABASE_URL", url)
    result = runner.invoke(app, ["ingest", str(news / "lyon.txt")])
    assert result.exit_code == 0, result.output
    with open_registry(url) as registry, registry.session() as session:
        assert stats(session)["relations"]["total"] == 1


def test_cli_ingest_bad_database_url_is_an_error(runner, news):
    result = runner.invoke(app, ["ingest", str(news), "--db", "nosuchdb://x"])
    assert result.exit_code == 1
    assert "cannot open the registry" in result.stderr


@pytest.fixture
def filled(runner, news, registry_url):
    assert runner.invoke(app, ["ingest", str(news), "--db", registry_url]).exit_code == 0
    sample = FIXTURES / "registry" / "twin-cities-sample.csv"
    result = runner.invoke(app, ["import", "wikipedia-list", str(sample), "--db", registry_url])
    assert result.exit_code == 0, result.output
    assert "imported" in result.stdout
    result = runner.invoke(
        app,
        [
            "import",
            "wikidata",
            str(FIXTURES / "registry" / "wikidata-p190.json"),
            "--db",
            registry_url,
        ],
    )
    assert result.exit_code == 0, result.output
    return registry_url


def test_cli_import_missing_file_is_an_error(runner, tmp_path):
    result = runner.invoke(
        app,
        [
            "import",
            "wikidata",
            str(tmp_path / "nope.json"),
            "--db",
            f"sqlite:///{tmp_path / 'x.db'}",
        ],
    )
    assert result.exit_code == 1
    assert "nope.json" in result.stderr


def test_cli_show(runner, filled):
    result = runner.invoke(app, ["show", "Lyon", "--db", filled])
    assert result.exit_code == 0, result.output
    assert "Birmingham (GB)" in result.stdout
    assert "news, wikidata, wikipedia-list" in result.stdout
    assert "twinning agreement" in result.stdout  # the evidence sentence
    data = json.loads(runner.invoke(app, ["show", "lyon, fr", "--db", filled, "-f", "json"]).stdout)
    (partner,) = data[0]["partners"]
    assert partner["established"] == 1951  # Wikidata's start year beats the agreement year
    assert partner["news"][0]["event"] == "agreement"
    missing = runner.invoke(app, ["show", "Atlantis City", "--db", filled])
    assert missing.exit_code == 1


def test_cli_relations_formats_and_filters(runner, filled):
    table = runner.invoke(app, ["relations", "--db", filled])
    assert table.exit_code == 0 and "relations" in table.stdout
    lines = runner.invoke(
        app, ["relations", "--db", filled, "--format", "jsonl", "--country", "FI"]
    ).stdout
    (turku,) = [json.loads(line) for line in lines.splitlines()]
    # suspended on 2022-03-01 (news), ended in 2022 (Wikidata's end year, dated 2022-12-31)
    assert (turku["status"], turku["sources"]) == ("terminated", ["news", "wikidata"])
    out = runner.invoke(
        app, ["relations", "--db", filled, "-f", "csv", "--status", "active", "--since", "2020"]
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["a"], r["b"]) for r in rows] in ([("Lyon", "Birmingham")], [("Birmingham", "Lyon")])
    assert rows[0]["sources"] == "news;wikidata;wikipedia-list"
    news_only = runner.invoke(
        app, ["relations", "--db", filled, "-f", "jsonl", "--source", "news"]
    ).stdout
    assert len(news_only.splitlines()) == 2
    bad = runner.invoke(app, ["relations", "--db", filled, "--status", "dormant"])
    assert bad.exit_code == 2


def test_cli_stats(runner, filled):
    data = json.loads(runner.invoke(app, ["stats", "--db", filled, "--format", "json"]).stdout)
    assert data["references"] == {"wikidata": 4, "wikipedia-list": 4}
    assert data["relations"]["news_and_reference"] == 2
    table = runner.invoke(app, ["stats", "--db", filled])
    assert table.exit_code == 0 and "relations total" in table.stdout


def test_cli_relations_takes_the_api_filters(runner, filled):
    def ids(*args):
        result = runner.invoke(app, ["relations", "--db", filled, "-f", "jsonl", *args])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.stdout.splitlines()]

    (turku,) = ids("--event", "suspension")
    assert {turku["a"], turku["b"]} == {"Turku", "Saint Petersburg"}
    assert [r["b"] for r in ids("--name", "birm")] == ["Birmingham"]
    assert ids("--name", "%") == [] and ids("--name", "_") == []
    assert len(ids("--review", "none")) == len(ids())
    assert ids("--since", "1990", "--until", "1990") == []
    names = [r["a"] for r in ids("--sort", "-a")]
    assert names == sorted(names, reverse=True)
    bad = runner.invoke(app, ["relations", "--db", filled, "--since", "2001", "--until", "2000"])
    assert bad.exit_code == 2 and "year_from must not be after year_to" in bad.stderr


def test_cli_search_by_exonym(runner, filled):
    result = runner.invoke(app, ["search", "Lyons", "--db", filled, "-f", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["places"][0]["name"] == "Lyon" and found["relations"]
    text = runner.invoke(app, ["search", "St Petersburg", "--db", filled])
    assert text.exit_code == 0 and text.stdout.startswith("Saint Petersburg")
    missing = runner.invoke(app, ["search", "%", "--db", filled])
    assert missing.exit_code == 1


def test_cli_serve_with_workers(tmp_path):
    """`amity serve --workers 2` answers on loopback, with ETags (a real server process)."""
    import http.client
    import socket
    import subprocess
    import sys
    import time

    url = f"sqlite:///{tmp_path / 'served.db'}"
    open_registry(url).close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amity",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/api/stats")
                response = connection.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline, server.stderr.read1().decode()
                time.sleep(0.2)
        assert response.status == 200
        assert json.loads(response.read())["totals"]["relations"]["total"] == 0
        etag = response.getheader("etag")
        connection.request("GET", "/api/stats", headers={"If-None-Match": etag})
        assert connection.getresponse().status == 304
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert b"with 2 workers" in out
