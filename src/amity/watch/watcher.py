"""`amity watch`: poll RSS/Atom feeds, fetch new article pages, store them in the registry.

Each round polls every feed that is due, one after another:

- the feed is fetched with a conditional GET (If-None-Match / If-Modified-Since from its last
  complete poll); 304 means nothing new;
- an entry whose URL the registry (or this watch) has stored is passed over; any other entry's
  page is fetched and read (`article_from_html`, the feed entry filling in title and date),
  then stored by `amity.registry.store.ingest`, which skips content it holds already (the
  same article under another URL);
- a feed that is down, slow, too large or malformed is logged and retried with exponential
  backoff (`retry_after`: 30 s, 60 s, ... up to the interval); the other feeds go on. A page
  that cannot be fetched is retried at the next poll: the feed's ETag and Last-Modified are
  only kept when every new entry was stored, so that the server cannot answer 304 over an
  entry we still miss.

Example:
    >>> from amity.registry import open_registry
    >>> watcher = Watcher(open_registry("sqlite:///amity.db"), ["https://example.org/rss"])  # doctest: +SKIP
    >>> watcher.run(max_polls=1)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from amity.watch.feeds import FeedEntry, complete_from_entry, parse_feed
from amity.watch.fetch import Fetcher

if TYPE_CHECKING:
    from amity.pipeline import Pipeline
    from amity.registry import Registry

log = logging.getLogger(__name__)

RETRY_FIRST = 30.0
"""Seconds before the first retry of a failed feed; doubled at each failure after it."""


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0  # monotonic seconds; 0: due now


@dataclass
class WatchReport:
    """Counts since the watch started."""

    polls: int = 0  # rounds
    feeds_failed: int = 0  # feed fetches that failed (down, slow, malformed, ...)
    not_modified: int = 0
    pages_failed: int = 0
    stored: int = 0  # new articles written to the registry
    duplicates: int = 0  # entries whose content the registry held already
    relations: int = 0  # relations in the stored articles


def retry_after(failures: int, interval: float) -> float:
    """Backoff after `failures` failures in a row: 30 s, 60 s, 120 s, ... at most `interval`."""
    return min(interval, RETRY_FIRST * 2 ** max(0, failures - 1))


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs, one a line; blank lines and # comments are ignored."""
    urls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            urls.append(line)
    return urls


def parse_interval(text: str) -> float:
    """ "15m", "90s", "2h", "1d" or plain seconds → seconds."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    value = float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
    if value < 0:
        raise ValueError("the interval cannot be negative")
    return value


class Watcher:
    def __init__(
        self,
        registry: Registry,
        feeds: Iterable[str],
        *,
        interval: float = 900.0,
        fetcher: Fetcher | None = None,
        state_path: Path | None = None,
        pipeline: Pipeline | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        from amity.pipeline import default_pipeline

        self.registry, self.interval = registry, interval
        self.fetcher = fetcher or Fetcher()
        self.pipeline = pipeline or default_pipeline()
        self.clock, self.sleep = clock, sleep
        self.state_path = state_path
        self.feeds = [FeedState(url) for url in dict.fromkeys(feeds)]
        self._load_state()
        self.seen_urls: set[str] = set()
        self.report = WatchReport()

    def run(self, max_polls: int | None = None) -> WatchReport:
        """Poll until interrupted, or `max_polls` rounds."""
        while max_polls is None or self.report.polls < max_polls:
            self.poll()
            if max_polls is not None and self.report.polls >= max_polls:
                break
            wait = min(feed.next_poll for feed in self.feeds) - self.clock()
            if wait > 0:
                self.sleep(wait)
        return self.report

    def poll(self) -> None:
        """One round: every feed that is due."""
        self.report.polls += 1
        for feed in self.feeds:
            if feed.next_poll <= self.clock():
                self.poll_feed(feed)
        self._save_state()

    def poll_feed(self, feed: FeedState) -> None:
        fetched = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if fetched.not_modified:
            self.report.not_modified += 1
            self._succeeded(feed)
            return
        if fetched.error is not None:
            self._failed(feed, fetched.error)
            return
        parsed = parse_feed(fetched.body)
        if parsed.error is not None:
            self._failed(feed, parsed.error)
            return
        complete = parsed.warning is None  # a malformed feed may have lost entries: no 304s
        if parsed.warning is not None:
            log.warning("%s: %s", feed.url, parsed.warning)
        for entry in parsed.entries:
            complete &= self._take(entry, feed.url)
        if complete:  # else poll the whole feed again: an entry is still missing
            feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
        self._succeeded(feed)

    def _take(self, entry: FeedEntry, feed_url: str) -> bool:
        """Store one entry's article unless stored already; False when its page failed."""
        from amity.ingest.html import article_from_html
        from amity.registry.store import ingest

        if not entry.url:
            return True
        url = _normalise(entry.url)
        if url in self.seen_urls or self._stored_url(url, entry.url):
            self.seen_urls.add(url)
            return True
        page = self.fetcher.get(entry.url)
        if page.error is not None or not page.body.strip():
            self.report.pages_failed += 1
            log.warning(
                "%s: page %s: %s (retried at the next poll)",
                feed_url,
                entry.url,
                page.error or "empty",
            )
            return False
        article = article_from_html(page.body, id=entry.id, source=entry.url, url=entry.url)
        article.url = entry.url  # the link as the feed gives it: the key of the URL check
        complete_from_entry(article, entry)
        summary = ingest(self.registry, [article], pipeline=self.pipeline)
        self.seen_urls.add(url)
        if summary.skipped:
            self.report.duplicates += 1
        else:
            self.report.stored += 1
            self.report.relations += summary.relations_new + summary.relations_updated
        return True

    def _stored_url(self, *urls: str) -> bool:
        from sqlalchemy import select

        from amity.registry.models import ArticleRow

        with self.registry.session() as session:
            found = session.scalar(
                select(ArticleRow.id).where(ArticleRow.url.in_(set(urls))).limit(1)
            )
        return found is not None

    def _succeeded(self, feed: FeedState) -> None:
        feed.failures = 0
        feed.next_poll = self.clock() + self.interval

    def _failed(self, feed: FeedState, error: str) -> None:
        feed.failures += 1
        self.report.feeds_failed += 1
        delay = retry_after(feed.failures, self.interval)
        feed.next_poll = self.clock() + delay
        log.warning("%s: %s (failure %d; retry in %.0f s)", feed.url, error, feed.failures, delay)

    def _load_state(self) -> None:
        if self.state_path is None or not self.state_path.exists():
            return
        try:
            saved = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable watch state, starting afresh: %s", self.state_path, exc)
            return
        for feed in self.feeds:
            known = saved.get(feed.url) or {}
            feed.etag, feed.last_modified = known.get("etag"), known.get("last_modified")

    def _save_state(self) -> None:
        if self.state_path is None:
            return
        data = {
            feed.url: {k: v for k, v in asdict(feed).items() if k in ("etag", "last_modified")}
            for feed in self.feeds
        }
        temporary = self.state_path.with_suffix(self.state_path.suffix + ".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        temporary.replace(self.state_path)


def _normalise(url: str) -> str:
    """The URL without its fragment, scheme and host in lower case."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


__all__ = [
    "FeedState",
    "WatchReport",
    "Watcher",
    "parse_interval",
    "read_feed_list",
    "retry_after",
]
