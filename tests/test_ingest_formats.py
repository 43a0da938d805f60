"""WARC, compressed files and saved feeds, read by read_articles and cut into units for
workers and Spark (amity.ingest.warc, .compressed, .documents, .units)."""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import json
import lzma

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from amity.ingest import read_articles
from amity.ingest.units import Line, Ready, iter_units, read_unit
from amity.ingest.warc import WarcPage

RECORDS = [
    {
        "id": "lyon",
        "text": "Lyon and Birmingham signed a twinning agreement on 3 March 2023.",
        "published": "2023-03-04",
    },
    {"text": "A quiet day at the market: prices of apples fell again."},
    {"id": "turku", "title": "Turku", "text": "Turku suspended its sister city relationship."},
]
JSONL = "".join(json.dumps(record) + "\n" for record in RECORDS).encode()
COMPRESS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}
PAGE = (
    "<html><head><title>Kobe and Seattle at sixty</title></head><body><article><p>Kobe and "
    "Seattle marked sixty years as sister cities with a ceremony at the city hall, where the "
    "two mayors planted a cherry tree and spoke about students and trade.</p></article>"
    "</body></html>"
)


def write_warc(path, responses, *, gzip_records=True):
    """A WARC file of (url, content type, status, body) responses, each after a request record."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for url, content_type, status, body in responses:
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
            writer.write_record(request)
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-04T05:06:07Z"},
            )
            writer.write_record(record)


def summary(articles):
    return [
        (a.id, a.text[:40], a.title, a.url, a.published, [e.message for e in a.errors])
        for a in articles
    ]


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_compressed_jsonl_reads_as_the_plain_file(tmp_path, suffix):
    plain = tmp_path / "plain" / "articles.jsonl"
    plain.parent.mkdir()
    plain.write_bytes(JSONL)
    packed = tmp_path / f"articles.jsonl{suffix}"
    packed.write_bytes(COMPRESS[suffix](JSONL))
    got = summary(read_articles([packed]))
    assert [row[0] for row in got] == ["lyon", "articles:2", "turku"]
    assert got == summary(read_articles([plain]))
    assert got[0][4] == dt.date(2023, 3, 4)


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_compressed_text_and_html(tmp_path, suffix):
    (tmp_path / f"note.txt{suffix}").write_bytes(COMPRESS[suffix](RECORDS[0]["text"].encode()))
    (tmp_path / f"page.html{suffix}").write_bytes(COMPRESS[suffix](PAGE.encode()))
    note, page = sorted(read_articles([tmp_path]), key=lambda a: a.id)
    assert note.id == "note" and note.text == RECORDS[0]["text"]
    assert page.id == "page" and page.title == "Kobe and Seattle at sixty"
    assert "cherry tree" in page.text


def test_directory_walk_reads_article_archives_and_skips_others(tmp_path):
    (tmp_path / "articles.jsonl.gz").write_bytes(gzip.compress(JSONL))
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"not articles"))
    (tmp_path / "image.png.gz").write_bytes(gzip.compress(b"\x89PNG"))
    assert [a.id for a in read_articles([tmp_path])] == ["lyon", "articles:2", "turku"]


def test_damaged_archive_keeps_what_was_read_and_says_why(tmp_path):
    many = b"".join(
        json.dumps({"id": f"n{i}", "text": f"Story {i} " * 200}).encode() + b"\n"
        for i in range(200)
    )
    packed = gzip.compress(many)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    articles = list(read_articles([tmp_path / "cut.jsonl.gz"]))
    assert articles[0].id == "n0" and articles[0].text
    assert articles[-1].text == ""
    assert "cannot decompress" in articles[-1].errors[0].message
    (tmp_path / "junk.jsonl.xz").write_bytes(b"this is not xz at all")
    [junk] = read_articles([tmp_path / "junk.jsonl.xz"])
    assert junk.id == "junk" and "cannot decompress" in junk.errors[0].message


@pytest.mark.parametrize("gzip_records", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_only_with_url_and_date(tmp_path, gzip_records):
    path = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    write_warc(
        path,
        [
            ("https://news.example/kobe", "text/html; charset=utf-8", "200 OK", PAGE.encode()),
            ("https://news.example/logo.png", "image/png", "200 OK", b"\x89PNG\r\n"),
            ("https://news.example/moved", "text/html", "301 Moved Permanently", b"<html></html>"),
            (
                "https://news.example/x",
                "application/xhtml+xml",
                "200 OK",
                PAGE.replace("Kobe", "Kobe City").encode(),
            ),
        ],
        gzip_records=gzip_records,
    )
    articles = list(read_articles([path]))
    assert [(a.id, a.url) for a in articles] == [
        ("crawl:1", "https://news.example/kobe"),
        ("crawl:2", "https://news.example/x"),
    ]
    assert articles[0].published == dt.date(2024, 3, 4)  # the page has no date: the record's
    assert articles[0].title == "Kobe and Seattle at sixty" and "cherry tree" in articles[0].text
    assert not articles[0].errors


def test_warc_that_is_not_one(tmp_path):
    (tmp_path / "fake.warc").write_bytes(b"WARC/1.0\r\nnonsense\r\n\r\n" * 3)
    [article] = read_articles([tmp_path / "fake.warc"])
    assert article.text == "" and article.errors


RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>City news</title>
<item><title>Kobe and Seattle at sixty</title><link>https://news.example/kobe</link>
<guid>kobe-60</guid><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Kobe and Seattle marked sixty years as sister cities.&lt;/p&gt;</description></item>
<item><title>Market</title><link>https://news.example/market</link>
<description>Prices of apples fell.</description></item>
</channel></rss>"""
RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>City news</title><link>https://news.example/</link>
<description>d</description></channel>
<item rdf:about="https://news.example/kobe"><title>Kobe and Seattle at sixty</title>
<link>https://news.example/kobe</link><dc:date>2024-03-04</dc:date>
<description>Kobe and Seattle marked sixty years as sister cities.</description></item>
</rdf:RDF>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>City news</title><id>urn:x</id>
<updated>2024-03-04T10:00:00Z</updated>
<entry><title>Kobe and Seattle at sixty</title><id>urn:kobe</id>
<link href="https://news.example/kobe"/><updated>2024-03-04T10:00:00Z</updated>
<content type="html">&lt;p&gt;Kobe and Seattle marked sixty years as sister cities.&lt;/p&gt;</content></entry>
</feed>"""


@pytest.mark.parametrize(
    "name, feed, first_id",
    [
        ("news.xml", RSS2, "kobe-60"),
        ("news.rss", RSS1, "https://news.example/kobe"),
        ("news.atom", ATOM, "urn:kobe"),
    ],
    ids=["rss2", "rss1", "atom"],
)
def test_saved_feed_file(tmp_path, name, feed, first_id):
    (tmp_path / name).write_text(feed, encoding="utf-8")
    articles = list(read_articles([tmp_path / name]))
    first = articles[0]
    assert (first.id, first.url, first.title) == (
        first_id,
        "https://news.example/kobe",
        "Kobe and Seattle at sixty",
    )
    assert first.published == dt.date(2024, 3, 4)
    assert "sister cities" in first.text and "<p>" not in first.text
    assert not first.errors


def test_feed_file_compressed_and_malformed(tmp_path):
    (tmp_path / "news.rss.gz").write_bytes(gzip.compress(RSS2.encode()))
    assert [a.id for a in read_articles([tmp_path / "news.rss.gz"])] == [
        "kobe-60",
        "https://news.example/market",
    ]
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>unclosed", encoding="utf-8")
    [broken] = read_articles([tmp_path / "broken.rss"])
    assert broken.text == "" and broken.errors


def test_units_read_the_same_articles(tmp_path):
    """What workers and Spark executors read from units equals what read_articles reads."""
    (tmp_path / "a.jsonl.zst").write_bytes(COMPRESS[".zst"](JSONL + b"\n{broken\n"))
    (tmp_path / "b.jsonl").write_bytes(JSONL)
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    write_warc(
        tmp_path / "c.warc.gz",
        [("https://news.example/kobe", "text/html", "200 OK", PAGE.encode())],
    )
    (tmp_path / "d.txt").write_text(RECORDS[2]["text"], encoding="utf-8")
    paths = [str(p) for p in sorted(tmp_path.iterdir())]
    units = list(iter_units(paths))
    kinds = {type(unit) for unit in units}
    assert {Line, WarcPage, Ready} <= kinds
    from_units = [article for unit in units for article in read_unit(unit)]
    assert summary(from_units) == summary(read_articles(paths))
    assert [a.content_hash for a in from_units] == [a.content_hash for a in read_articles(paths)]
