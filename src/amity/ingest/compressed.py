"""Compressed inputs (.gz, .bz2, .xz, .zst) read as the file they hold.

`articles.jsonl.gz` is read as `articles.jsonl` (one article per line, streamed), `page.html.bz2`
as an HTML page, `news.txt.xz` as text; the name without the compression suffix decides.
Decompression streams: a large JSONL archive is never held in memory whole. A corrupt or
truncated archive gives an error Article naming it, after the articles read before the damage.

Example:
    >>> from pathlib import Path
    >>> from amity.ingest.compressed import inner_name
    >>> inner_name("news/articles.jsonl.zst")
    'news/articles.jsonl'
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import BinaryIO

from amity.types import Article

COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")
# what each codec raises on damaged data (zstandard's error class is added on first use)
_DAMAGE: tuple[type[BaseException], ...] = (OSError, EOFError, lzma.LZMAError, ValueError)


def compression_of(name: str) -> str | None:
    """The compression suffix of `name` (".gz", ".bz2", ".xz", ".zst"), or None."""
    suffix = PurePath(name).suffix.lower()
    return suffix if suffix in COMPRESSION_SUFFIXES else None


def inner_name(name: str) -> str:
    """`name` without its compression suffix: what the archive holds."""
    return name[: -len(compression_of(name) or "")] if compression_of(name) else name


def open_decompressed(raw: BinaryIO, name: str) -> BinaryIO:
    """A readable, line-iterable stream of the data `raw` holds compressed as `name` says."""
    suffix = compression_of(name)
    if suffix == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if suffix == ".bz2":
        return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]
    if suffix == ".xz":
        return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]
    if suffix == ".zst":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return io.BufferedReader(reader)  # type: ignore[arg-type]
    return raw


def damage_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "this archive is damaged" for every supported codec."""
    try:
        import zstandard

        return (*_DAMAGE, zstandard.ZstdError)
    except ImportError:  # pragma: no cover - zstandard is a dependency
        return _DAMAGE


def read_compressed_file(path: Path) -> Iterator[Article]:
    """The articles of one compressed file, read as the file it holds (see the module doc)."""
    from amity.ingest.documents import articles_from_stream
    from amity.ingest.text import error_article

    source = str(path)
    stem = PurePath(PurePath(inner_name(path.name)).stem).name or path.name
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield error_article(stem, source, f"cannot read file: {exc.strerror or exc}")
        return
    with raw:
        yield from articles_from_stream(
            open_decompressed(raw, path.name), inner_name(path.name), stem, source
        )
