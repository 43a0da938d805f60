"""Input cut into units that another process can read: what parallel workers and Spark
executors are sent.

Reading an article (HTML extraction, cleaning, a dateline and language guess) costs more
than cutting the input, so the cutting is done in one place, cheaply, and the reading
wherever the extraction runs. A unit is one of

- `Line`: one line of a JSONL file (plain or compressed), read as `read_articles` reads it;
- `WarcPage`: one HTML response of a WARC file (`amity.ingest.warc`);
- `Document`: the bytes of one text, HTML or feed file (from a Hadoop filesystem);
- `Record`: one JSON-like record (a Parquet or DataFrame row), as `article_from_record` reads it;
- `Ready`: an Article read already (stdin, compressed text, feeds, errors found on the way).

`read_unit(unit)` gives the same Articles `read_articles` gives for that part of the input.

Example:
    >>> units = list(iter_units(["news/articles.jsonl.gz"]))  # doctest: +SKIP
    >>> [article.id for unit in units for article in read_unit(unit)]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Union

from amity.ingest.compressed import compression_of, inner_name, open_decompressed
from amity.ingest.documents import is_jsonl, is_warc
from amity.ingest.warc import WarcPage
from amity.types import Article


@dataclass
class Line:
    line: bytes
    default_id: str
    source: str


@dataclass
class Document:
    data: bytes
    name: str
    stem: str
    source: str
    truncated: bool = False


@dataclass
class Record:
    record: dict[str, Any]
    default_id: str
    source: str


@dataclass
class Ready:
    article: Article


Unit = Union[Line, WarcPage, Document, Record, Ready]  # noqa: UP007 (a runtime alias)


def read_unit(unit: Unit) -> list[Article]:
    """The Articles of one unit; never raises (a failure becomes an error Article)."""
    from amity.ingest.text import error_article

    try:
        if isinstance(unit, Ready):
            return [unit.article]
        if isinstance(unit, Line):
            from amity.ingest.readers import _article_from_line

            return [_article_from_line(unit.line, unit.default_id, unit.source)]
        if isinstance(unit, WarcPage):
            return [unit.to_article()]
        if isinstance(unit, Record):
            from amity.ingest.readers import article_from_record

            return [
                article_from_record(unit.record, default_id=unit.default_id, source=unit.source)
            ]
        from amity.ingest.documents import article_from_document

        return list(
            article_from_document(
                unit.data, unit.name, unit.stem, unit.source, truncated=unit.truncated
            )
        )
    except Exception as exc:  # one bad unit must not stop the batch
        id = (
            getattr(unit, "default_id", None)
            or getattr(unit, "id", None)
            or getattr(unit, "stem", "?")
        )
        source = getattr(unit, "source", "") or str(id)
        return [error_article(str(id), source, f"unexpected error: {type(exc).__name__}: {exc}")]


def iter_units(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Unit]:
    """The units of `paths` in input order: directories and patterns are expanded as
    `read_articles` expands them; JSONL and WARC files (plain or compressed) are cut into
    lines and responses, and text and HTML files sent as their bytes, so that the reading
    (HTML extraction, cleaning, dates) happens where the extraction does. Stdin, compressed
    text and feeds are read here and sent as Ready articles."""
    from amity.ingest.readers import expand_path, read_articles

    for raw in paths:
        name = os.fspath(raw)
        if name == "-":
            yield from (Ready(article) for article in read_articles([name]))
            continue
        for found in expand_path(name):
            if isinstance(found, Article):
                yield Ready(found)
            else:
                yield from from_file(found)


def from_file(path: Path) -> Iterator[Unit]:
    """The units of one file, as `read_articles` would read it (see `iter_units`)."""
    from amity.ingest.documents import special_file_reader
    from amity.ingest.readers import JSONL_SUFFIXES, MAX_FILE_BYTES, read_article_file
    from amity.ingest.text import error_article

    inner = inner_name(path.name)
    if _is_regular_file(path) and (is_jsonl(inner) or is_warc(inner)):
        yield from units_of_stream_file(path)
        return
    stem, source = path.stem or path.name or str(path), str(path)
    try:
        special = special_file_reader(path) is not None
    except Exception:  # read_article_file reports it
        special = True
    if special or path.suffix.lower() in JSONL_SUFFIXES or not _is_regular_file(path):
        yield from (Ready(article) for article in read_article_file(path))
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        yield Ready(error_article(stem, source, f"cannot read file: {exc.strerror or exc}"))
        return
    yield Document(data[:MAX_FILE_BYTES], path.name, stem, source, len(data) > MAX_FILE_BYTES)


def units_of_stream_file(path: Path) -> Iterator[Unit]:
    """The units of one JSONL or WARC file, plain or compressed."""
    from amity.ingest.text import error_article

    stem = PurePath(PurePath(inner_name(path.name)).stem).name or path.name
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Ready(error_article(stem, str(path), f"cannot read file: {exc.strerror or exc}"))
        return
    with handle:
        yield from units_of_stream(handle, path.name, stem, str(path))


def units_of_stream(raw: BinaryIO, name: str, stem: str, source: str) -> Iterator[Unit]:
    """The units of a JSONL, WARC or other file's (possibly compressed) stream."""
    from amity.ingest.compressed import damage_errors
    from amity.ingest.readers import MAX_FILE_BYTES
    from amity.ingest.text import error_article

    stream = open_decompressed(raw, name) if compression_of(name) else raw
    inner = inner_name(name)
    try:
        if is_warc(inner):
            from warcio.exceptions import ArchiveLoadFailed

            from amity.ingest.warc import iter_warc_pages

            found = False
            try:
                for page in iter_warc_pages(stream, stem, source):
                    found = True
                    yield page
            except ArchiveLoadFailed as exc:
                yield Ready(error_article(stem, source, f"not a readable WARC file: {exc}"))
                return
            if not found:
                yield Ready(
                    error_article(stem, source, "no HTML response record in this WARC file")
                )
        elif is_jsonl(inner):
            yield from _jsonl_units(stream, stem, source)
        else:
            data = stream.read(MAX_FILE_BYTES + 1)
            yield Document(data[:MAX_FILE_BYTES], inner, stem, source, len(data) > MAX_FILE_BYTES)
    except damage_errors() as exc:
        yield Ready(error_article(stem, source, f"cannot decompress: {type(exc).__name__}: {exc}"))


def _jsonl_units(stream: BinaryIO, stem: str, source: str) -> Iterator[Unit]:
    """JSONL lines numbered, skipped and refused exactly as `readers._iter_jsonl_lines` does."""
    from amity.ingest.readers import MAX_LINE_BYTES
    from amity.ingest.text import error_article

    number = 0
    any_line = False
    while line := stream.readline(MAX_LINE_BYTES):
        number += 1
        line_source, default_id = f"{source}:line {number}", f"{stem}:{number}"
        if len(line) >= MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            any_line = True
            message = f"line longer than {MAX_LINE_BYTES:,} bytes: skipped"
            yield Ready(error_article(default_id, line_source, message))
            continue
        if not line.strip():
            continue
        any_line = True
        yield Line(line, default_id, line_source)
    if not any_line:
        yield Ready(error_article(stem, source, "empty file"))


def _is_regular_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
