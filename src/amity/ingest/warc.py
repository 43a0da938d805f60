"""WARC and WARC.gz files (Common Crawl's CC-NEWS): one Article per HTML response record.

Read with warcio. Only `response` records whose HTTP Content-Type is HTML (text/html,
application/xhtml+xml) with status 200 are articles; requests, metadata, redirects, images and
the like are passed over. Each article keeps the record's URL (WARC-Target-URI) and, when
the page itself names no publication date, the record's date (WARC-Date: when it was
fetched, which for a news crawl is within a day or so of publication). Ids are
"<file stem>:<n>", n counting the HTML responses of the file from 1.

Example:
    >>> from amity.ingest import read_articles
    >>> for article in read_articles(["CC-NEWS-20240101.warc.gz"]):  # doctest: +SKIP
    ...     print(article.id, article.url, article.published)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from amity.types import Article, StageError

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class WarcPage:
    """One HTML response of a WARC file, not parsed yet (what a worker is sent)."""

    id: str
    source: str
    url: str | None
    date: dt.date | None
    payload: bytes
    truncated: bool = False

    def to_article(self) -> Article:
        from amity.ingest.html import article_from_html
        from amity.ingest.readers import MAX_FILE_BYTES
        from amity.ingest.text import STAGE, error_article

        if not self.payload.strip():
            article = error_article(self.id, self.source, "empty response body")
            article.url = self.url
            return article
        article = article_from_html(self.payload, id=self.id, source=self.source, url=self.url)
        article.url = self.url or article.url
        if article.published is None and article.text:
            article.published = self.date
        if self.truncated:
            message = f"response larger than {MAX_FILE_BYTES:,} bytes: only the beginning was read"
            article.errors.insert(0, StageError(STAGE, self.source, message))
        return article


def iter_warc_pages(stream: BinaryIO, stem: str, source: str) -> Iterator[WarcPage]:
    """The HTML responses of a WARC stream (plain or gzip), in file order."""
    from warcio.archiveiterator import ArchiveIterator

    from amity.ingest.readers import MAX_FILE_BYTES

    number = 0
    for record in ArchiveIterator(stream):
        if record.rec_type != "response" or not _is_html_ok(record):
            continue
        number += 1
        url = record.rec_headers.get_header("WARC-Target-URI")
        payload = record.content_stream().read(MAX_FILE_BYTES + 1)
        yield WarcPage(
            id=f"{stem}:{number}",
            source=f"{source}:record {number}",
            url=url.strip() if url else None,
            date=_warc_date(record.rec_headers.get_header("WARC-Date")),
            payload=payload[:MAX_FILE_BYTES],
            truncated=len(payload) > MAX_FILE_BYTES,
        )


def articles_from_warc(stream: BinaryIO, stem: str, source: str) -> Iterator[Article]:
    """The articles of a WARC stream; a damaged record stops the file with an error Article."""
    from warcio.exceptions import ArchiveLoadFailed

    from amity.ingest.text import error_article

    found = False
    try:
        for page in iter_warc_pages(stream, stem, source):
            found = True
            yield page.to_article()
    except ArchiveLoadFailed as exc:
        yield error_article(stem, source, f"not a readable WARC file: {exc}")
        return
    if not found:
        yield error_article(stem, source, "no HTML response record in this WARC file")


def _is_html_ok(record: object) -> bool:
    http = getattr(record, "http_headers", None)
    if http is None:
        return False
    if (http.get_statuscode() or "") != "200":
        return False
    content_type = (http.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in HTML_TYPES


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None
