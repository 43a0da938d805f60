"""Hostile input to the ingest stage and to `amity ingest`: special files, symbolic link
loops, binary files, non-string JSONL fields, a 50,000-deep HTML page, NUL bytes, future
publication dates, and what the command prints about each."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import socket
import struct
import subprocess
import sys

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from amity.cli import app
from amity.ingest import article_from_record, read_articles
from amity.registry import open_registry
from amity.registry.models import ArticleRow, EventRow, RelationRow

POSITIVE = "Lyon and Birmingham signed a twinning agreement on 3 March 2023."


@pytest.fixture
def runner(gazetteer):  # the gazetteer fixture points AMITY_CACHE_DIR at pytest's cache
    return CliRunner()


def only(articles):
    assert len(articles) == 1, articles
    return articles[0]


# --- special files and symbolic links ------------------------------------------------------


def test_a_fifo_in_a_directory_is_skipped_with_a_message_not_waited_on(tmp_path, gazetteer):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(POSITIVE)
    os.mkfifo(news / "b-pipe.txt")  # nobody ever writes to it: opening it would block
    (news / "c.txt").write_text("Krakow and Florence are twin towns since 1993.")
    result = subprocess.run(
        [sys.executable, "-m", "amity", "extract", str(news), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "c"]
    assert f"skipped {news / 'b-pipe.txt'}: a FIFO (named pipe), not a regular file" in (
        result.stderr
    )


def test_sockets_and_devices_in_a_directory_are_skipped(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(POSITIVE)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "listening.sock"))
    (tmp_path / "null.txt").symlink_to("/dev/null")  # a link to a character device
    try:
        with caplog.at_level(logging.WARNING, logger="amity.ingest"):
            articles = list(read_articles([tmp_path]))
    finally:
        server.close()
    assert [a.id for a in articles] == ["a"]
    messages = sorted(record.getMessage() for record in caplog.records)
    assert messages == [
        f"skipped {tmp_path / 'listening.sock'}: a socket, not a regular file",
        f"skipped {tmp_path / 'null.txt'}: a device, not a regular file",
    ]


def test_a_glob_does_not_open_a_fifo_either(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(POSITIVE)
    os.mkfifo(tmp_path / "b.txt")
    with caplog.at_level(logging.WARNING, logger="amity.ingest"):
        articles = list(read_articles([str(tmp_path / "*.txt")]))
    assert [a.id for a in articles] == ["a"]
    assert "a FIFO (named pipe), not a regular file" in caplog.text


def test_symbolic_link_loops_are_detected_not_followed(tmp_path, caplog):
    """The issue's case: a loop was followed ~40 levels deep (165 articles from 4 files)."""
    news = tmp_path / "news"
    (news / "sub" / "deeper").mkdir(parents=True)
    (news / "a.txt").write_text(POSITIVE)
    (news / "sub" / "b.txt").write_text("Krakow and Florence are twin towns since 1993.")
    (news / "sub" / "deeper" / "c.txt").write_text("Bremen and Gdansk are partner cities.")
    (news / "sub" / "deeper" / "up").symlink_to("../..")  # back to news/
    (news / "sub" / "self").symlink_to(".")
    (news / "z-same-as-sub").symlink_to("sub")  # a second way into a directory read already
    with caplog.at_level(logging.WARNING, logger="amity.ingest"):
        articles = list(read_articles([news]))
    assert sorted(a.source for a in articles) == sorted(
        str(p) for p in [news / "a.txt", news / "sub" / "b.txt", news / "sub/deeper/c.txt"]
    )
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 3 and all(
        "a symbolic link to a directory read already" in w for w in warned
    )


def test_the_command_prints_what_it_skipped(runner, tmp_path):
    (tmp_path / "a.txt").write_text(POSITIVE)
    (tmp_path / "loop").symlink_to(".")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / 'loop'}: a symbolic link to a directory read already" in (
        " ".join(result.stderr.split())
    )
    assert len(result.stdout.splitlines()) == 1


# --- binary files, bad JSONL fields, NUL bytes -----------------------------------------------


def _binaries():
    rng = random.Random(11)
    return {
        "random.dat": bytes(rng.randrange(256) for _ in range(4000)),
        "floats.bin": b"".join(struct.pack("<d", rng.random() * 1e3) for _ in range(500)),
        "ints.dat": b"".join(struct.pack("<I", rng.randrange(1 << 24, 1 << 31)) for _ in range(900)),
        "elf.txt": b"\x7fELF\x02\x01\x01" + bytes(rng.randrange(256) for _ in range(500)),
        "high-bytes.txt": bytes(rng.randrange(128, 256) for _ in range(3000)),
        "many-nuls.txt": b"words and \x00\x00\x00\x00 more words " * 100,
        "controls.txt": bytes(rng.choice(b"\x01\x02\x03\x04abcdefgh ") for _ in range(3000)),
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(_binaries()))
def test_binary_files_get_an_error_naming_the_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_binaries()[name])
    article = only(list(read_articles([tmp_path])))
    assert article.text == "" and len(article.errors) == 1
    (error,) = article.errors
    assert error.source == str(path)
    assert error.message.startswith(("binary file (", "undecodable bytes")), error.message


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": 12345}, "'text' must be a string, not a number"),
        ({"text": True}, "'text' must be a string, not a boolean"),
        ({"text": ["Lyon", "Birmingham"]}, "'text' must be a string, not an array"),
        ({"html": {"body": "x"}}, "'html' must be a string, not an object"),
        ({"text": "\x01\x02\x03\x04 binary"}, "binary file (control characters), not text"),
        ({"title": "no text"}, "JSON object has no 'text' or 'html' string"),
    ],
)
def test_jsonl_records_with_a_non_string_text_get_a_named_error(tmp_path, record, message):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "bad", **record}) + "\n" + json.dumps({"text": POSITIVE}))
    bad, good = read_articles([path])
    assert bad.id == "bad" and bad.text == ""
    assert [e.message for e in bad.errors] == [message]
    assert bad.errors[0].source == f"{path}:line 1"
    assert good.text == POSITIVE and not good.errors


def test_nul_bytes_are_dropped_alike_from_files_jsonl_and_records(tmp_path):
    """The issue's case: a file with 3 NUL bytes was refused whole while the API stripped
    them. Now each path drops a few stray NULs and gives the same article."""
    body = "\n".join([POSITIVE] * 20)
    dirty = body[:100] + "\x00" + body[100:300] + "\x00\x00" + body[300:]
    (tmp_path / "dirty.txt").write_bytes(dirty.encode())
    (tmp_path / "dirty.jsonl").write_text(json.dumps({"id": "dirty-line", "text": dirty}))
    from_file, from_line = read_articles([tmp_path / "dirty.txt", tmp_path / "dirty.jsonl"])
    from_record = article_from_record({"text": dirty}, default_id="api-1", source="api")
    clean = only(list(read_articles([_write(tmp_path / "clean.txt", body)])))
    for article in (from_file, from_line, from_record):
        assert article.errors == [] and "\x00" not in article.text
        assert article.content_hash == clean.content_hash


def _write(path, text):
    path.write_text(text)
    return path


# --- deep HTML ------------------------------------------------------------------------------


def deep_page(levels: int) -> str:
    return (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * levels
        + f"<p>{POSITIVE}</p>"
        + "</div>" * levels
        + "</body></html>"
    )


def test_a_50000_deep_html_page_is_read_not_reported_empty(tmp_path):
    """libxml2 stops building the tree at depth 256 (silently): the page was "empty input"."""
    path = tmp_path / "deep.html"
    path.write_text(deep_page(50_000))
    article = only(list(read_articles([path])))
    assert article.errors == []
    assert article.text == POSITIVE and article.title == "Deep"


def test_ordinary_html_still_goes_through_trafilatura(tmp_path):
    page = deep_page(3).replace("<body>", "<body><nav>Home | News | Sport</nav>")
    article = only(list(read_articles([_write(tmp_path / "shallow.html", page)])))
    assert article.text == POSITIVE  # the menu is dropped


# --- amity ingest: what it prints, future dates ----------------------------------------------


def test_ingest_prints_the_truncation_warning_extract_prints(runner, tmp_path):
    from amity.ingest import MAX_TEXT_CHARS

    line = "The weather in the valley stayed mild and dry for most of the week.\n"
    path = _write(tmp_path / "long.txt", line * (MAX_TEXT_CHARS // len(line) + 100))
    url = f"sqlite:///{tmp_path / 'amity.db'}"
    ingested = runner.invoke(app, ["ingest", str(path), "--db", url, "--no-progress"])
    extracted = runner.invoke(app, ["extract", str(path)])
    assert ingested.exit_code == extracted.exit_code == 0, ingested.output
    warning = f"{path}: [ingest] text of "
    assert warning in ingested.stderr and "truncated to the first 2,000,000" in ingested.stderr
    assert [line for line in ingested.stderr.splitlines() if warning in line] == [
        line for line in extracted.stderr.splitlines() if warning in line
    ]
    assert "failed" not in ingested.stderr  # a warning: the article is stored


def test_ingest_failure_lines_print_the_path_once(runner, tmp_path):
    empty = _write(tmp_path / "empty.txt", "  \n")
    url = f"sqlite:///{tmp_path / 'amity.db'}"
    result = runner.invoke(app, ["ingest", str(empty), "--db", url, "--no-progress"])
    assert result.exit_code == 1  # every article failed
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert line == f"failed {empty}: [ingest] empty file"


def test_ingest_refuses_a_future_publication_date_naming_the_article(runner, tmp_path):
    """The issue's case: `published: 9999-12-31` pinned a relation's status, so a later
    dated suspension no longer changed it. Refused now; tomorrow is still taken."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    lines = [
        {"id": "signed", "text": POSITIVE, "published": "2023-03-03"},
        {"id": "future", "text": POSITIVE + " Again.", "published": "9999-12-31"},
        {
            "id": "suspended",
            "text": "Lyon suspended its twinning with Birmingham on 2 February 2025.",
            "published": "2025-02-02",
        },
        {"id": "tomorrow", "text": "Lyon opened a bridge.", "published": tomorrow.isoformat()},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    url = f"sqlite:///{tmp_path / 'amity.db'}"
    result = runner.invoke(app, ["ingest", str(path), "--db", url, "--no-progress"])
    assert result.exit_code == 0, result.output
    expected = (
        f"failed {path}:line 2: [ingest] article 'future': publication date 9999-12-31 is in "
        f"the future (after {tomorrow.isoformat()}): refused"
    )
    assert expected in " ".join(result.stderr.split())
    with open_registry(url) as registry, registry.session() as session:
        statuses = dict(session.execute(select(ArticleRow.external_id, ArticleRow.status)).all())
        assert statuses["future"] == "failed" and statuses["tomorrow"] != "failed"
        future_id = session.scalar(select(ArticleRow.id).where(ArticleRow.external_id == "future"))
        assert session.scalars(select(EventRow).where(EventRow.article_id == future_id)).all() == []
        (relation,) = session.scalars(select(RelationRow)).all()
        assert relation.status == "suspended"


def test_review_and_store_do_not_import_each_other():
    code = "import sys, amity.registry.review as r; print('amity.registry.store' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
