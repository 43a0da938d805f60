"""Paths, directories, globs, JSONL and stdin to Articles; bad input becomes an error Article."""

from __future__ import annotations

import datetime as dt
import glob
import io
import json
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from amity.errors import BadInput
from amity.ingest.decode import check_text, decode_bytes
from amity.ingest.documents import is_readable_archive, special_file_reader
from amity.ingest.html import article_from_html, looks_like_html
from amity.ingest.text import (
    STAGE,
    article_from_text,
    coerce_published,
    error_article,
    future_date_error,
)
from amity.types import Article, StageError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 16 * 1024 * 1024
"""A text or HTML file is read up to this size; the rest is dropped and an error recorded."""
MAX_LINE_BYTES = 16 * 1024 * 1024
"""A longer JSONL line is skipped with an error; the next lines are still read."""

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
SKIPPED_IN_DIRECTORIES = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".ico", ".svg", ".pdf", ".zip",
     ".gz", ".bz2", ".xz", ".tar", ".7z", ".mp3", ".mp4", ".mov", ".woff", ".woff2",
     ".ttf", ".pyc", ".so", ".exe", ".db", ".sqlite"}
)  # fmt: skip
_GLOB_CHARS = frozenset("*?[")


def read_articles(
    paths: Iterable[str | os.PathLike[str]], *, stdin: TextIO | BinaryIO | None = None
) -> Iterator[Article]:
    """Articles from files, directories, glob patterns and "-" (stdin), in input order.

    Files: `.jsonl`/`.ndjson` give one Article per line; `.html`/`.htm`, or any file whose
    content looks like HTML, go through `article_from_html`; anything else that decodes as
    text through `article_from_text`. Directories are walked recursively in name order,
    skipping hidden entries and media/archive files (`SKIPPED_IN_DIRECTORIES`) silently, and
    special files (FIFOs, sockets, devices) and symbolic links back to a directory read
    already (loops) with a warning on the `amity.ingest.readers` logger. A pattern
    such as "news/*.html" that the shell left unexpanded is expanded here (special files
    skipped likewise). "-" reads `stdin` (default `sys.stdin`) and sniffs JSONL, HTML or
    text. A special file named as a path is read: `<(command)` is a pipe.

    Never raises for bad input: a missing, unreadable, binary or empty file, or a malformed
    JSONL line (see `article_from_record`), yields an Article with empty text and a
    StageError naming the input. Too large input is truncated (see MAX_FILE_BYTES,
    MAX_TEXT_CHARS) with a StageError.

    Example:
        >>> for article in read_articles(["news/", "extra.jsonl"]):  # doctest: +SKIP
        ...     print(article.id, article.published, article.errors)
    """
    for raw in paths:
        name = os.fspath(raw)
        if name == "-":
            yield from _read_stdin(sys.stdin if stdin is None else stdin)
            continue
        for found in expand_path(name):
            if isinstance(found, Article):
                yield found
            else:
                yield from _iter_file(found)


def expand_path(name: str) -> Iterator[Path | Article]:
    """The files `name` stands for, in the order `read_articles` reads them: the path itself,
    a directory's files (see `read_articles`), or a pattern's matches; a problem found on the
    way (an unreadable directory, a pattern matching nothing) comes as an error Article.
    Parallel workers are sent these files to read (`amity.ingest.units`)."""
    path = Path(name)
    if _is_dir(path):
        yield from _walk_directory(path)
    elif not _exists(path) and _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield error_article(path.stem or name, name, "no file matches this pattern")
        for match in matches:
            match_path = Path(match)
            kind = _special_kind(match_path)
            if kind == "directory":
                yield from _walk_directory(match_path)
            elif kind is not None:  # reading a FIFO nobody writes to would hang
                log.warning("skipped %s: %s, not a regular file", match_path, kind)
            else:
                yield match_path
    else:
        yield path


def read_article_file(path: Path) -> list[Article]:
    """The Articles of one file: one for a text or HTML file, one per line for JSONL.

    Problems are reported, not raised: see `read_articles`.

    Example:
        >>> [a.id for a in read_article_file(Path("news/bor-longyan.txt"))]  # doctest: +SKIP
        ['bor-longyan']
    """
    return list(_iter_file(Path(path)))


def _iter_file(path: Path) -> Iterator[Article]:
    source, stem = str(path), path.stem or path.name or str(path)
    try:
        if (special := special_file_reader(path)) is not None:  # compressed, WARC, feeds
            yield from special
            return
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _iter_jsonl_file(path, stem)
            return
        yield from _read_single_file(path, stem, source)
    except Exception as exc:  # last resort: one bad file must not stop the batch
        yield error_article(stem, source, f"unexpected error: {type(exc).__name__}: {exc}")


def _read_single_file(path: Path, stem: str, source: str) -> Iterator[Article]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        yield error_article(stem, source, f"cannot read file: {exc.strerror or exc}")
        return
    if not data.strip():
        yield error_article(stem, source, "empty file")
        return
    truncated = len(data) > MAX_FILE_BYTES
    data = data[:MAX_FILE_BYTES]
    yield from articles_from_bytes(data, path.suffix, stem, source, truncated=truncated)


def articles_from_bytes(
    data: bytes, suffix: str, stem: str, source: str, *, truncated: bool = False
) -> Iterator[Article]:
    """The article(s) of a file's (non-empty) bytes, by its suffix and its look: HTML by suffix
    or look, JSON lines by look unless .txt/.text/.md, else plain text."""
    try:
        text = decode_bytes(data, source)
    except BadInput as exc:
        yield error_article(stem, source, exc.message)
        return
    suffix = suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix != ".txt" and looks_like_html(text)):
        article = article_from_html(text, id=stem, source=source)
    elif suffix not in (".txt", ".text", ".md") and _looks_like_jsonl(text):
        yield from _iter_jsonl_lines(io.StringIO(text).readline, stem, source)
        return
    else:
        article = article_from_text(text, id=stem, source=source)
    if truncated:
        message = f"file larger than {MAX_FILE_BYTES:,} bytes: only the beginning was read"
        article.errors.insert(0, StageError(STAGE, source, message))
    yield article


def _iter_jsonl_file(path: Path, stem: str) -> Iterator[Article]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield error_article(stem, str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        yield from _iter_jsonl_lines(handle.readline, stem, str(path))


def _iter_jsonl_lines(
    readline: Callable[[int], bytes | str], stem: str, source: str
) -> Iterator[Article]:
    number = 0
    any_line = False
    while True:
        line = readline(MAX_LINE_BYTES)
        if not line:
            break
        number += 1
        line_source = f"{source}:line {number}"
        default_id = f"{stem}:{number}"
        newline = b"\n" if isinstance(line, bytes) else "\n"
        if len(line) >= MAX_LINE_BYTES and not line.endswith(newline):
            while (rest := readline(MAX_LINE_BYTES)) and not rest.endswith(newline):
                pass
            any_line = True
            yield error_article(
                default_id, line_source, f"line longer than {MAX_LINE_BYTES:,} bytes: skipped"
            )
            continue
        if not line.strip():
            continue
        any_line = True
        yield _article_from_line(line, default_id, line_source)
    if not any_line:
        yield error_article(stem, source, "empty file")


def _article_from_line(line: bytes | str, default_id: str, source: str) -> Article:
    try:
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig")
            except UnicodeDecodeError:
                line = decode_bytes(line, source)
        record = json.loads(line)
    except BadInput as exc:
        return error_article(default_id, source, exc.message)
    except json.JSONDecodeError as exc:
        return error_article(default_id, source, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except (RecursionError, ValueError) as exc:
        return error_article(default_id, source, f"invalid JSON: {exc}")
    try:
        return article_from_record(record, default_id=default_id, source=source)
    except Exception as exc:  # a record must not stop the lines after it
        return error_article(default_id, source, f"unexpected error: {type(exc).__name__}: {exc}")


def article_from_record(record: Any, *, default_id: str, source: str) -> Article:
    """An Article from one JSON object: a JSONL line, or the body of `POST /api/articles`.

    Fields: `text` (plain text) or `html` (a page), which must be strings; optional `id`
    (else `default_id`), `title`, `url` and `published` (YYYY-MM-DD or a date). Bad records
    give an error Article naming the problem: not an object, a non-string or binary text,
    no text, or a publication date after tomorrow.

    Example:
        >>> article_from_record({"id": "n1", "text": "Lyon and Birmingham are twinned."},
        ...                     default_id="x:1", source="x.jsonl:line 1").id
        'n1'
    """
    if not isinstance(record, dict):
        return error_article(
            default_id, source, f"expected a JSON object, got {type(record).__name__}"
        )
    raw_id = record.get("id")
    id = (
        str(raw_id)
        if raw_id not in (None, "") and not isinstance(raw_id, (dict, list))
        else default_id
    )
    title = _string(record.get("title"))
    url = _string(record.get("url"))
    published = record.get("published")
    if not isinstance(published, dt.date):
        published = _string(published)
    for field in ("text", "html"):
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return _record_error(
                id, source, f"'{field}' must be a string, not {_json_type(value)}", title, url
            )
    try:
        text = check_text(record["text"], source) if record.get("text") is not None else None
        html = check_text(record["html"], source) if record.get("html") is not None else None
    except BadInput as exc:
        return _record_error(id, source, exc.message, title, url)
    if text and text.strip():
        return article_from_text(
            text, id=id, source=source, title=title, published=published, url=url
        )
    if html and html.strip():
        article = article_from_html(html, id=id, source=source, url=url)
        if title:
            article.title = title.strip()
        if published:
            date = coerce_published(published, source, article.errors)
            if refusal := future_date_error(date, id):
                return _record_error(id, source, refusal, article.title, article.url)
            article.published = date or article.published
        return article
    return _record_error(id, source, "JSON object has no 'text' or 'html' string", title, url)


def _record_error(
    id: str, source: str, message: str, title: str | None, url: str | None
) -> Article:
    article = error_article(id, source, message)
    article.title, article.url = title, url
    return article


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", dict: "an object"}
    return names.get(type(value), "an array" if isinstance(value, list) else type(value).__name__)


def _string(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return value if isinstance(value, str) else str(value)


def _looks_like_jsonl(text: str) -> bool:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first.startswith("{")


def _read_stdin(stream: TextIO | BinaryIO) -> Iterator[Article]:
    source, stem = "<stdin>", "stdin"
    truncated = False
    try:
        binary: Any = getattr(stream, "buffer", None) or stream
        head = binary.read(64 * 1024)
        if isinstance(head, str):
            readline = _prefixed_text(head, stream)
        else:
            readline = io.BufferedReader(_Prefixed(head, binary)).readline
        sample = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
        if _looks_like_jsonl(sample.lstrip("\ufeff")):
            yield from _iter_jsonl_lines(readline, stem, source)
            return
        data, truncated = _read_all(readline, head[:0])
        text = decode_bytes(data, source) if isinstance(data, bytes) else data
    except BadInput as exc:
        yield error_article(stem, source, exc.message)
        return
    except (OSError, ValueError) as exc:
        yield error_article(stem, source, f"cannot read standard input: {exc}")
        return
    if not text.strip():
        yield error_article(stem, source, "empty input")
        return
    if looks_like_html(text):
        article = article_from_html(text, id=stem, source=source)
    else:
        article = article_from_text(text, id=stem, source=source)
    if truncated:
        message = f"input larger than {MAX_FILE_BYTES:,} bytes: only the beginning was read"
        article.errors.insert(0, StageError(STAGE, source, message))
    yield article


def _read_all(readline: Callable[[int], Any], empty: bytes | str) -> tuple[Any, bool]:
    parts: list[Any] = []
    size = 0
    while chunk := readline(MAX_FILE_BYTES):
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            return empty.join(parts)[:MAX_FILE_BYTES], True
    return empty.join(parts), False


class _Prefixed(io.RawIOBase):
    """A binary stream that replays `head` before the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._stream.read(len(buffer))
        n = len(chunk)
        buffer[:n] = chunk
        return n


def _prefixed_text(head: str, stream: Any) -> Callable[[int], str]:
    buffered = io.StringIO(head)

    def readline(limit: int = -1) -> str:
        line = buffered.readline(limit)
        if line.endswith("\n") or (limit > 0 and len(line) >= limit):
            return line
        more = stream.readline(limit - len(line) if limit > 0 else -1)
        return line + more

    return readline


def _walk_directory(
    directory: Path, seen: set[tuple[int, int]] | None = None
) -> Iterator[Path | Article]:
    """The files under `directory` to read, in name order. `seen` holds the (device, inode) of the
    directories read so far in this walk: a symbolic link back to one of them (a loop) or
    to one read already is skipped with a warning instead of followed again."""
    seen = set() if seen is None else seen
    try:
        info = directory.stat()
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as exc:
        yield error_article(
            directory.name or str(directory),
            str(directory),
            f"cannot read directory: {exc.strerror or exc}",
        )
        return
    identity = (info.st_dev, info.st_ino)
    if identity in seen:
        log.warning("skipped %s: a symbolic link to a directory read already (a loop?)", directory)
        return
    seen.add(identity)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        kind = _special_kind(path)
        if kind == "directory":
            yield from _walk_directory(path, seen)
        elif kind is not None:
            log.warning("skipped %s: %s, not a regular file", path, kind)
        elif path.suffix.lower() not in SKIPPED_IN_DIRECTORIES or is_readable_archive(path):
            yield path


def _special_kind(path: Path) -> str | None:
    """Either "directory", a special file's kind ("a FIFO", "a socket", "a device"), or None for a
    regular file or one that cannot be examined (reading it reports why)."""
    try:
        mode = path.stat().st_mode  # follows symbolic links
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False
