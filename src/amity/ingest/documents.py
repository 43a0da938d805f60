"""Bytes and streams to Articles, whatever format they hold: the code shared by the
compressed, WARC and feed readers, the parallel workers and the Spark executors.

`readers.py` reads paths; this module reads content that came from elsewhere (an archive, a
WARC record, a Hadoop filesystem), deciding by the name what it is, exactly as `readers.py`
decides for a file of that name, so that every way in gives the same Article.

Example:
    >>> [a.id for a in article_from_document(b"Lyon and Birmingham are twinned.", "x.txt", "x", "x.txt")]
    ['x']
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath
from typing import BinaryIO

from amity.types import Article

FEED_SUFFIXES = frozenset({".rss", ".atom"})
# what a compressed file in a directory must hold to be read (backup.tar.gz is not)
ARCHIVED_ARTICLE_SUFFIXES = (".jsonl", ".ndjson", ".txt", ".text", ".html", ".htm", ".warc")
ARCHIVED_ARTICLE_SUFFIXES += (".xml", ".rss", ".atom")
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")


def is_warc(name: str) -> bool:
    return name.lower().endswith(".warc")


def is_jsonl(name: str) -> bool:
    from amity.ingest.readers import JSONL_SUFFIXES

    return PurePath(name).suffix.lower() in JSONL_SUFFIXES


def is_feed(name: str, head: bytes) -> bool:
    """An RSS or Atom feed: named .rss/.atom, or XML whose root element is rss, feed or RDF."""
    if PurePath(name).suffix.lower() in FEED_SUFFIXES:
        return True
    if PurePath(name).suffix.lower() != ".xml":
        return False
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    while start.startswith(b"<!--"):  # comments before the root element
        start = start[start.find(b"-->") + 3 :].lstrip()
    return start.startswith(_FEED_ROOTS)


def articles_from_stream(stream: BinaryIO, name: str, stem: str, source: str) -> Iterator[Article]:
    """The articles of a (decompressed) stream holding a file called `name`."""
    from amity.ingest.compressed import damage_errors
    from amity.ingest.readers import MAX_FILE_BYTES, _iter_jsonl_lines
    from amity.ingest.text import error_article

    damaged = damage_errors()
    try:
        if is_warc(name):
            from amity.ingest.warc import articles_from_warc

            yield from articles_from_warc(stream, stem, source)
        elif is_jsonl(name):
            yield from _iter_jsonl_lines(stream.readline, stem, source)
        else:
            data = stream.read(MAX_FILE_BYTES + 1)
            yield from article_from_document(
                data[:MAX_FILE_BYTES], name, stem, source, truncated=len(data) > MAX_FILE_BYTES
            )
    except damaged as exc:  # a damaged archive: keep what was read, say why the rest is not
        yield error_article(stem, source, f"cannot decompress: {type(exc).__name__}: {exc}")


def article_from_document(
    data: bytes, name: str, stem: str, source: str, *, truncated: bool = False
) -> Iterator[Article]:
    """The article(s) of one file's bytes: as `readers.read_article_file` reads a file of that
    name (HTML by suffix or look, JSONL by look unless .txt/.text/.md, else text), plus feeds."""
    from amity.ingest.readers import articles_from_bytes
    from amity.ingest.text import error_article

    if not data.strip():
        yield error_article(stem, source, "empty file")
        return
    if is_feed(name, data):
        from amity.watch.feeds import articles_from_feed

        yield from articles_from_feed(data, stem, source)
        return
    yield from articles_from_bytes(data, PurePath(name).suffix, stem, source, truncated=truncated)


def special_file_reader(path: PurePath) -> Iterator[Article] | None:
    """How `readers.py` reads a file that is not plain text, HTML or JSONL: a compressed file,
    a WARC file or an RSS/Atom feed; None for every other file (read as before)."""
    from pathlib import Path

    from amity.ingest.compressed import compression_of, read_compressed_file

    name = path.name
    if compression_of(name):
        return read_compressed_file(Path(path))
    if is_warc(name):
        return _read_by_name(Path(path))
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES or (suffix == ".xml" and is_feed(name, _head(Path(path)))):
        return _read_by_name(Path(path))
    return None


def is_readable_archive(path: PurePath) -> bool:
    """A compressed or WARC file that a directory walk reads (other archives it skips)."""
    from amity.ingest.compressed import compression_of, inner_name

    inner = inner_name(path.name).lower()
    archive = bool(compression_of(path.name) or is_warc(path.name))
    return archive and inner.endswith(ARCHIVED_ARTICLE_SUFFIXES)


def _read_by_name(path: PurePath) -> Iterator[Article]:
    """Open the file and read it as its name says (WARC, feed)."""
    from pathlib import Path

    from amity.ingest.text import error_article

    stem = path.stem or path.name
    try:
        handle = Path(path).open("rb")
    except OSError as exc:
        yield error_article(stem, str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        yield from articles_from_stream(handle, path.name, stem, str(path))


def _head(path: PurePath) -> bytes:
    from pathlib import Path

    try:
        with Path(path).open("rb") as handle:
            return handle.read(2048)
    except OSError:
        return b""
